// What each keyboard / palette action does. One function, so the key handler, the palette and
// the buttons can never disagree.
import type { Workflow, Worktree } from '../../../shared/domain';
import { isTerminal } from '../../../shared/status';
import type { ActionId } from '../lib/keymap';
import { toggled } from '../lib/sidebar';
import type { App } from './app';
import { errorText } from './commands';
import { repoOfWorktree } from './workflowsModel';

function shownWorkflow(app: App): Workflow | null {
  const id = app.commands.shownWorkflowId();
  return id ? (app.stores.workflows.getState().byId[id] ?? null) : null;
}

function mainWorktree(app: App, path: string | null): boolean {
  if (!path) return false;
  return Object.values(app.stores.repos.getState().worktrees).some((l) => l.some((w) => w.path === path && w.isMain));
}

/** Rule 13's actions act on the worktree the main pane shows (else the sidebar's cursor), if linked. */
export function toolsWorktree(app: App): Worktree | null {
  const ui = app.stores.ui.getState();
  const path = ui.main.kind === 'worktree' ? ui.main.path : (shownWorkflow(app)?.worktreePath ?? ui.selectedPath);
  if (!path) return null;
  for (const list of Object.values(app.stores.repos.getState().worktrees)) {
    const w = list.find((x) => x.path === path);
    if (w) return w.isMain ? null : w;
  }
  return null;
}

/** The repository a dialog starts on: the selected worktree's, else the first one. */
function dialogRepo(app: App, selectedPath: string | null): string | null {
  const { worktrees, repos } = app.stores.repos.getState();
  return (selectedPath ? repoOfWorktree(worktrees, selectedPath) : null) ?? repos[0]?.id ?? null;
}

/** The repository of the shown or selected worktree, else the first one with merged worktrees. */
function mergedRepo(app: App): string | null {
  const { worktrees } = app.stores.repos.getState();
  const path = app.stores.ui.getState().selectedPath;
  const own = path ? repoOfWorktree(worktrees, path) : null;
  if (own && worktrees[own]?.some((w) => w.stale)) return own;
  return Object.entries(worktrees).find(([, list]) => list.some((w) => w.stale))?.[0] ?? null;
}

/** Whether an action can do something right now (the palette greys out the others). */
export function isAvailable(app: App, id: ActionId): boolean {
  const ui = app.stores.ui.getState();
  const w = shownWorkflow(app);
  switch (id) {
    case 'approve':
    case 'reject':
      return w?.status === 'blocked';
    case 'cancel':
      return w !== null && !isTerminal(w.status);
    case 'allowTool':
    case 'allowToolAlways':
    case 'denyTool':
      return (w?.pendingPermissions.length ?? 0) > 0;
    case 'open':
      return ui.selectedPath !== null;
    case 'newWorkflow':
      return app.stores.repos.getState().repos.length > 0;
    case 'createWorktree':
      return app.stores.repos.getState().repos.length > 0;
    case 'removeWorktree':
      return ui.selectedPath !== null && !mainWorktree(app, ui.selectedPath);
    case 'issues':
      return app.stores.repos.getState().repos.length > 0;
    case 'ship':
      return w !== null && isTerminal(w.status);
    case 'fixChecks':
      return w !== null && app.stores.tracker.getState().links[w.worktreePath]?.pullRequest?.checks === 'failing';
    case 'search':
    case 'showEvents':
    case 'showChanges':
    case 'jumpToLatest':
      return w !== null;
    case 'rerunSetup':
      return toolsWorktree(app) !== null && toolsWorktree(app)!.setup?.status !== 'running';
    case 'toggleRun':
    case 'worktreeOutput':
      return toolsWorktree(app) !== null;
    case 'removeMerged':
      return mergedRepo(app) !== null;
    default:
      return true;
  }
}

const notice = (app: App, text: string, tone: 'error' | 'info' = 'info') => app.stores.ui.setState({ notice: { text, tone } });

