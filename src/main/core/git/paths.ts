// Path rules of the git layer: absolute input only, real paths for comparison, and where a
// new worktree goes by default.
import { realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { invalidInput, invalidState } from '../../../shared/errors';

export function requireAbsolute(p: string, field: string): string {
  if (!isAbsolute(p)) throw invalidInput(`${field} must be an absolute path: ${p}`, { [field]: p });
  return resolve(p);
}

export async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await realpath(p);
  } catch {
    return null;
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw e;
  }
}

/** True when both name the same place (string-equal, or equal once symlinks are resolved). */
export async function samePath(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [ra, rb] = await Promise.all([realpathOrNull(a), realpathOrNull(b)]);
  return ra !== null && ra === rb;
}

/**
 * Where `createWorktree` puts a branch when no path is given:
 * `<worktreeRoot>/<repo-name>/<branch>` when the setting is set, else
 * `<repo-parent>/<repo-name>.worktrees/<branch>` — beside the repository, never inside it.
 * A branch `feature/x` becomes nested folders `feature/x`.
 */
export function defaultWorktreePath(repoPath: string, branch: string, worktreeRoot: string | null): string {
  const name = basename(repoPath);
  if (worktreeRoot === null) return join(dirname(repoPath), `${name}.worktrees`, branch);
  let root = worktreeRoot;
  if (root === '~' || root.startsWith('~/')) root = join(homedir(), root.slice(1));
  if (!isAbsolute(root)) {
    throw invalidState(`The worktreeRoot setting must be an absolute path (it is "${worktreeRoot}")`, { worktreeRoot });
  }
  return join(resolve(root), name, branch);
}
