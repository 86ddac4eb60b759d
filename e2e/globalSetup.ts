// Builds the renderer once (npx electron-vite build) when out/renderer is missing or older than
// its sources, so every test server serves the current window.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default function globalSetup(): void {
  const built = join(root, 'out/renderer/index.html');
  const sources = Math.max(newestMtime(join(root, 'src/renderer')), newestMtime(join(root, 'src/shared')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
}
