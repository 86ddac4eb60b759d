// `npm run test:electron`: the Playwright `_electron` tests of the desktop shell. They need the
// Electron binary, which Electron 45 downloads on first use; where it is not there (this project's
// build machines cannot download it) this prints one line and exits 0. Otherwise: build the app and
// run the tests. The shell's wiring is also tested without the binary (docs/desktop.md).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinaryPresent } from '../scripts/electron-binary.mjs';
import { exitOnOldNode } from '../scripts/node-version.mjs';

exitOnOldNode();
const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const SKIP_LINE = 'skipped: no Electron binary (node_modules/electron/dist missing; `npx install-electron` downloads it)';

function run(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: projectRoot, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  if (!electronBinaryPresent(projectRoot)) {
    console.log(SKIP_LINE);
    return 0;
  }
  const built = await run([join(projectRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
  if (built !== 0) return built;
  return run([join(projectRoot, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '-c', join('e2e-electron', 'playwright.config.ts'), ...process.argv.slice(2)]);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
