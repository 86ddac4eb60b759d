import type { Workflow } from '../../../../shared/domain';
import { isApprovalStage } from '../../../../shared/pipeline';
import { useApp, useConnection, useWorkflow } from '../../state/hooks';
import { ErrorText, Modal } from './Modal';
import { useSubmit } from './useSubmit';

/** What cancelling will stop, in words. */
function whatGetsKilled(w: Workflow, graceMs: number | null): string {
  const grace = graceMs === null ? 'after a grace period' : `after ${graceMs / 1000} s`;
  if (w.status === 'queued') return 'Nothing is running yet: the workflow leaves the queue and frees its worktree.';
  if (w.status === 'blocked') return 'No agent is running (the plan is waiting for approval): the workflow ends and frees its worktree.';
  const stage = w.pipeline.stages.find((s) => s.name === w.currentStage);
  if (stage && !isApprovalStage(stage)) {
    return `The ${stage.agent} agent of stage "${stage.name}" (${stage.run[0]}) and every process it started in ${w.worktreePath} get SIGTERM, then SIGKILL ${grace}.`;
  }
  return `Any agent process of this workflow in ${w.worktreePath} gets SIGTERM, then SIGKILL ${grace}.`;
}

export function CancelDialog({ workflowId, onClose }: { workflowId: string; onClose: () => void }) {
  const app = useApp();
  const w = useWorkflow(workflowId);
  const grace = useConnection((s) => s.settings?.killGraceMs ?? null);
  const { busy, error, submit: confirm } = useSubmit(async () => {
    await app.commands.cancel(workflowId, 'cancelled from the window');
    onClose();
  });
  if (!w) return null;

  return (
    <Modal title={`Cancel ${w.issueId}?`} onClose={onClose}>
      <p>{whatGetsKilled(w, grace)}</p>
      <p className="muted small">Changes the agent already made stay in the worktree.</p>
      <ErrorText error={error} />
      <div className="buttons">
        <button type="button" data-autofocus="" onClick={onClose}>Keep running</button>
        <button type="button" className="danger" disabled={busy} onClick={() => void confirm()}>
          Cancel workflow
        </button>
      </div>
    </Modal>
  );
}
