// Child process of prebuild.spec.ts: starts the built app (out/main/index.js, with the Electron
// stand-in), which opens its database, then prints the native addons mapped into this process.
// It imports nothing that loads better-sqlite3 itself, so what is mapped is what the bundle loaded.
import { readFileSync, rmSync } from 'node:fs';
import { launch, tempDir } from './harness';
import { mappedAddons } from './prebuild';

const userData = tempDir('maps');
try {
  const app = await launch({ userData });
  const addons = mappedAddons(readFileSync('/proc/self/maps', 'utf8'));
  const opened = app.electron.ipcMain.handlers.size > 0;
  await app.shutdown();
  process.stdout.write(JSON.stringify({ opened, addons }));
} finally {
  rmSync(userData, { recursive: true, force: true });
}
