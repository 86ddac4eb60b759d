import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { MenuSpec, ShellAction } from './actions';
import { QUIT_ACCELERATOR, buildAppMenu } from './appMenu';
import { toTemplate } from './menuTemplate';
import { wf } from './testing/workflow';

type ActionItem = Extract<MenuSpec, { type: 'action' }>;
function flatActions(menu: MenuSpec[]): ActionItem[] {
  return menu.flatMap((i) => (i.type === 'action' ? [i] : i.type === 'submenu' ? flatActions(i.items) : []));
}

describe('application menu', () => {
  const shortcuts = { toggleWindow: 'Alt+F9', openLatestApproval: 'Alt+F10' };

  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    it(`${platform}: has the tray's actions with the shortcut accelerators`, () => {
      const blocked = wf('blocked');
      const running = wf('in_progress');
      const items = flatActions(buildAppMenu({ platform, active: [running, blocked], shortcuts, dev: false }));
      const byKind = (k: ShellAction['kind']) => items.filter((i) => i.action.kind === k);
      expect(byKind('toggle-window')[0]!.accelerator).toBe('Alt+F9');
      expect(byKind('open-latest-approval')[0]).toMatchObject({ accelerator: 'Alt+F10', enabled: true });
      expect(byKind('cancel').map((i) => (i.action as { workflowId: string }).workflowId)).toEqual([blocked.id, running.id]) // oldest first;
      expect(byKind('open-workflow').map((i) => (i.action as { workflowId: string }).workflowId)).toEqual([blocked.id]);
      expect(byKind('cancel-all')[0]!.enabled).toBe(true);
      expect(byKind('quit')).toEqual([expect.objectContaining({ accelerator: QUIT_ACCELERATOR })]);
    });
  }

  it('macOS gets the app menu first; other platforms none', () => {
    expect(buildAppMenu({ platform: 'darwin', active: [], shortcuts, dev: false })[0]).toMatchObject({ id: 'app', label: 'Switchyard' });
    expect(buildAppMenu({ platform: 'linux', active: [], shortcuts, dev: false }).map((m) => (m.type === 'submenu' ? m.id : null))).toEqual(['workflows', 'edit', 'view', 'window']);
  });

  it('disables Cancel All and Open Latest Approval when there is nothing to act on; dev tools only in development', () => {
    const menu = buildAppMenu({ platform: 'linux', active: [], shortcuts: DEFAULT_SETTINGS.shortcuts, dev: false });
    const items = flatActions(menu);
    expect(items.find((i) => i.action.kind === 'cancel-all')!.enabled).toBe(false);
    expect(items.find((i) => i.action.kind === 'open-latest-approval')!.enabled).toBe(false);
    const roles = (m: MenuSpec[]): string[] => m.flatMap((i) => (i.type === 'role' ? [i.role] : i.type === 'submenu' ? roles(i.items) : []));
    expect(roles(menu)).not.toContain('toggleDevTools');
    expect(roles(buildAppMenu({ platform: 'linux', active: [], shortcuts, dev: true }))).toContain('toggleDevTools');
  });
});

describe('toTemplate', () => {
  it('turns specs into Electron template items whose clicks dispatch the action', () => {
    const seen: ShellAction[] = [];
    const w = wf('in_progress');
    const template = toTemplate(
      [
        { type: 'label', id: 'l', label: 'Hello' },
        { type: 'separator' },
        { type: 'role', role: 'copy' },
        { type: 'submenu', id: 's', label: 'Sub', items: [{ type: 'action', id: `cancel:${w.id}`, label: 'Cancel', action: { kind: 'cancel', workflowId: w.id }, accelerator: 'Alt+C' }] },
      ],
      (a) => seen.push(a),
    );
    expect(template[0]).toEqual({ id: 'l', label: 'Hello', enabled: false });
    expect(template[1]).toEqual({ type: 'separator' });
    expect(template[2]).toEqual({ role: 'copy' });
    const sub = template[3]!.submenu as { id: string; accelerator: string; enabled: boolean; click: () => void }[];
    expect(sub[0]).toMatchObject({ id: `cancel:${w.id}`, accelerator: 'Alt+C', enabled: true });
    sub[0]!.click();
    expect(seen).toEqual([{ kind: 'cancel', workflowId: w.id }]);
  });
});