export function runAction(app: App, id: ActionId): void {
  const ui = app.stores.ui;
  const w = shownWorkflow(app);
  const { selectedPath } = ui.getState();
  switch (id) {
    case 'nextWorktree':
      return app.commands.moveSelection(1);
    case 'prevWorktree':
      return app.commands.moveSelection(-1);
    case 'open':
      if (selectedPath) app.commands.openWorktree(selectedPath);
      return;
    case 'newWorkflow':
      ui.setState({ dialog: { kind: 'start', worktreePath: w && !isTerminal(w.status) ? w.worktreePath : (selectedPath ?? w?.worktreePath ?? null) } });
      return;
    case 'approve':
      if (w?.status !== 'blocked') return notice(app, w ? `Nothing to approve: ${w.issueId} is not waiting for approval.` : 'Nothing to approve: no workflow is open.');
      void app.commands.approve(w.id).catch((e) => notice(app, errorText(e), 'error'));
      return;
    case 'reject':
      if (w?.status !== 'blocked') return notice(app, w ? `Nothing to reject: ${w.issueId} is not waiting for approval.` : 'Nothing to reject: no workflow is open.');
      ui.setState({ dialog: { kind: 'reject', workflowId: w.id } });
      return;
    case 'cancel':
      if (!w || isTerminal(w.status)) return notice(app, w ? `Nothing to cancel: ${w.issueId} has already ended.` : 'Nothing to cancel: no workflow is open.');
      ui.setState({ dialog: { kind: 'cancel', workflowId: w.id } });
      return;
    case 'search':
      ui.setState((s) => ({ tab: 'events', searchRequest: s.searchRequest + 1 }));
      return;
    case 'palette':
      ui.setState({ dialog: { kind: 'palette' } });
      return;
    case 'help':
      ui.setState({ dialog: { kind: 'help' } });
      return;
    case 'history':
      return app.commands.openHistory();
    case 'showEvents':
      ui.setState({ tab: 'events' });
      return;
    case 'showChanges':
      ui.setState({ tab: 'changes' });
      return;
    case 'jumpToLatest':
      ui.setState((s) => ({ tab: 'events', jumpRequest: s.jumpRequest + 1 }));
      return;
    case 'addRepository':
      ui.setState({ dialog: { kind: 'addRepository' } });
      return;
    case 'createWorktree': {
      ui.setState({ dialog: { kind: 'createWorktree', repoId: dialogRepo(app, selectedPath) } });
      return;
    }
    case 'removeWorktree':
      if (!selectedPath) return;
      if (mainWorktree(app, selectedPath)) return notice(app, 'The main worktree of a repository cannot be removed.');
      ui.setState({ dialog: { kind: 'removeWorktree', worktreePath: selectedPath } });
      return;
    case 'toggleSidebar':
      ui.setState((s) => ({ sidebar: toggled(s.sidebar, s.narrow) }));
      return;
    case 'settings':
      ui.setState({ dialog: { kind: 'settings' } });
      return;
    case 'issues': {
      ui.setState({ dialog: { kind: 'issues', repoId: dialogRepo(app, selectedPath) } });
      return;
    }
    case 'ship': {
      if (!w || !isTerminal(w.status)) return notice(app, w ? `Nothing to ship yet: ${w.issueId} is still ${w.status}.` : 'Nothing to ship: no workflow is open.');
      if (app.stores.tracker.getState().shipping[w.id]) return;
      notice(app, `Shipping ${w.issueId}: commit, push, pull request…`);
      void app.commands.ship(w.id, app.stores.tracker.getState().draft).then(
        (link) => notice(app, `Pull request #${link.pullRequest!.number} is ${link.pullRequest!.state}: ${link.pullRequest!.url}`),
        (e) => notice(app, errorText(e), 'error'),
      );
      return;
    }
    case 'fixChecks': {
      const pr = w ? app.stores.tracker.getState().links[w.worktreePath]?.pullRequest : null;
      if (!w || pr?.checks !== 'failing') return notice(app, 'No failing check to send back: open a worktree whose pull request has failing checks.');
      void app.commands.fixChecks(w.worktreePath).catch((e) => notice(app, errorText(e), 'error'));
      return;
    }
    case 'rerunSetup': {
      const wt = toolsWorktree(app);
      if (!wt) return notice(app, 'Open a linked worktree to re-run its setup.');
      void app.worktreeRuns.rerunSetup(wt.path).catch((e) => notice(app, errorText(e), 'error'));
      return;
    }
    case 'toggleRun': {
      const wt = toolsWorktree(app);
      if (!wt) return notice(app, 'Open a linked worktree to start or stop its run command.');
      const running = wt.run?.status === 'running';
      void (running ? app.worktreeRuns.stopRun(wt.path) : app.worktreeRuns.startRun(wt.path)).catch((e) => notice(app, errorText(e), 'error'));
      return;
    }
    case 'worktreeOutput': {
      const wt = toolsWorktree(app);
      if (!wt) return notice(app, 'Open a linked worktree to see its setup and run output.');
      // Closed -> the setup's output -> the run's -> closed.
      app.worktreeRuns.store.setState((s) => ({ panel: s.panel === null ? 'setup' : s.panel === 'setup' ? 'run' : null }));
      return;
    }
    case 'removeMerged': {
      const repoId = mergedRepo(app);
      if (!repoId) return notice(app, 'No worktree is merged, clean and idle.');
      void app.worktreeRuns
        .removeMerged(repoId)
        .then((r) =>
          notice(
            app,
            `Removed ${r.removed.length} merged worktree${r.removed.length === 1 ? '' : 's'}` +
              (r.refused.length > 0 ? `; kept ${r.refused.map((x) => `${x.worktreePath} (${x.reason})`).join('; ')}` : '.'),
            r.refused.length > 0 ? 'error' : 'info',
          ),
        )
        .catch((e) => notice(app, errorText(e), 'error'));
      return;
    }
    case 'allowTool':
    case 'allowToolAlways':
    case 'denyTool': {
      // The oldest waiting request of the open workflow (the panel lists them oldest first).
      const request = w?.pendingPermissions[0];
      if (!w || !request) return notice(app, w ? `Nothing to answer: ${w.issueId} has no tool request waiting.` : 'Nothing to answer: no workflow is open.');
      if (id === 'denyTool') return ui.setState({ dialog: { kind: 'denyTool', workflowId: w.id, requestId: request.requestId } });
      void app.commands
        .decidePermission({ workflowId: w.id, requestId: request.requestId, decision: 'allow', ...(id === 'allowToolAlways' ? { remember: 'repository' as const } : {}) })
        .catch((e) => notice(app, errorText(e), 'error'));
      return;
    }
  }
}
