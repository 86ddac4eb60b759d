// Worktree hygiene (rule 13): a linked worktree that is merged, clean and idle is offered for
// removal. "Merged": its HEAD is in the base branch and it moved since it was created (a fresh
// worktree has done nothing yet; it is not finished work).
import { git } from './gitCli';
import { baseOf } from './locate';
import type { WorktreeEntry } from './worktreeList';

/** The base branch's ref and commit, read once per listing; null when there is none. */
export async function baseTip(entries: readonly WorktreeEntry[]): Promise<{ ref: string; commit: string } | null> {
  const base = baseOf(entries);
  if (!base) return null;
  const tip = await git(entries[0]!.path, ['rev-parse', '--verify', '--quiet', `${base.ref}^{commit}`]);
  return tip.code === 0 ? { ref: base.ref, commit: tip.stdout.trim() } : null;
}

export async function isMerged(entry: WorktreeEntry, mainDir: string, base: { ref: string; commit: string }, createdHead: string | null): Promise<boolean> {
  if (entry.isMain || !entry.branch || /^0*$/.test(entry.head)) return false;
  // Never moved since it was created: Switchyard's record, else the branch's reflog (its oldest
  // entry is the creation), else the base's tip.
  const created = createdHead ?? (await branchCreatedAt(mainDir, entry.branch)) ?? base.commit;
  if (entry.head === created) return false;
  return (await git(mainDir, ['merge-base', '--is-ancestor', entry.head, base.ref])).code === 0;
}

async function branchCreatedAt(dir: string, branch: string): Promise<string | null> {
  const r = await git(dir, ['reflog', 'show', '--format=%H', `refs/heads/${branch}`, '--']);
  if (r.code !== 0) return null;
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  return lines[lines.length - 1] ?? null;
}
