// The application menu: the tray's actions plus the usual Edit/View/Window menus, with the
// global shortcuts shown as accelerators. A pure function of the platform, the active workflows
// and the shortcut settings; menuTemplate.ts turns it into Electron's template.
import type { Workflow } from '../../shared/domain';
import type { Settings } from '../../shared/settings';
import { isActive } from '../../shared/status';
import { actionId, workflowLabel, type MenuSpec, type ShellAction } from './actions';

export interface AppMenuInput {
  platform: NodeJS.Platform;
  active: readonly Workflow[];
  shortcuts: Settings['shortcuts'];
  /** Development build: adds Reload and the developer tools. */
  dev: boolean;
}

export const QUIT_ACCELERATOR = 'CommandOrControl+Q';

const action = (label: string, a: ShellAction, extra: { accelerator?: string; enabled?: boolean } = {}): MenuSpec => ({
  type: 'action',
  id: actionId(a),
  label,
  action: a,
  ...extra,
});

export function buildAppMenu(input: AppMenuInput): MenuSpec[] {
  const mac = input.platform === 'darwin';
  const active = input.active.filter((w) => isActive(w.status)).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const menu: MenuSpec[] = [];
  const quit = action('Quit Switchyard', { kind: 'quit' }, { accelerator: QUIT_ACCELERATOR });

  if (mac) {
    menu.push({
      type: 'submenu',
      id: 'app',
      label: 'Switchyard',
      items: [
        { type: 'role', role: 'about' },
        { type: 'separator' },
        { type: 'role', role: 'hide' },
        { type: 'role', role: 'hideOthers' },
        { type: 'role', role: 'unhide' },
        { type: 'separator' },
        quit,
      ],
    });
  }

  const workflowItems: MenuSpec[] = [
    action('Show Switchyard', { kind: 'toggle-window' }, { accelerator: input.shortcuts.toggleWindow }),
    action('Open Latest Approval', { kind: 'open-latest-approval' }, { accelerator: input.shortcuts.openLatestApproval, enabled: active.some((w) => w.status === 'blocked') }),
    { type: 'separator' },
  ];
  for (const w of active.filter((x) => x.status === 'blocked')) workflowItems.push(action(`Approve… ${workflowLabel(w)}`, { kind: 'open-workflow', workflowId: w.id }));
  for (const w of active) workflowItems.push(action(`Cancel ${workflowLabel(w)}`, { kind: 'cancel', workflowId: w.id }));
  if (active.length === 0) workflowItems.push({ type: 'label', id: 'none', label: 'No active workflows' });
  workflowItems.push({ type: 'separator' }, action('Cancel All', { kind: 'cancel-all' }, { enabled: active.length > 0 }));
  if (!mac) workflowItems.push({ type: 'separator' }, quit);
  menu.push({ type: 'submenu', id: 'workflows', label: mac ? 'Workflows' : '&Workflows', items: workflowItems });

  menu.push({
    type: 'submenu',
    id: 'edit',
    label: mac ? 'Edit' : '&Edit',
    items: [
      { type: 'role', role: 'undo' },
      { type: 'role', role: 'redo' },
      { type: 'separator' },
      { type: 'role', role: 'cut' },
      { type: 'role', role: 'copy' },
      { type: 'role', role: 'paste' },
      { type: 'role', role: 'selectAll' },
    ],
  });

  const view: MenuSpec[] = [
    { type: 'role', role: 'resetZoom' },
    { type: 'role', role: 'zoomIn' },
    { type: 'role', role: 'zoomOut' },
    { type: 'separator' },
    { type: 'role', role: 'togglefullscreen' },
  ];
  if (input.dev) view.unshift({ type: 'role', role: 'reload' }, { type: 'role', role: 'toggleDevTools' }, { type: 'separator' });
  menu.push({ type: 'submenu', id: 'view', label: mac ? 'View' : '&View', items: view });

  menu.push({
    type: 'submenu',
    id: 'window',
    label: mac ? 'Window' : '&Window',
    items: mac
      ? [{ type: 'role', role: 'minimize' }, { type: 'role', role: 'zoom' }, { type: 'separator' }, { type: 'role', role: 'front' }]
      : [{ type: 'role', role: 'minimize' }, { type: 'role', role: 'close' }],
  });
  return menu;
}
