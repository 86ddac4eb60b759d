// Start-up check: git must be on PATH and new enough for everything this folder runs.
import { SwitchyardError } from '../../../shared/errors';
import { ExecError, execFile } from '../process/processRunner';
import { GIT, gitEnv } from './gitCli';

/**
 * The oldest git this folder works with. Worktree commands exist since 2.5 and are usable
 * since 2.25, but `git worktree list --porcelain -z` (NUL-separated, safe for any path) needs
 * 2.36, and the `locked`/`prunable` porcelain lines need 2.31.
 */
export const MIN_GIT_VERSION: readonly [number, number, number] = [2, 36, 0];

export interface GitInfo {
  version: string;
  parts: [number, number, number];
}

/** Parses `git version 2.39.5`, `git version 2.41.0.windows.1`, `git version 2.39.3 (Apple Git-145)`. */
export function parseGitVersion(output: string): [number, number, number] | null {
  const m = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const need = MIN_GIT_VERSION.join('.');

/** Resolves with git's version, or rejects with one clear message saying what to install. */
export async function checkGit(program: string = GIT): Promise<GitInfo> {
  let stdout: string;
  try {
    const r = await execFile(program, ['--version'], { env: gitEnv(), timeoutMs: 15_000 });
    if (r.code !== 0) {
      throw new SwitchyardError('INTERNAL', `\`${program} --version\` failed (exit ${r.code}): ${r.stderr.trim()}. Switchyard needs git ${need} or newer.`);
    }
    stdout = r.stdout;
  } catch (e) {
    if (e instanceof ExecError) {
      throw new SwitchyardError(
        'INTERNAL',
        e.errno === 'ENOENT'
          ? `git was not found on PATH. Switchyard needs git ${need} or newer to manage worktrees; install it and restart.`
          : `git could not be started (${e.message}). Switchyard needs git ${need} or newer.`,
        { required: need },
      );
    }
    throw e;
  }
  const parts = parseGitVersion(stdout);
  if (!parts) {
    throw new SwitchyardError('INTERNAL', `Could not read git's version from "${stdout.trim()}". Switchyard needs git ${need} or newer.`, { required: need });
  }
  const version = parts.join('.');
  if (compareVersions(parts, MIN_GIT_VERSION) < 0) {
    throw new SwitchyardError(
      'INTERNAL',
      `git ${version} is too old: Switchyard needs git ${need} or newer for its worktree commands. Please upgrade git.`,
      { found: version, required: need },
    );
  }
  return { version, parts };
}
