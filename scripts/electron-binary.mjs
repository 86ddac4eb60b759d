// Is Electron's binary there? Electron 45 downloads it on first use (node_modules/electron/index.js):
// `path.txt` names the executable inside `dist/` (or ELECTRON_OVERRIDE_DIST_PATH). Used by `npm start`
// and `npm run test:electron` to decide before anything would trigger that download.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinaryPresent(root, env = process.env) {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  const executable = readFileSync(pathFile, 'utf8').trim();
  return executable.length > 0 && existsSync(join(env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist'), executable));
}
