// What each keyboard / palette action does. One function, so the key handler, the palette and
// the buttons can never disagree.
import type { Workflow } from '../../../shared/domain';
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
    case 'search':
    case 'showEvents':
    case 'showChanges':
    case 'jumpToLatest':
      return w !== null;
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
      const repoId = selectedPath ? repoOfWorktree(app.stores.repos.getState().worktrees, selectedPath) : null;
      ui.setState({ dialog: { kind: 'createWorktree', repoId: repoId ?? app.stores.repos.getState().repos[0]?.id ?? null } });
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
