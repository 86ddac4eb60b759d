import { withKey } from '../lib/keymap';
import { isRail } from '../lib/sidebar';
import { useApp, useRepos, useUi } from '../state/hooks';
import { runAction } from '../state/runAction';
import { RepoGroup } from './RepoGroup';
import { SidebarRail } from './SidebarRail';

export function Sidebar() {
  const rail = useUi((s) => isRail(s.sidebar, s.narrow));
  return rail ? <SidebarRail /> : <SidebarList />;
}

function SidebarList() {
  const app = useApp();
  const repoIds = useRepos((s) => s.repos.map((r) => r.id).join('\n'));
  const loaded = useRepos((s) => s.loaded);
  const error = useRepos((s) => s.error);
  const ids = repoIds === '' ? [] : repoIds.split('\n');
  return (
    <nav className="sidebar" aria-label="Repositories and worktrees">
      <div className="sidebar-head">
        <button type="button" className="ghost small toggle" aria-label="Collapse the sidebar" title={withKey('toggleSidebar', 'Collapse the sidebar')} onClick={() => runAction(app, 'toggleSidebar')}>
          «
        </button>
        <span className="brand">Switchyard</span>
        <button type="button" className="ghost" aria-label="Add repository" title={withKey('addRepository')} onClick={() => runAction(app, 'addRepository')}>
          + Repository
        </button>
      </div>
      <div className="sidebar-body">
        {error && <p className="sidebar-error" role="alert">{error}</p>}
        {loaded && ids.length === 0 && <p className="muted pad">No repository yet. Add one to start (O).</p>}
        {ids.map((id) => (
          <RepoGroup key={id} repoId={id} />
        ))}
      </div>
      <div className="sidebar-foot">
        <button type="button" className="ghost" title={withKey('history')} onClick={() => runAction(app, 'history')}>
          History
        </button>
        <button type="button" className="ghost" title={withKey('palette')} onClick={() => runAction(app, 'palette')}>
          Commands
        </button>
        <button type="button" className="ghost" title={withKey('settings')} onClick={() => runAction(app, 'settings')}>
          Settings
        </button>
        <button type="button" className="ghost" aria-label="Keyboard shortcuts" title={withKey('help')} onClick={() => runAction(app, 'help')}>
          ?
        </button>
      </div>
    </nav>
  );
}
