// Tests only: a Workflow with sensible defaults (shell tests only).
import type { Workflow } from '../../../shared/domain';
import { EMPTY_USAGE } from '../../../shared/events';
import type { WorkflowStatus } from '../../../shared/status';

let n = 0;
export function wf(status: WorkflowStatus, over: Partial<Workflow> = {}): Workflow {
  n += 1;
  const id = over.id ?? `wf-${n}`;
  return {
    id,
    issueId: `ISSUE-${n}`,
    title: `Title ${n}`,
    description: '',
    worktreePath: `/repos/app.worktrees/wt-${n}`,
    worktreeName: `wt-${n}`,
    pipeline: { name: 'default', stages: [] },
    status,
    currentStage: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    startedAt: null,
    completedAt: null,
    failureReason: null,
    usage: { ...EMPTY_USAGE },
    pendingPermissions: [],
    ...over,
  } as Workflow;
}
