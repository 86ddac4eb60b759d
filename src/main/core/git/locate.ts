// Finds the worktree a path names, and the repository it belongs to.
import { notFound } from '../../../shared/errors';
import { git } from './gitCli';
import { mapLimit } from './mapLimit';
import { exists, requireAbsolute, samePath } from './paths';
import { parseWorktreeList, type WorktreeEntry } from './worktreeList';

export interface Located {
  /** The path as given, made absolute. */
  requested: string;
  entry: WorktreeEntry;
  /** Every worktree of the repository; `entries[0]` is the main one. */
  entries: WorktreeEntry[];
}

/**
 * The worktree whose top folder is `input`. A folder that still exists asks git directly; one that
 * is gone (a prunable worktree) is looked up in the worktree lists of the known repositories.
 */
export async function locateWorktree(input: string, knownRepoPaths: readonly string[]): Promise<Located> {
  const requested = requireAbsolute(input, 'worktreePath');
  if (await exists(requested)) {
    const r = await git(requested, ['worktree', 'list', '--porcelain', '-z']);
    if (r.code !== 0) throw notFound(`${requested} is not a git worktree`, { worktreePath: requested });
    const entries = parseWorktreeList(r.stdout);
    for (const entry of entries) {
      if (await samePath(entry.path, requested)) return { requested, entry, entries };
    }
    throw notFound(`${requested} is not the top folder of a git worktree`, { worktreePath: requested });
  }
  const lists = await mapLimit(knownRepoPaths, 4, async (repoPath) => {
    const r = await git(repoPath, ['worktree', 'list', '--porcelain', '-z']).catch(() => null);
    return r && r.code === 0 ? parseWorktreeList(r.stdout) : [];
  });
  for (const entries of lists) {
    const entry = entries.find((e) => e.path === requested);
    if (entry) return { requested, entry, entries };
  }
  throw notFound(`${requested} does not exist and is not a worktree of any added repository`, { worktreePath: requested });
}

/** The ref a worktree's work is measured against: the main worktree's branch, else its commit. */
export function baseOf(entries: readonly WorktreeEntry[]): { ref: string; name: string } | null {
  const main = entries[0];
  if (!main || main.bare) return null;
  if (main.branch) return { ref: `refs/heads/${main.branch}`, name: main.branch };
  return /^0+$/.test(main.head) || main.head === '' ? null : { ref: main.head, name: main.head.slice(0, 12) };
}
