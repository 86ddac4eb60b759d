// What `npm run serve` does, without touching the process (exit codes, signals and output
// belong to src/main/serve.ts): check git, open the core, add `--repo`s, start the server.
// A failure at any step closes what was opened and rejects with one clear message.
import { mkdirSync } from 'node:fs';
import type { WireCore } from '../transport/handlers';
import type { RepoApi } from '../core/repoApi';
import { randomToken, startServer, type RunningServer } from './server';
import type { ServeArgs } from './args';

export type ServeCore = WireCore & { repos: RepoApi; close(): Promise<void> };

export interface ServeDeps {
  args: ServeArgs;
  /** Used when --data-dir is not given. */
  defaultDataDir: string;
  /** SWITCHYARD_TOKEN, if set. */
  token?: string;
  staticDir: string;
  checkGit: () => Promise<unknown>;
  createCore: (dataDir: string) => ServeCore;
  onInternalError?: (method: string, error: unknown) => void;
}

export interface Served {
  server: RunningServer;
  core: ServeCore;
  dataDir: string;
  /** Closes the server, then the core (running workflows cancelled, database closed). */
  stop(): Promise<void>;
}

export class StartupError extends Error {}

const MIN_TOKEN_LENGTH = 16;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function startServe(deps: ServeDeps): Promise<Served> {
  const token = deps.token ?? randomToken();
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new StartupError(`SWITCHYARD_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters without spaces`);
  }
  try {
    await deps.checkGit();
  } catch (e) {
    throw new StartupError(message(e));
  }
  const dataDir = deps.args.dataDir ?? deps.defaultDataDir;
  let core: ServeCore;
  try {
    mkdirSync(dataDir, { recursive: true });
    core = deps.createCore(dataDir);
  } catch (e) {
    throw new StartupError(`Cannot open the data directory ${dataDir}: ${message(e)}`);
  }
  let server: RunningServer;
  try {
    for (const repo of deps.args.repos) {
      try {
        await core.repos.add(repo);
      } catch (e) {
        throw new StartupError(`--repo ${repo}: ${message(e)}`);
      }
    }
    try {
      server = await startServer({ core, port: deps.args.port, token, staticDir: deps.staticDir, onInternalError: deps.onInternalError });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EADDRINUSE') throw new StartupError(`Port ${deps.args.port} on 127.0.0.1 is already in use; pick another with --port (0 = any free port)`);
      if (code === 'EACCES') throw new StartupError(`Not allowed to listen on port ${deps.args.port}; pick a port above 1023 with --port`);
      throw new StartupError(`Cannot start the server: ${message(e)}`);
    }
  } catch (e) {
    await core.close().catch(() => {});
    throw e;
  }
  let stopping: Promise<void> | null = null;
  return {
    server,
    core,
    dataDir,
    stop() {
      stopping ??= (async () => {
        try {
          await server.close();
        } finally {
          await core.close();
        }
      })();
      return stopping;
    },
  };
}
