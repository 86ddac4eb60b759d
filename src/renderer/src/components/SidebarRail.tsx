import { baseName, NEEDS_YOU, STATUS_LABEL, STATUS_MARK } from '../lib/format';
import { withKey } from '../lib/keymap';
import { worktreeTags } from '../lib/worktreeTags';
import { useApp, useRepos, useTracker, useWorkflows, useWorktreeRow } from '../state/hooks';
import { runAction } from '../state/runAction';
import { pullRequestWords, RailPullRequestMark } from './PullRequestBadge';

/** "feature-a" -> "fa", "main" -> "ma": enough to tell rows apart next to their status mark. */
function initials(name: string): string {
  const words = name.split(/[-_/.\s]+/).filter(Boolean);
  if (words.length > 1) return words.slice(0, 2).map((w) => w[0]).join('');
  return name.slice(0, 2);
}

/** The collapsed sidebar: one button per worktree with its status mark; names and status in the label. */
export function SidebarRail() {
  const app = useApp();
  const paths = useRepos((s) => Object.values(s.worktrees).flatMap((l) => l.map((w) => w.path)).join('\n'));
  return (
    <nav className="sidebar rail" aria-label="Repositories and worktrees">
      <div className="sidebar-head">
        <button type="button" className="ghost small toggle" aria-label="Expand the sidebar" title={withKey('toggleSidebar', 'Expand the sidebar')} onClick={() => runAction(app, 'toggleSidebar')}>
          »
        </button>
      </div>
      <ul className="sidebar-body rail-list">
        {paths.split('\n').filter(Boolean).map((path) => (
          <RailWorktree key={path} path={path} />
        ))}
      </ul>
      <div className="sidebar-foot">
        <button type="button" className="ghost small" aria-label="History" title={withKey('history')} onClick={() => runAction(app, 'history')}>
          ⟲
        </button>
        <button type="button" className="ghost small" aria-label="Commands" title={withKey('palette')} onClick={() => runAction(app, 'palette')}>
          ⌘
        </button>
        <button type="button" className="ghost small" aria-label="Settings" title={withKey('settings')} onClick={() => runAction(app, 'settings')}>
          ⚙
        </button>
        <button type="button" className="ghost small" aria-label="Keyboard shortcuts" title={withKey('help')} onClick={() => runAction(app, 'help')}>
          ?
        </button>
      </div>
    </nav>
  );
}

function RailWorktree({ path }: { path: string }) {
  const app = useApp();
  const wt = useRepos((s) => {
    for (const list of Object.values(s.worktrees)) for (const w of list) if (w.path === path) return w;
    return null;
  });
  const branch = wt ? (wt.branch ?? `${baseName(path)} (detached)`) : baseName(path);
  const { workflowId, status, issueId, selected, opened, ref } = useWorktreeRow(path);
  // Rule 11: a running workflow whose agent waits for a tool answer needs the person, like a gate.
  const needsYou = useWorkflows((s) => status === 'in_progress' && workflowId !== null && (s.byId[workflowId]?.pendingPermissions.length ?? 0) > 0);
  const shown = needsYou ? 'blocked' : status;
  const link = useTracker((s) => s.links[path]);
  const pr = link?.pullRequest;
  const tags = wt ? worktreeTags(wt) : [];
  // Rule 13's tags and the pull request are words in the name ("feature-a: No workflow; setup failed"), marks on screen.
  const extra = [...(pr ? [pullRequestWords(pr)] : []), ...(tags.length ? [tags.map((t) => t.text).join(', ')] : [])];
  const label = `${branch}: ${needsYou ? NEEDS_YOU : status ? STATUS_LABEL[status] : 'No workflow'}${issueId ? ` ${issueId}` : ''}${extra.map((x) => `; ${x}`).join('')}`;
  const why = tags.map((t) => t.title).join('\n');
  return (
    <li ref={ref} className={`rail-wt${selected ? ' cursor' : ''}${opened ? ' open' : ''}`}>
      <button type="button" aria-current={opened ? 'page' : undefined} title={`${label}\n${why ? `${why}\n` : ''}${path}\n${withKey('open', 'Open')}`} onClick={() => app.commands.openWorktree(path)}>
        {/* The name is the words (hidden text), not the abbreviation shown. */}
        <span className="sr-only">{label}</span>
        <span className={shown ? `rail-mark s-${shown}` : 'rail-mark'} aria-hidden="true">
          {shown ? STATUS_MARK[shown] : '·'}
        </span>
        <span className="rail-name" aria-hidden="true">{initials(branch)}</span>
        <RailPullRequestMark link={link} />
        {tags.length > 0 && (
          <span className="rail-tags" aria-hidden="true">
            {tags.map((t) => (
              <span key={t.text} className={t.bad ? 'rail-tag bad' : 'rail-tag'}>
                {t.mark}
              </span>
            ))}
          </span>
        )}
      </button>
    </li>
  );
}
