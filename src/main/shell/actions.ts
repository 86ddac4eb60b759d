// What the desktop shell can be asked to do, from the tray, the application menu, a global
// shortcut or a notification. Menus are described as plain data carrying these actions, so
// every menu is a pure, tested function; the Electron layer only turns them into Menus.
import type { Workflow } from '../../shared/domain';

export type ShellAction =
  | { kind: 'cancel'; workflowId: string }
  | { kind: 'open-workflow'; workflowId: string }
  | { kind: 'open-latest-approval' }
  | { kind: 'cancel-all' }
  | { kind: 'show-window' }
  | { kind: 'toggle-window' }
  | { kind: 'quit' };

/** Electron's built-in menu roles we use (edit and window basics). */
export type MenuRole =
  | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll'
  | 'minimize' | 'close' | 'zoom' | 'front' | 'about' | 'hide' | 'hideOthers' | 'unhide'
  | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen' | 'reload' | 'toggleDevTools';

export type MenuSpec =
  | { type: 'action'; id: string; label: string; action: ShellAction; accelerator?: string; enabled?: boolean }
  | { type: 'label'; id: string; label: string }
  | { type: 'role'; role: MenuRole; label?: string }
  | { type: 'separator' }
  | { type: 'submenu'; id: string; label: string; items: MenuSpec[] };

/** A stable, readable menu item id for an action (the e2e test clicks items by id). */
export function actionId(action: ShellAction): string {
  switch (action.kind) {
    case 'cancel':
      return `cancel:${action.workflowId}`;
    case 'open-workflow':
      return `open:${action.workflowId}`;
    default:
      return action.kind;
  }
}

/** "Cancel ISSUE-7 — feature-x": the issue, then the worktree's folder name. */
export function workflowLabel(w: Pick<Workflow, 'issueId' | 'worktreeName'>): string {
  return `${clip(w.issueId, 40)} — ${clip(w.worktreeName, 40)}`;
}

function clip(text: string, max: number): string {
  // Menu labels are single lines; `&` would become a mnemonic on Windows/Linux.
  const one = text.replace(/\s+/g, ' ').trim();
  const short = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return short.replace(/&/g, '&&');
}
