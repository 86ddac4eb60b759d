import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../shared/domain';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import type { MenuSpec, ShellAction } from './actions';
import { ShellController, type NavigateMessage, type ShellPorts } from './controller';
import { ShellModel, notificationFor, toolRequestNotification, type NotificationSpec } from './shellModel';
import { wf } from './testing/workflow';

describe('notificationFor', () => {
  it('announces approval needed, completed and failed — and nothing else', () => {
    const w = wf('blocked');
    expect(notificationFor('in_progress', w)).toMatchObject({ kind: 'approval', workflowId: w.id, onClick: { kind: 'open-workflow', workflowId: w.id } });
    expect(notificationFor('in_progress', { ...w, status: 'completed' })).toMatchObject({ kind: 'completed' });
    const failed = { ...w, status: 'failed' as const, failureReason: 'exit 2:\n  boom' };
    expect(notificationFor('in_progress', failed)).toMatchObject({ kind: 'failed', body: 'exit 2: boom' });
    expect(notificationFor('blocked', { ...w, status: 'cancelled' })).toBeNull();
    expect(notificationFor('pending', { ...w, status: 'in_progress' })).toBeNull();
    expect(notificationFor('queued', { ...w, status: 'pending' })).toBeNull();
  });

  it('does not repeat a state, nor announce endings it never saw running', () => {
    expect(notificationFor('blocked', wf('blocked'))).toBeNull();
    expect(notificationFor(undefined, wf('failed'))).toBeNull();
    expect(notificationFor(undefined, wf('completed'))).toBeNull();
    expect(notificationFor(undefined, wf('blocked'))).toMatchObject({ kind: 'approval' });
  });
});

describe('ShellModel', () => {
  it('tracks the latest approval, unseen failures and the active set', () => {
    const a = wf('in_progress');
    const b = wf('in_progress');
    const m = new ShellModel([a, b]);
    m.update({ ...a, status: 'blocked' });
    m.update({ ...b, status: 'blocked' });
    expect(m.latestApproval()).toBe(b.id);
    m.update({ ...b, status: 'in_progress' });
    expect(m.latestApproval()).toBe(a.id);
    m.update({ ...b, status: 'failed' });
    expect(m.summary().unseenFailures).toBe(1);
    expect(m.active().map((w) => w.id)).toEqual([a.id]);
    m.markSeen(b.id);
    expect(m.summary().unseenFailures).toBe(0);
  });

  it('restores blocked workflows at start-up as approvals, oldest first', () => {
    const older = wf('blocked', { createdAt: '2026-01-01T00:00:00.000Z' });
    const newer = wf('blocked', { createdAt: '2026-01-02T00:00:00.000Z' });
    expect(new ShellModel([newer, older]).latestApproval()).toBe(newer.id);
  });
});

/** Fake ports for the controller: a window, the core, the tray, notifications. */
function controllerHarness(initial: Workflow[], settings: Partial<Settings> = {}) {
  const log: string[] = [];
  const navigations: NavigateMessage[] = [];
  const notified: NotificationSpec[] = [];
  let tray: { state: string; tooltip: string; menu: MenuSpec[] } | null = null;
  const window = { visible: false, focused: false };
  const ports: ShellPorts = {
    window: {
      show: () => {
        window.visible = true;
        window.focused = true;
        log.push('show');
      },
      hide: () => {
        window.visible = false;
        window.focused = false;
        log.push('hide');
      },
      isVisible: () => window.visible,
      isFocused: () => window.focused,
      navigate: (m) => navigations.push(m),
    },
    cancel: async (id) => log.push(`cancel:${id}`),
    cancelAll: async () => log.push('cancelAll'),
    requestQuit: () => log.push('quit'),
    settings: () => ({ ...DEFAULT_SETTINGS, ...settings }),
    setTray: (state, tooltip, menu) => (tray = { state, tooltip, menu }),
    setAppMenu: () => log.push('appMenu'),
    notify: (spec) => notified.push(spec),
    log: (m) => log.push(`log:${m}`),
  };
  const controller = new ShellController(ports, initial, 'linux');
  return { controller, log, navigations, notified, window, tray: () => tray! };
}

