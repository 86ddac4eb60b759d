// `.worktreeinclude` (rule 13): untracked files of the main worktree (`.env`, local config) that
// a new worktree needs, named with gitignore patterns (the file other tools read too), matched
// by the `ignore` package, which implements git's pattern rules.
//
// What is never copied: a tracked file (only `git ls-files --others` is considered), a symbolic
// link (copied as a link it could point anywhere; followed it could read outside), anything whose
// real path leaves the main worktree, anything that would land outside the new worktree (a
// tracked symlinked folder in it pointing elsewhere), and a file the new worktree already has.
import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import ignore from 'ignore';
import { gitOk } from '../git/gitCli';

export const WORKTREE_INCLUDE_FILE = '.worktreeinclude';

export interface IncludeResult {
  copied: string[];
  skipped: { path: string; reason: string }[];
}

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/** The nearest existing ancestor of `p`, resolved: where a write to `p` would really land. */
async function realAncestor(p: string): Promise<string> {
  for (let dir = p; ; dir = dirname(dir)) {
    try {
      return await realpath(dir);
    } catch {
      if (dirname(dir) === dir) return dir;
    }
  }
}

/** Copies the main worktree's untracked files that `.worktreeinclude` names into `target`. */
export async function copyIncludedFiles(mainWorktree: string, target: string): Promise<IncludeResult> {
  const result: IncludeResult = { copied: [], skipped: [] };
  const from = await realpath(mainWorktree);
  const to = await realpath(target);
  let patterns: string;
  try {
    patterns = await readFile(join(from, WORKTREE_INCLUDE_FILE), 'utf8');
  } catch {
    return result; // no file: nothing to copy
  }
  const matcher = ignore().add(patterns);
  // Untracked files, ignored ones included (that is where `.env` lives); -z keeps any name intact.
  const listed = (await gitOk(from, ['ls-files', '--others', '-z'])).split('\0').filter(Boolean);
  for (const rel of listed) {
    if (!matcher.ignores(rel)) continue;
    const src = join(from, rel);
    const dest = join(to, rel);
    const info = await lstat(src).catch(() => null);
    if (!info?.isFile()) {
      result.skipped.push({ path: rel, reason: info?.isSymbolicLink() ? 'a symbolic link (never copied)' : 'not a regular file' });
      continue;
    }
    const real = await realpath(src).catch(() => null);
    if (!real || !inside(from, real)) {
      result.skipped.push({ path: rel, reason: 'outside the repository' });
      continue;
    }
    if (!inside(to, await realAncestor(dirname(dest)))) {
      result.skipped.push({ path: rel, reason: 'its folder in the new worktree leads outside it' });
      continue;
    }
    try {
      await mkdir(dirname(dest), { recursive: true });
      // The folder was checked before mkdir; check what mkdir made too (a race with a new symlink).
      if (!inside(to, await realpath(dirname(dest)))) throw new Error('outside');
      await copyFile(src, dest, constants.COPYFILE_EXCL);
      result.copied.push(rel);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      result.skipped.push({ path: rel, reason: code === 'EEXIST' ? 'already in the new worktree' : `could not be copied (${code ?? (e as Error).message})` });
    }
  }
  return result;
}
