// Writes the packaging icons from the same drawing code the app uses for its tray:
//   npx tsx scripts/icons.ts
// build/icon.png (512 px; electron-builder derives .icns/.ico from it) and build/tray/*.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appIconPng, trayIconPng } from '../src/main/shell/icons';
import { TRAY_STATES } from '../src/main/shell/tray';

const dir = join(import.meta.dirname, '..', 'build');
mkdirSync(join(dir, 'tray'), { recursive: true });
writeFileSync(join(dir, 'icon.png'), appIconPng(512));
for (const state of TRAY_STATES) {
  writeFileSync(join(dir, 'tray', `${state}.png`), trayIconPng(state, 16));
  writeFileSync(join(dir, 'tray', `${state}@2x.png`), trayIconPng(state, 32));
}
console.log(`icons written to ${dir}`);
