// Pure updates of the workflows store. Pushes are the truth; a snapshot (a list answered by the
// core) must not overwrite a push that arrived after the snapshot was requested.
import type { Workflow, Worktree } from '../../../shared/domain';
import { ACTIVE_STATUSES, RUNNING_STATUSES, type WorkflowStatus } from '../../../shared/status';
import type { WorkflowsStore } from './stores';

export function upsertWorkflows(state: WorkflowsStore, workflows: readonly Workflow[]): WorkflowsStore {
  if (workflows.length === 0) return state;
  const byId = { ...state.byId };
  const latestByWorktree = { ...state.latestByWorktree };
  for (const w of workflows) {
    byId[w.id] = w;
    const currentId = latestByWorktree[w.worktreePath];
    const current = currentId === undefined ? undefined : byId[currentId];
    if (!current || current.id === w.id || isNewer(w, current)) latestByWorktree[w.worktreePath] = w.id;
  }
  return { byId, latestByWorktree };
}

function isNewer(a: Workflow, b: Workflow): boolean {
  const aActive = isActiveStatus(a.status);
  const bActive = isActiveStatus(b.status);
  if (aActive !== bActive) return aActive; // the active one is what the worktree is doing now
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);
}

export const isActiveStatus = (s: WorkflowStatus): boolean => (ACTIVE_STATUSES as readonly WorkflowStatus[]).includes(s);
export const isRunningStatus = (s: WorkflowStatus): boolean => (RUNNING_STATUSES as readonly WorkflowStatus[]).includes(s);

/** Counts for the status bar: running (against the limit) and queued. */
export function countActive(byId: Record<string, Workflow>): { running: number; queued: number } {
  let running = 0;
  let queued = 0;
  for (const w of Object.values(byId)) {
    if (isRunningStatus(w.status)) running++;
    else if (w.status === 'queued') queued++;
  }
  return { running, queued };
}

/** Tracks which workflows were pushed after a snapshot was requested. */
export class PushClock {
  private tick = 0;
  private readonly lastPush = new Map<string, number>();

  /** Call when a request for a snapshot goes out; pass the value to `fresh`. */
  now(): number {
    return this.tick;
  }

  pushed(id: string): void {
    this.lastPush.set(id, ++this.tick);
  }

  /** The snapshot's copies of workflows that were not pushed since `requestedAt`. */
  fresh(items: readonly Workflow[], requestedAt: number): Workflow[] {
    return items.filter((w) => (this.lastPush.get(w.id) ?? 0) <= requestedAt);
  }
}

/** The repo whose worktree list contains this path. */
export function repoOfWorktree(worktrees: Record<string, Worktree[]>, path: string): string | null {
  for (const [repoId, list] of Object.entries(worktrees)) {
    if (list.some((wt) => wt.path === path)) return repoId;
  }
  return null;
}

/** All worktree paths in sidebar order. */
export function worktreeOrder(repoIds: readonly string[], worktrees: Record<string, Worktree[]>): string[] {
  return repoIds.flatMap((id) => (worktrees[id] ?? []).map((wt) => wt.path));
}
