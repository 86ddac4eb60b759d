import { useEffect } from 'react';
import { withKey } from '../lib/keymap';
import { useApp, useUi, useWorkflow } from '../state/hooks';
import { runAction } from '../state/runAction';
import { ChangesView } from './ChangesView';
import { EventStream } from './EventStream';
import { PermissionPanel } from './PermissionPanel';
import { PlanPanel } from './PlanPanel';
import { WorkflowActions } from './WorkflowActions';
import { WorkflowHeader } from './WorkflowHeader';

export function WorkflowView({ workflowId }: { workflowId: string }) {
  const app = useApp();
  const status = useWorkflow(workflowId)?.status;
  const worktreePath = useWorkflow(workflowId)?.worktreePath;
  const failureReason = useWorkflow(workflowId)?.failureReason ?? null;
  const tab = useUi((s) => s.tab);

  useEffect(() => {
    void app.commands.ensureWorkflow(workflowId).catch((e: unknown) =>
      app.stores.ui.setState({ notice: { text: e instanceof Error ? e.message : String(e), tone: 'error' } }),
    );
  }, [app, workflowId]);
  useEffect(() => app.feed.open(workflowId), [app, workflowId]);

  if (!status || !worktreePath) return <div className="empty"><p className="muted">Loading workflow…</p></div>;
  return (
    <section className="workflow" aria-label="Workflow">
      <WorkflowHeader workflowId={workflowId} />
      <WorkflowActions workflowId={workflowId} />
      {failureReason && status === 'failed' && (
        <div className="failure" aria-label="Failure reason">
          <strong>Failure reason</strong>
          <pre>{failureReason}</pre>
        </div>
      )}
      {status === 'blocked' && <PlanPanel workflowId={workflowId} />}
      {status === 'in_progress' && <PermissionPanel workflowId={workflowId} />}
      <div className="tabs" role="tablist" aria-label="Workflow details">
        <button type="button" role="tab" aria-selected={tab === 'events'} title={withKey('showEvents', 'Events')} onClick={() => runAction(app, 'showEvents')}>
          Events
        </button>
        <button type="button" role="tab" aria-selected={tab === 'changes'} title={withKey('showChanges', 'Changed files')} onClick={() => runAction(app, 'showChanges')}>
          Changed files
        </button>
      </div>
      <div className="tabpanel" role="tabpanel" aria-label={tab === 'events' ? 'Events' : 'Changed files'}>
        {tab === 'events' ? <EventStream workflowId={workflowId} /> : <ChangesView worktreePath={worktreePath} status={status} />}
      </div>
    </section>
  );
}
