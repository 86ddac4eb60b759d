// `npm run test:electron`: the Playwright `_electron` tests of the desktop shell. They need the
// Electron binary; where it was not downloaded (node_modules/electron/dist missing) this prints
// one line and exits 0 (`npm run test:shell` covers the wiring without it). Otherwise: build the
// app, run the tests. better-sqlite3's Node-API prebuild serves Electron as it is.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const projectRoot = resolve(import.meta.dirname, '..');

export const SKIP_LINE = 'skipped: no Electron binary (node_modules/electron/dist missing)';

function run(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: projectRoot, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  if (!existsSync(join(projectRoot, 'node_modules', 'electron', 'dist'))) {
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
