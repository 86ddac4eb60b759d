// Worktree hygiene (rule 13): a linked worktree that is merged, clean and idle is offered for
// removal. "Merged": its HEAD is in the base branch and it moved since it was created (a fresh
// worktree has done nothing yet; it is not finished work).
import { git } from './gitCli';
import { baseOf } from './locate';
import type { WorktreeEntry } from './worktreeList';

export async function isMerged(entry: WorktreeEntry, entries: readonly WorktreeEntry[], createdHead: string | null): Promise<boolean> {
  const base = baseOf(entries);
  if (!base || entry.isMain || !entry.branch || /^0*$/.test(entry.head)) return false;
  const dir = entries[0]!.path;
  const tip = await git(dir, ['rev-parse', '--verify', '--quiet', `${base.ref}^{commit}`]);
  if (tip.code !== 0) return false;
  // Never moved since creation (or, for a worktree made elsewhere, still at the base's tip).
  if (entry.head === (createdHead ?? tip.stdout.trim())) return false;
  const r = await git(dir, ['merge-base', '--is-ancestor', entry.head, base.ref]);
  return r.code === 0;
}
