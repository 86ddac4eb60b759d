import { baseName } from '../lib/format';
import { withKey } from '../lib/keymap';
import { worktreeTags } from '../lib/worktreeTags';
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
          {worktreeTags(wt).map((t) => (
            <span key={t.text} className={t.bad ? 'tag bad' : 'tag'} title={t.title}>
              {t.text}
            </span>
          ))}
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
