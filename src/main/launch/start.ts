// Carries out `npm start` (decision: ./startMode.ts). Loaded by scripts/start.mjs once the Node
// version is known to be supported; the script also says whether Electron's binary is there
// (scripts/electron-binary.mjs, shared with `npm run test:electron`), since src/ never imports
// scripts/. Desktop: electron-vite builds and runs the app. Headless: the server of `npm run serve`,
// on the desktop app's data folder, with its address opened in a browser where the desktop has one.
// Ctrl-C stops either cleanly (the signal is passed on, then awaited).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { desktopDataDir } from '../core/dataDir';
import { findProgram } from '../core/process/programLookup';
import { browserOpener, decideStart, parseStartArgs, StartUsageError, type StartFacts, type StartFlags } from './startMode';

const say = (line: string) => process.stderr.write(`switchyard: ${line}\n`);

/** Electron's download (its install.js); the reason is the last line it printed. */
function fetchElectron(root: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  say('the Electron binary is missing; downloading it once (about 100 MB)…');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8192)));
    child.once('error', (e) => resolve({ ok: false, reason: e.message }));
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve({ ok: true });
      // The first line of the stack it prints is the error itself ("TypeError: fetch failed").
      const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at '));
      resolve({ ok: false, reason: lines[0] ?? `install.js exited with ${code ?? signal}` });
    });
  });
}

/** Passes SIGINT/SIGTERM on to the child once and resolves with its exit code. */
function supervise(child: ChildProcess): Promise<number> {
  let forwarded = false;
  const forward = (signal: NodeJS.Signals) => {
    if (forwarded) return;
    forwarded = true;
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : signal ? 143 : 1)));
  });
}

function runDesktop(root: string, flags: StartFlags): Promise<number> {
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  return supervise(spawn(process.execPath, [cli, flags.dev ? 'dev' : 'preview', ...flags.rest], { cwd: root, stdio: 'inherit' }));
}

async function runHeadless(root: string, flags: StartFlags): Promise<number> {
  const dataDir = desktopDataDir();
  const child = spawn(process.execPath, [join(root, 'scripts', 'serve.mjs'), '--data-dir', dataDir, ...flags.rest], {
    cwd: process.cwd(),
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  const exited = supervise(child);
  const xdgOpen = (await findProgram('xdg-open', process.cwd())) !== null;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    const url = /^Switchyard listening on (http:\/\/\S+)$/.exec(line)?.[1];
    if (!url || !flags.open) return;
    const argv = browserOpener(process.platform, process.env, url, xdgOpen);
    if (!argv) return;
    // Opening a browser is a courtesy: its failure never stops the server.
    const opener = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', detached: true });
    opener.once('error', (e) => say(`could not open a browser (${e.message}); open the address above yourself`));
    opener.unref();
  });
  return exited;
}

export async function runStart(argv: readonly string[], root: string, electronBinary: boolean): Promise<number> {
  let flags: StartFlags;
  try {
    flags = parseStartArgs(argv);
  } catch (e) {
    if (e instanceof StartUsageError) {
      say(e.message);
      return 1;
    }
    throw e;
  }
  const facts: StartFacts = { platform: process.platform, env: process.env, electronBinary };
  for (;;) {
    const decision = decideStart(flags, facts);
    switch (decision.kind) {
      case 'desktop':
        return runDesktop(root, flags);
      case 'fetch-electron':
        facts.fetched = await fetchElectron(root);
        continue;
      case 'refuse':
        say(`cannot start the desktop app (--desktop): ${decision.reason}`);
        return 1;
      case 'headless':
        if (decision.reason) say(`${decision.reason}; serving the app to a browser instead (\`npm start -- --headless\` skips this check)`);
        return runHeadless(root, flags);
    }
  }
}
