// `npm run serve` (docs/design.md §4.2): builds the renderer first when out/renderer is missing (so it
// works right after `npm install`), then runs src/main/serve.ts in plain Node through tsx. Its
// exit code is the server's; SIGINT/SIGTERM are passed on, so the server shuts down cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitOnOldNode } from './node-version.mjs';

exitOnOldNode();

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const wantsHelp = args.includes('--help') || args.includes('-h');

if (!wantsHelp && !existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  // Progress goes to stderr: stdout carries only the one "listening" line.
  process.stderr.write('switchyard serve: building the window (out/renderer) first…\n');
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', process.stderr, 'inherit'],
  });
  if (build.status !== 0) {
    process.stderr.write('switchyard serve: the build of the window failed (see above); run `npx electron-vite build` to retry\n');
    process.exit(1);
  }
}

const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'src', 'main', 'serve.ts'), ...args], { cwd: process.cwd(), stdio: 'inherit' });
let forwarded = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (forwarded) return;
    forwarded = true;
    child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)));
