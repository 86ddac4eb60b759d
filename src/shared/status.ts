// The workflow state machine of docs/design.md §1 rule 5: the one place it is written down.
// Everything else (SQL compare-and-set lists, UI colours, tray counts) derives from it.

export const WORKFLOW_STATUSES = [
  'queued',
  'pending',
  'in_progress',
  'blocked',
  'completed',
  'failed',
  'cancelled',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/** Allowed transitions: from -> the statuses it may move to. */
export const TRANSITIONS: Readonly<Record<WorkflowStatus, readonly WorkflowStatus[]>> = {
  queued: ['pending', 'cancelled'],
  pending: ['in_progress', 'cancelled'],
  in_progress: ['blocked', 'completed', 'failed', 'cancelled'],
  blocked: ['in_progress', 'failed', 'cancelled'],
  completed: [],
  failed: [],
  cancelled: [],
};

/** Statuses that hold a worktree (rule 1). */
export const ACTIVE_STATUSES = ['queued', 'pending', 'in_progress', 'blocked'] as const satisfies readonly WorkflowStatus[];
/** Statuses that count against the concurrency limit (rule 2: blocked counts, queued does not). */
export const RUNNING_STATUSES = ['pending', 'in_progress', 'blocked'] as const satisfies readonly WorkflowStatus[];
export const TERMINAL_STATUSES = WORKFLOW_STATUSES.filter((s) => TRANSITIONS[s].length === 0);

export function canTransition(from: WorkflowStatus, to: WorkflowStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses from which `to` may be reached in one step: the `IN (…)` list of a compare-and-set. */
export function sourcesOf(to: WorkflowStatus): WorkflowStatus[] {
  return WORKFLOW_STATUSES.filter((from) => canTransition(from, to));
}

export function isActive(status: WorkflowStatus): boolean {
  return (ACTIVE_STATUSES as readonly WorkflowStatus[]).includes(status);
}

export function isTerminal(status: WorkflowStatus): boolean {
  return TRANSITIONS[status].length === 0;
}
