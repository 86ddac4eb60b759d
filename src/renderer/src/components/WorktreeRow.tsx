import { baseName } from '../lib/format';
import { withKey } from '../lib/keymap';
import { useApp, useRepos, useTracker, useWorkflows, useWorktreeRow } from '../state/hooks';
import { PullRequestBadge } from './PullRequestBadge';
import { StatusBadge } from './StatusBadge';

export function WorktreeRow({ repoId, path }: { repoId: string; path: string }) {
  const app = useApp();
  const wt = useRepos((s) => s.worktrees[repoId]?.find((w) => w.path === path));
  const { workflowId, status, issueId, selected, opened, ref } = useWorktreeRow(path);
  const link = useTracker((s) => s.links[path]);
  const stage = useWorkflows((s) => (workflowId ? s.byId[workflowId]?.currentStage : null));
  const needsYou = useWorkflows((s) => (workflowId ? (s.byId[workflowId]?.pendingPermissions.length ?? 0) > 0 : false));

  if (!wt) return null;
  const name = wt.branch ?? `${baseName(path)} (detached)`;
  return (
    <li ref={ref} className={`wt${selected ? ' cursor' : ''}${opened ? ' open' : ''}`}>
      <button
        type="button"
        className="wt-main"
        aria-current={opened ? 'page' : undefined}
        title={`${path}\n${withKey('open', 'Open')}`}
        onClick={() => app.commands.openWorktree(path)}
      >
        <span className="wt-name">
          {name}
          {wt.isMain && <span className="tag">main</span>}
          {wt.dirty && <span className="tag" title="Uncommitted changes">modified</span>}
          {wt.setup?.status === 'running' && <span className="tag" title="Its setup steps are running">setting up</span>}
          {wt.setup?.status === 'failed' && <span className="tag bad" title={wt.setup.failureReason ?? 'Setup failed'}>setup failed</span>}
          {wt.run?.status === 'running' && <span className="tag" title={`The run command is running (ports ${wt.portBase ?? '?'}–)`}>running</span>}
          {wt.stale && <span className="tag" title="Merged, clean and idle: it can go (Z removes merged worktrees)">merged</span>}
        </span>
        <span className="wt-state">
          {status ? <StatusBadge status={status} needsYou={needsYou} /> : <span className="muted">No workflow</span>}
          {issueId && <span className="wt-issue">{issueId}</span>}
          {stage && status && !['completed', 'cancelled'].includes(status) && <span className="wt-stage">{stage}</span>}
        </span>
        <PullRequestBadge link={link} compact />
      </button>
      {!wt.isMain && (
        <button
          type="button"
          className="wt-remove ghost small"
          aria-label={`Remove worktree ${name}`}
          title={withKey('removeWorktree', `Remove worktree ${name}`)}
          onClick={() => app.stores.ui.setState({ selectedPath: path, dialog: { kind: 'removeWorktree', worktreePath: path } })}
        >
          ×
        </button>
      )}
    </li>
  );
}
