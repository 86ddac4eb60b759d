// The user's GitHub token: GH_TOKEN, else GITHUB_TOKEN, else what `gh auth token` prints when the
// GitHub CLI is installed and logged in. It is read when a call needs it and kept in memory only:
// never written to the database, an event or a log line, and never passed to an agent
// (pipeline/templates.ts strips these variables from every stage's environment).
import { execFile } from '../process/processRunner';
import { findProgram } from '../process/programLookup';
import { githubError } from './errors';

/** The variables a token may come from, in order; SECRET_ENV (templates.ts) strips them for agents. */
export const TOKEN_ENV = ['GH_TOKEN', 'GITHUB_TOKEN'] as const;

export type TokenSource = (typeof TOKEN_ENV)[number] | 'gh auth token';

export interface TokenOptions {
  env?: NodeJS.ProcessEnv;
  /** Runs `gh auth token` (argv); default: the real `gh` on PATH, if any. */
  ghToken?: (env: NodeJS.ProcessEnv) => Promise<string | null>;
}

async function ghAuthToken(env: NodeJS.ProcessEnv): Promise<string | null> {
  const gh = await findProgram('gh', process.cwd(), env.PATH);
  if (!gh) return null;
  const r = await execFile(gh, ['auth', 'token'], { env, timeoutMs: 10_000 }).catch(() => null);
  return r && r.code === 0 ? r.stdout.trim() || null : null;
}

/** The token and where it came from; UNAUTHORIZED `no_token` when there is none. */
export async function resolveToken(options: TokenOptions = {}): Promise<{ token: string; source: TokenSource }> {
  const env = options.env ?? process.env;
  for (const name of TOKEN_ENV) {
    const value = env[name]?.trim();
    if (value) return { token: value, source: name };
  }
  const fromGh = await (options.ghToken ?? ghAuthToken)(env);
  if (fromGh) return { token: fromGh, source: 'gh auth token' };
  throw githubError('no_token', 'No GitHub token: set GH_TOKEN (or GITHUB_TOKEN) before starting Switchyard, or log in with `gh auth login`');
}
