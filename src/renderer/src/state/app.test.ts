import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../shared/domain';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import type { NotificationText } from '../lib/notify';
import { createApp } from './app';
import { FakeClient, workflow } from '../testing/fakeClient';
import { countActive } from './workflowsModel';

const repo = { id: 'r1', path: '/repo', name: 'repo', addedAt: '2025-01-01T00:00:00Z' };
const wt = (path: string, isMain = false) => ({ path, branch: path.split('/').pop()!, head: 'abc', isMain, dirty: false, locked: false, prunable: false, activeWorkflowId: null });

function server(kind: 'ipc' | 'websocket' = 'websocket', snapshot: () => Workflow[] = () => []) {
  return new FakeClient(kind)
    .handle('repos.list', () => [repo])
    .handle('worktrees.list', () => [wt('/repo', true), wt('/repo/a'), wt('/repo/b')])
    .handle('workflows.active', () => snapshot().filter((w) => ['queued', 'pending', 'in_progress', 'blocked'].includes(w.status)))
    .handle('workflows.list', () => ({ items: snapshot(), nextCursor: null }))
    .handle('settings.get', () => ({ ...DEFAULT_SETTINGS, maxConcurrent: 2 }));
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('app wiring', () => {
  it('loads repos, worktrees, workflows and settings, and selects the first worktree', async () => {
    const client = server('websocket', () => [workflow({ id: 'w1', worktreePath: '/repo/a' }), workflow({ id: 'w2', worktreePath: '/repo/b', status: 'queued' })]);
    const app = createApp(client, { schedule: (r) => r() });
    app.start();
    await settle();
    await settle();
    expect(app.stores.repos.getState().worktrees.r1).toHaveLength(3);
    expect(app.stores.ui.getState().selectedPath).toBe('/repo');
    expect(app.stores.connection.getState().settings?.maxConcurrent).toBe(2);
    expect(countActive(app.stores.workflows.getState().byId)).toEqual({ running: 1, queued: 1 });
    expect(app.stores.workflows.getState().latestByWorktree['/repo/b']).toBe('w2');
  });

  it('lets a push win over an older snapshot that answers after it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const client = server('websocket', () => [workflow({ status: 'in_progress' })]);
    client.handle('workflows.active', async () => {
      await gate;
      return [workflow({ status: 'in_progress' })];
    });
    const app = createApp(client, { schedule: (r) => r() });
    app.start();
    client.pushWorkflow(workflow({ status: 'blocked' }));
    release();
    await settle();
    await settle();
    expect(app.stores.workflows.getState().byId.w1?.status).toBe('blocked');
  });

  it('tracks the connection and reloads after a reconnect', async () => {
    const client = server();
    const app = createApp(client, { schedule: (r) => r() });
    app.start();
    await settle();
    const before = client.calls.filter((c) => c.method === 'repos.list').length;
    client.setConnection('reconnecting');
    expect(app.stores.connection.getState().state).toBe('reconnecting');
    client.setConnection('open');
    await settle();
    expect(client.calls.filter((c) => c.method === 'repos.list').length).toBe(before + 1);
  });

  it('notifies in the web build only, and a click opens the workflow', async () => {
    const shown: Array<{ text: NotificationText; click: () => void }> = [];
    const notify = (text: NotificationText, click: () => void) => shown.push({ text, click });
    for (const kind of ['ipc', 'websocket'] as const) {
      const client = server(kind);
      const app = createApp(client, { schedule: (r) => r(), notify });
      app.start();
      await settle();
      client.pushWorkflow(workflow({ status: 'in_progress' }));
      client.pushWorkflow(workflow({ status: 'blocked' }));
      if (kind === 'ipc') expect(shown).toHaveLength(0);
      else {
        expect(shown.map((s) => s.text.title)).toEqual(['Approval needed: ISS-1']);
        shown[0]!.click();
        expect(app.stores.ui.getState().main).toEqual({ kind: 'workflow', id: 'w1' });
      }
    }
  });

  it('opens the workflow the desktop shell asks for (tray item, native notification)', async () => {
    const client = server('ipc', () => [workflow({ id: 'w7', worktreePath: '/repo/a', status: 'blocked' })]);
    const app = createApp(client, { schedule: (r) => r() });
    const stop = app.start();
    await settle();
    for (const l of client.navigateListeners) l('w7');
    await settle();
    expect(app.stores.ui.getState().main).toEqual({ kind: 'workflow', id: 'w7' });
    stop();
    expect(client.navigateListeners.size).toBe(0);
  });

  it('moves the sidebar cursor through worktrees without leaving the list', async () => {
    const app = createApp(server(), { schedule: (r) => r() });
    app.start();
    await settle();
    await settle();
    const sel = () => app.stores.ui.getState().selectedPath;
    app.commands.moveSelection(1);
    expect(sel()).toBe('/repo/a');
    app.commands.moveSelection(1);
    app.commands.moveSelection(1);
    expect(sel()).toBe('/repo/b');
    app.commands.moveSelection(-1);
    expect(sel()).toBe('/repo/a');
  });

  it('shows the newest workflow of an opened worktree, preferring the active one', async () => {
    const app = createApp(server(), { schedule: (r) => r() });
    app.start();
    await settle();
    app.commands.openWorktree('/repo/a');
    expect(app.commands.shownWorkflowId()).toBeNull();
    const client = app.client as FakeClient;
    client.pushWorkflow(workflow({ id: 'old', status: 'failed', createdAt: '2025-01-02T00:00:00Z' }));
    client.pushWorkflow(workflow({ id: 'new', status: 'queued', createdAt: '2025-01-01T00:00:00Z' }));
    expect(app.commands.shownWorkflowId()).toBe('new');
  });
});
