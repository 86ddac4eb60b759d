// Rule 13's tags of a worktree row (setting up, setup failed, running, merged): one list for the
// full sidebar (the words) and the collapsed rail (a mark each, the words in its accessible name).
import type { Worktree } from '../../../shared/domain';

export interface WorktreeTag {
  text: string;
  /** The tooltip: why the tag is there. */
  title: string;
  /** The rail's one-character mark (the words go in the accessible name). */
  mark: string;
  bad: boolean;
}

type Tagged = Pick<Worktree, 'setup' | 'run' | 'portBase' | 'stale'>;

export function worktreeTags(wt: Tagged): WorktreeTag[] {
  const tags: WorktreeTag[] = [];
  if (wt.setup?.status === 'running') tags.push({ text: 'setting up', title: 'Its setup steps are running', mark: '…', bad: false });
  if (wt.setup?.status === 'failed') {
    const step = wt.setup.failedStep ? ` at step ${wt.setup.failedStep}` : '';
    tags.push({ text: 'setup failed', title: `Setup failed${step}: ${wt.setup.failureReason ?? 'see its output'} (U re-runs it)`, mark: '!', bad: true });
  }
  if (wt.run?.status === 'running') {
    const ports = wt.portBase === null || wt.portBase === undefined ? '' : ` on ports ${wt.portBase}–${wt.portBase + 9}`;
    tags.push({ text: 'running', title: `The run command is running${ports} (X stops it)`, mark: '▸', bad: false });
  }
  if (wt.stale) tags.push({ text: 'merged', title: 'Merged, clean and idle: it can go (Z removes merged worktrees)', mark: '✓', bad: false });
  return tags;
}
