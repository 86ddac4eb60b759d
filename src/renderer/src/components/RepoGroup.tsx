import { withKey } from '../lib/keymap';
import { useApp, useRepos } from '../state/hooks';
import { WorktreeRow } from './WorktreeRow';

export function RepoGroup({ repoId }: { repoId: string }) {
  const app = useApp();
  const repo = useRepos((s) => s.repos.find((r) => r.id === repoId));
  const paths = useRepos((s) => (s.worktrees[repoId] ?? []).map((w) => w.path).join('\n'));
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
      </div>
      <ul className="worktrees">
        {list.map((path) => (
          <WorktreeRow key={path} repoId={repoId} path={path} />
        ))}
      </ul>
    </section>
  );
}
