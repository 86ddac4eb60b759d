import { isTerminal } from '../../../shared/status';
import { withKey } from '../lib/keymap';
import { useApp, useTracker, useWorkflow } from '../state/hooks';
import { runAction } from '../state/runAction';

export function WorkflowActions({ workflowId }: { workflowId: string }) {
  const app = useApp();
  const w = useWorkflow(workflowId);
  const status = w?.status;
  const draft = useTracker((s) => s.draft);
  const shipping = useTracker((s) => s.shipping[workflowId] === true);
  const failing = useTracker((s) => (w ? s.links[w.worktreePath]?.pullRequest?.checks === 'failing' : false));
  if (!status) return null;
  if (isTerminal(status)) {
    return (
      <div className="actions" role="group" aria-label="Workflow actions">
        <span className="muted">This workflow has ended; it is shown read-only.</span>
        <button type="button" title={withKey('newWorkflow')} onClick={() => runAction(app, 'newWorkflow')}>
          New workflow
        </button>
        <button type="button" className="primary" disabled={shipping} title={withKey('ship', 'Commit, push and open a pull request')} onClick={() => runAction(app, 'ship')}>
          {shipping ? 'Shipping…' : 'Ship'}
        </button>
        <label className="check" title="Open the pull request as a draft">
          <input type="checkbox" checked={draft} onChange={(e) => app.stores.tracker.setState({ draft: e.target.checked })} /> as a draft
        </label>
        {failing && (
          <button type="button" className="danger" title={withKey('fixChecks', 'Start a workflow that fixes the failing checks')} onClick={() => runAction(app, 'fixChecks')}>
            Fix failing checks
          </button>
        )}
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
