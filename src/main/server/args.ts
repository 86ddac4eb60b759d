// `npm run serve -- [--port N] [--data-dir DIR] [--repo PATH]…`
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface ServeArgs {
  port: number;
  dataDir: string | null;
  repos: string[];
  help: boolean;
}

export const USAGE = 'Usage: npm run serve -- [--port N] [--data-dir DIR] [--repo PATH]...';

export class UsageError extends Error {}

export function parseServeArgs(argv: readonly string[], cwd = process.cwd()): ServeArgs {
  let values: { port?: string; 'data-dir'?: string; repo?: string[]; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', short: 'p' },
        'data-dir': { type: 'string' },
        repo: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)}. ${USAGE}`);
  }
  let port = 0;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
      throw new UsageError(`--port must be a number from 0 to 65535 (0 = any free port), not ${JSON.stringify(values.port)}`);
    }
    port = Number(values.port);
  }
  const dataDir = values['data-dir'];
  if (dataDir !== undefined && dataDir.trim() === '') throw new UsageError('--data-dir must not be empty');
  const repos = (values.repo ?? []).map((r) => {
    if (r.trim() === '') throw new UsageError('--repo must not be empty');
    return resolve(cwd, r);
  });
  return { port, dataDir: dataDir === undefined ? null : resolve(cwd, dataDir), repos, help: values.help ?? false };
}
