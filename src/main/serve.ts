// Headless entry (docs/design.md §4.2): `npm run serve -- [--port N] [--data-dir DIR] [--repo PATH]…`.
// The same core in plain Node; the built renderer over HTTP and the contract over a WebSocket,
// on 127.0.0.1 only. Prints one line once ready; a start-up failure prints one line to stderr
// and exits 1; SIGINT/SIGTERM shut down cleanly (workflows cancelled, database closed), exit 0.
import { fileURLToPath } from 'node:url';
import { createCore } from './core/createCore';
import { defaultDataDir } from './core/dataDir';
import { checkGit } from './core/git';
import { USAGE, UsageError, parseServeArgs } from './server/args';
import { listeningLine } from './server/server';
import { StartupError, startServe } from './server/serveRuntime';

const STATIC_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

function fail(message: string): never {
  process.stderr.write(`switchyard serve: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseServeArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Read once, then removed from the environment: agents must never see the server's token.
  const token = process.env.SWITCHYARD_TOKEN || undefined;
  delete process.env.SWITCHYARD_TOKEN;

  // Signals during start-up: remembered, acted on once there is something to stop.
  let signalled = false;
  const early = () => {
    signalled = true;
  };
  process.on('SIGINT', early);
  process.on('SIGTERM', early);

  let served;
  try {
    served = await startServe({
      args,
      defaultDataDir: defaultDataDir(),
      token,
      staticDir: STATIC_DIR,
      checkGit,
      createCore: (dataDir) => createCore({ dataDir }),
      onInternalError: (method, error) => console.error(`switchyard serve: internal error in ${method}:`, error),
    });
  } catch (e) {
    if (e instanceof StartupError) fail(e.message);
    fail(e instanceof Error ? e.message : String(e));
  }

  // A signal often arrives twice (from the terminal's process group and from a wrapper that
  // passes it on): the first starts the shutdown, the others wait for it. The shutdown is
  // bounded: running agents get SIGKILL after the kill grace period.
  let stopping = false;
  const shutdown = (_signal: string) => {
    if (stopping) return;
    stopping = true;
    served.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`switchyard serve: shutdown failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.off('SIGINT', early);
  process.off('SIGTERM', early);
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  if (signalled) return shutdown('signal');

  process.stdout.write(`${listeningLine(served.server)}\n`);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
