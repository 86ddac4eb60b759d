// `npm start`: make sure better-sqlite3 is built for Electron (first run only; see
// scripts/native.mjs), then build and run the app with electron-vite (`preview` builds first).
//   npm start              build and run the production bundle
//   npm start -- --dev     run with the Vite dev server (hot reload of the renderer)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NativeBindingError } from './native-lib.mjs';
import { ensureElectronBinding, projectRoot } from './native.mjs';

export function electronViteArgv(args, root = projectRoot) {
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const dev = args.includes('--dev');
  const rest = args.filter((a) => a !== '--dev');
  return [cli, dev ? 'dev' : 'preview', ...rest];
}

async function main() {
  if (!existsSync(join(projectRoot, 'node_modules', 'electron', 'dist'))) {
    console.error(
      'error: the Electron binary is missing (node_modules/electron/dist). Its download runs at `npm install`; ' +
        'retry it with `node node_modules/electron/install.js` (needs network access).',
    );
    return 1;
  }
  await ensureElectronBinding();
  const child = spawn(process.execPath, electronViteArgv(process.argv.slice(2)), { cwd: projectRoot, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof NativeBindingError ? `error: ${e.message}` : e);
    process.exit(1);
  },
);
