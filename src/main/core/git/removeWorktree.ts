// worktrees.remove: takes a linked worktree away only when no work would be lost (or when forced),
// never while a workflow runs there, never the main worktree.
import { SwitchyardError, invalidInput, invalidState } from '../../../shared/errors';
import { git, gitFailed, gitOk } from './gitCli';
import { baseOf, type Located } from './locate';
import { uncommittedFiles, type WorktreeEntry } from './worktreeList';

/** What removing a worktree (and deleting its branch) would lose. */
export interface Loss {
  uncommitted: string[];
  /** Commits on the worktree's HEAD in neither the base branch nor any remote-tracking branch (any branch or tag, when detached). */
  unsavedCommits: number;
  /** Commits on the branch not in the base branch (pushed or not): zero means the branch is merged. */
  unmergedCommits: number;
  locked: boolean;
}

const isUnborn = (head: string) => head === '' || /^0+$/.test(head);

async function countCommits(dir: string, head: string, exclude: string[]): Promise<number> {
  const out = await gitOk(dir, ['rev-list', '--count', head, '--not', ...exclude, '--']);
  return Number(out.trim());
}

async function refExists(dir: string, ref: string): Promise<boolean> {
  return (await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).code === 0;
}

export async function assessLoss(located: Located): Promise<Loss> {
  const { entry, entries } = located;
  const dir = entries[0]!.path;
  const uncommitted = entry.prunable ? [] : await uncommittedFiles(entry.path);
  if (isUnborn(entry.head)) return { uncommitted, unsavedCommits: 0, unmergedCommits: 0, locked: entry.locked };
  const base = baseOf(entries);
  const baseRefs = base && (await refExists(dir, base.ref)) ? [base.ref] : [];
  let unsavedCommits: number;
  let unmergedCommits: number;
  if (entry.branch) {
    unmergedCommits = await countCommits(dir, entry.head, baseRefs);
    unsavedCommits = unmergedCommits === 0 ? 0 : await countCommits(dir, entry.head, [...baseRefs, '--remotes']);
  } else {
    // A detached HEAD's commits survive only if some branch, tag or remote-tracking ref has them.
    unsavedCommits = await countCommits(dir, entry.head, ['--branches', '--tags', '--remotes']);
    unmergedCommits = unsavedCommits;
  }
  return { uncommitted, unsavedCommits, unmergedCommits, locked: entry.locked };
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function describeLoss(entry: WorktreeEntry, loss: Loss, baseName: string | null): string[] {
  const parts: string[] = [];
  if (loss.uncommitted.length > 0) {
    const shown = loss.uncommitted.slice(0, 5).join(', ');
    const more = loss.uncommitted.length > 5 ? `, and ${loss.uncommitted.length - 5} more` : '';
    parts.push(`${plural(loss.uncommitted.length, 'uncommitted file')} (${shown}${more})`);
  }
  if (loss.unsavedCommits > 0) {
    parts.push(
      entry.branch
        ? `${plural(loss.unsavedCommits, 'commit')} on ${entry.branch} neither merged into ${baseName ?? 'the base branch'} nor pushed`
        : `${plural(loss.unsavedCommits, 'commit')} on the detached HEAD that no branch, tag or remote contains`,
    );
  }
  if (loss.locked) parts.push(`the worktree is locked${entry.lockReason ? ` (${entry.lockReason})` : ''}`);
  return parts;
}

export interface RemoveContext {
  activeWorkflowId(path: string): string | null;
  /** Holds the worktree so no workflow starts in it while it is removed; throws WORKTREE_CONFLICT if one is active. */
  reserveWorktree(path: string, purpose: string): () => void;
  /** Once nothing would be lost, just before git removes it: stop what runs in it (rule 13's run command, setup). */
  beforeRemoval?(path: string): Promise<void>;
  /** After it is gone: free what it held (its port range). */
  removed?(path: string): void;
}

export async function removeWorktree(ctx: RemoveContext, located: Located, force: boolean): Promise<void> {
  const { entry, requested } = located;
  if (entry.isMain) {
    throw invalidInput(`${entry.path} is the main worktree of its repository; Switchyard never removes it`, { worktreePath: entry.path });
  }
  const workflowId = ctx.activeWorkflowId(entry.path) ?? ctx.activeWorkflowId(requested);
  if (workflowId) {
    throw new SwitchyardError('WORKTREE_CONFLICT', `Workflow ${workflowId} is active in ${entry.path}; cancel it before removing the worktree`, {
      workflowId,
      worktreePath: entry.path,
    });
  }

  // From here to the end no workflow may start in the worktree: the check above and this hold
  // happen in the same synchronous step, so nothing can slip in between.
  const release = ctx.reserveWorktree(entry.path, 'being removed');
  try {
    await removeReserved(ctx, located, force);
  } finally {
    release();
  }
}

async function removeReserved(ctx: RemoveContext, located: Located, force: boolean): Promise<void> {
  const { entry, entries } = located;
  const mainDir = entries[0]!.path;
  const loss = await assessLoss(located);
  const base = baseOf(entries);
  if (!force) {
    const parts = describeLoss(entry, loss, base?.name ?? null);
    if (parts.length > 0) {
      throw invalidState(`Removing ${entry.path} would lose work: ${parts.join('; ')}. Commit, push or merge it first, or remove with force.`, {
        worktreePath: entry.path,
        uncommittedFiles: loss.uncommitted.slice(0, 100),
        uncommittedCount: loss.uncommitted.length,
        unsavedCommits: loss.unsavedCommits,
        branch: entry.branch,
        base: base?.name ?? null,
        locked: loss.locked,
      });
    }
  }

  await ctx.beforeRemoval?.(entry.path);
  if (entry.locked) {
    const args = ['worktree', 'unlock', '--', entry.path];
    const r = await git(mainDir, args);
    if (r.code !== 0) throw gitFailed(args, r, 'INVALID_STATE', `Could not unlock ${entry.path}`);
  }
  if (!entry.prunable) {
    // Without force git checks cleanliness once more, so a file written since our check still wins.
    const args = ['worktree', 'remove', ...(force ? ['--force'] : []), '--', entry.path];
    const r = await git(mainDir, args);
    if (r.code !== 0) throw gitFailed(args, r, 'INVALID_STATE', `Could not remove ${entry.path}`);
  }
  // Drops this worktree's record if its folder was already gone, and any other stale record.
  await gitOk(mainDir, ['worktree', 'prune']);
  ctx.removed?.(entry.path);

  if (entry.branch && (force || loss.unmergedCommits === 0)) {
    const args = ['branch', '-D', '--', entry.branch];
    const r = await git(mainDir, args);
    if (r.code !== 0) {
      throw gitFailed(args, r, 'INTERNAL', `The worktree ${entry.path} was removed, but its branch ${entry.branch} could not be deleted`);
    }
  }
}
