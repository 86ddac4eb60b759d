import { isTerminal } from '../../../shared/status';
import { withKey } from '../lib/keymap';
import { useApp, useWorkflow } from '../state/hooks';
import { runAction } from '../state/runAction';

export function WorkflowActions({ workflowId }: { workflowId: string }) {
  const app = useApp();
  const status = useWorkflow(workflowId)?.status;
  if (!status) return null;
  if (isTerminal(status)) {
    return (
      <div className="actions">
        <span className="muted">This workflow has ended; it is shown read-only.</span>
        <button type="button" title={withKey('newWorkflow')} onClick={() => runAction(app, 'newWorkflow')}>
          New workflow
        </button>
      </div>
    );
  }
  const blocked = status === 'blocked';
  return (
    <div className="actions" role="group" aria-label="Workflow actions">
      <button type="button" className="primary" disabled={!blocked} title={withKey('approve', 'Approve')} onClick={() => runAction(app, 'approve')}>
        Approve
      </button>
      <button type="button" disabled={!blocked} title={withKey('reject', 'Reject')} onClick={() => runAction(app, 'reject')}>
        Reject
      </button>
      <button type="button" className="danger" title={withKey('cancel', 'Cancel')} onClick={() => runAction(app, 'cancel')}>
        Cancel workflow
      </button>
      {!blocked && <span className="muted">Approve and Reject become available when the plan is ready.</span>}
    </div>
  );
}
