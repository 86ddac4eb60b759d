import { withKey } from '../lib/keymap';
import { useApp, useRepos } from '../state/hooks';
import { runAction } from '../state/runAction';
import { WorktreeRow } from './WorktreeRow';

export function RepoGroup({ repoId }: { repoId: string }) {
  const app = useApp();
  const repo = useRepos((s) => s.repos.find((r) => r.id === repoId));
  const paths = useRepos((s) => (s.worktrees[repoId] ?? []).map((w) => w.path).join('\n'));
  const merged = useRepos((s) => (s.worktrees[repoId] ?? []).filter((w) => w.stale).length);
  if (!repo) return null;
  const list = paths === '' ? [] : paths.split('\n');
  const headingId = `repo-${repoId}`;
  return (
    <section className="repo" aria-labelledby={headingId}>
      <div className="repo-head">
        <h2 id={headingId} title={repo.path}>{repo.name}</h2>
        <button
          type="button"
          className="ghost small"
          aria-label={`Create worktree in ${repo.name}`}
          title={withKey('createWorktree', `Create worktree in ${repo.name}`)}
          onClick={() => app.stores.ui.setState({ dialog: { kind: 'createWorktree', repoId } })}
        >
          + Worktree
        </button>
        {merged > 0 && (
          <button
            type="button"
            className="ghost small"
            aria-label={`Remove ${merged} merged worktree${merged === 1 ? '' : 's'} of ${repo.name}`}
            title={withKey('removeMerged', `Remove ${merged} merged, clean, idle worktree${merged === 1 ? '' : 's'}`)}
            onClick={() => {
              app.stores.ui.setState({ selectedPath: (app.stores.repos.getState().worktrees[repoId] ?? []).find((w) => w.stale)?.path ?? null });
              runAction(app, 'removeMerged');
            }}
          >
            Remove merged ({merged})
          </button>
        )}
      </div>
      <ul className="worktrees">
        {list.map((path) => (
          <WorktreeRow key={path} repoId={repoId} path={path} />
        ))}
      </ul>
    </section>
  );
}