describe('notification routing through the controller', () => {
  it('notifies on approval and a click opens the window at that workflow', () => {
    const w = wf('in_progress');
    const h = controllerHarness([w]);
    h.controller.onWorkflow({ ...w, status: 'blocked' });
    expect(h.notified).toHaveLength(1);
    expect(h.tray().state).toBe('approval');
    h.controller.dispatch(h.notified[0]!.onClick);
    expect(h.log).toContain('show');
    expect(h.navigations).toEqual([{ workflowId: w.id }]);
  });

  it('a failure shows in the tray until the user opens it; completion is not announced to a focused window', () => {
    const a = wf('in_progress');
    const b = wf('in_progress');
    const h = controllerHarness([a, b]);
    h.controller.onWorkflow({ ...a, status: 'failed', failureReason: 'exit 1' });
    expect(h.notified.map((n) => n.kind)).toEqual(['failed']);
    // A failure outranks running work in the icon (approval would outrank it).
    expect(h.tray().state).toBe('failed');
    h.controller.onWorkflow({ ...b, status: 'completed' });
    expect(h.tray().state).toBe('failed');
    expect(h.notified.map((n) => n.kind)).toEqual(['failed', 'completed']);
    h.controller.dispatch(h.notified[0]!.onClick);
    expect(h.tray().state).toBe('idle');
    // The window is focused now: a completion is not announced…
    const c = wf('in_progress');
    h.controller.onWorkflow(c);
    expect(h.tray().state).toBe('running');
    h.controller.onWorkflow({ ...c, status: 'completed' });
    expect(h.notified).toHaveLength(2);
    // …but once it is hidden, it is.
    h.controller.dispatch({ kind: 'toggle-window' });
    const d = wf('in_progress');
    h.controller.onWorkflow(d);
    h.controller.onWorkflow({ ...d, status: 'completed' });
    expect(h.notified.map((n) => n.kind)).toEqual(['failed', 'completed', 'completed']);
  });

  it('sends nothing when notifications are off in the settings', () => {
    const w = wf('in_progress');
    const h = controllerHarness([w], { notifications: false });
    h.controller.onWorkflow({ ...w, status: 'blocked' });
    h.controller.onWorkflow({ ...w, status: 'failed' });
    expect(h.notified).toEqual([]);
  });

  it('routes every action to its port', async () => {
    const blocked = wf('blocked');
    const h = controllerHarness([blocked]);
    const run = (a: ShellAction) => h.controller.dispatch(a);
    run({ kind: 'cancel', workflowId: 'x' });
    run({ kind: 'cancel-all' });
    run({ kind: 'quit' });
    run({ kind: 'toggle-window' });
    run({ kind: 'toggle-window' });
    run({ kind: 'open-latest-approval' });
    await Promise.resolve();
    expect(h.log.filter((l) => l !== 'appMenu')).toEqual(['cancel:x', 'cancelAll', 'quit', 'show', 'hide', 'show']);
    expect(h.navigations).toEqual([{ workflowId: blocked.id }]);
  });

  it('logs a cancel that fails instead of throwing', async () => {
    const h = controllerHarness([]);
    const ports = (h.controller as unknown as { ports: ShellPorts }).ports;
    ports.cancel = () => Promise.reject(new Error('INVALID_STATE'));
    h.controller.dispatch({ kind: 'cancel', workflowId: 'gone' });
    await new Promise((r) => setImmediate(r));
    expect(h.log).toContain('log:switchyard: cancelling gone failed');
  });
});

describe('tool requests (rule 11)', () => {
  const request = (summary: string) => ({ requestId: summary, stage: 'implement', tool: 'Bash', summary, input: {}, requestedAt: '2026-01-01T00:00:00.000Z' });

  it('a new tool request is notified like an approval, once; the latest-approval shortcut opens it', () => {
    const w = wf('in_progress');
    const model = new ShellModel([w]);
    const asking = { ...w, pendingPermissions: [request('Bash: npm test')] };
    expect(model.update(asking)).toMatchObject({ kind: 'approval', title: `Tool request: ${w.issueId} — ${w.worktreeName}`, body: 'The agent asks to run Bash: npm test', onClick: { kind: 'open-workflow', workflowId: w.id } });
    expect(model.latestApproval()).toBe(w.id);
    expect(model.update(asking)).toBeNull(); // the same request again: nothing new
    expect(model.update({ ...asking, pendingPermissions: [request('Bash: npm test'), request('Bash: make')] })?.body).toBe('The agent asks to run Bash: make');
    expect(model.update(w)).toBeNull(); // answered
    expect(model.latestApproval()).toBeNull();
    expect(toolRequestNotification(0, { ...asking, status: 'cancelled' })).toBeNull();
  });
});
