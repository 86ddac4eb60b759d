import { baseName } from '../lib/format';
import { withKey } from '../lib/keymap';
import { useApp, useRepos, useShownWorkflowId, useUi } from '../state/hooks';
import { runAction } from '../state/runAction';
import { HistoryView } from './HistoryView';
import { WorkflowView } from './WorkflowView';
import { WorktreeTools } from './WorktreeTools';

export function MainPane() {
  const kind = useUi((s) => s.main.kind);
  const id = useShownWorkflowId();
  if (kind === 'history') return <HistoryView />;
  return (
    <>
      <WorktreeTools />
      {id ? <WorkflowView key={id} workflowId={id} /> : <EmptyState />}
    </>
  );
}

function EmptyState() {
  const app = useApp();
  const path = useUi((s) => (s.main.kind === 'worktree' ? s.main.path : null));
  const hasRepos = useRepos((s) => s.repos.length > 0);
  const loaded = useRepos((s) => s.loaded);
  if (!loaded) return <div className="empty"><p className="muted">Loading…</p></div>;
  if (!hasRepos) {
    return (
      <div className="empty">
        <h1>Welcome to Switchyard</h1>
        <p className="muted">Add a git repository to see its worktrees and run workflows in them.</p>
        <button type="button" className="primary" title={withKey('addRepository')} onClick={() => runAction(app, 'addRepository')}>
          Add repository
        </button>
      </div>
    );
  }
  if (!path) {
    return (
      <div className="empty">
        <p className="muted">Select a worktree on the left (↑/↓, Enter) to see its workflow.</p>
      </div>
    );
  }
  return (
    <div className="empty">
      <h1>{baseName(path)}</h1>
      <p className="muted">No workflow has run in this worktree yet.</p>
      <button type="button" className="primary" title={withKey('newWorkflow')} onClick={() => runAction(app, 'newWorkflow')}>
        New workflow
      </button>
    </div>
  );
}
