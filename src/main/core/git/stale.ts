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
  // Never moved since it was created: Switchyard's record, else the branch's reflog (its oldest
  // entry is the creation), else the base's tip.
  const created = createdHead ?? (await branchCreatedAt(dir, entry.branch)) ?? tip.stdout.trim();
  if (entry.head === created) return false;
  const r = await git(dir, ['merge-base', '--is-ancestor', entry.head, base.ref]);
  return r.code === 0;
}

async function branchCreatedAt(dir: string, branch: string): Promise<string | null> {
  const r = await git(dir, ['reflog', 'show', '--format=%H', `refs/heads/${branch}`, '--']);
  if (r.code !== 0) return null;
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  return lines[lines.length - 1] ?? null;
}
