// Every git call of the core goes through here: argv only (process/processRunner.ts, never a shell), an
// environment that cannot be redirected by variables Switchyard itself inherited, and one
// way of turning a failed command into a typed error.
import { SwitchyardError } from '../../../shared/errors';
import { ExecError, execFile, type ExecResult } from '../process/processRunner';

export const GIT = 'git';
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Variables that would point git at another repository, index or object store than the one
 * named by `-C` (set, for instance, when Switchyard is started from a git hook).
 */
const REDIRECTING_VARS = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

export interface GitOptions {
  /** Extra environment (e.g. a temporary GIT_INDEX_FILE). */
  env?: Record<string, string>;
  input?: string;
  maxBuffer?: number;
  timeoutMs?: number;
}

export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of REDIRECTING_VARS) delete env[name];
  // Never wait on a credential prompt; never take optional locks (a `git status` of ours must
  // not make the user's concurrent `git commit` fail on index.lock).
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_OPTIONAL_LOCKS = '0';
  return { ...env, ...extra };
}

/** Options given to every command: paths printed raw (no octal quoting), no pager, no colour. */
const COMMON = ['-c', 'core.quotePath=false', '-c', 'color.ui=false', '--no-pager'];

/** Runs `git -C <dir> <args>`; resolves whatever the exit code. */
export async function git(dir: string, args: readonly string[], options: GitOptions = {}): Promise<ExecResult> {
  try {
    return await execFile(GIT, [...COMMON, '-C', dir, ...args], {
      env: gitEnv(options.env),
      input: options.input,
      maxBuffer: options.maxBuffer,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  } catch (e) {
    if (e instanceof ExecError) throw gitUnavailable(e);
    throw e;
  }
}

/** Runs git and returns stdout; a non-zero exit becomes an INTERNAL error carrying git's words. */
export async function gitOk(dir: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
  const r = await git(dir, args, options);
  if (r.code !== 0) throw gitFailed(args, r);
  return r.stdout;
}

export function gitFailed(args: readonly string[], r: ExecResult, code: SwitchyardError['code'] = 'INTERNAL', what?: string): SwitchyardError {
  const reason = firstLines(r.stderr) || (r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`);
  return new SwitchyardError(code, `${what ?? `git ${args[0] ?? ''} failed`}: ${reason}`, {
    command: ['git', ...args].join(' '),
    exitCode: r.code,
  });
}

function gitUnavailable(e: ExecError): SwitchyardError {
  return new SwitchyardError(
    'INTERNAL',
    e.errno === 'ENOENT' ? 'git was not found on PATH; Switchyard needs git to manage worktrees' : e.message,
  );
}

/** The first few lines of git's stderr, without the `fatal: ` / `error: ` prefixes. */
export function firstLines(text: string, max = 3): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^(fatal|error): /, '').trim())
    .filter((l) => l.length > 0 && !l.startsWith('hint:'))
    .slice(0, max)
    .join('; ');
}

/** Splits NUL-separated output, dropping the trailing empty field. */
export function splitNul(text: string): string[] {
  const parts = text.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
