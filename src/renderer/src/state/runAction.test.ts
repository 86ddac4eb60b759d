import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { createApp } from './app';
import { FakeClient, workflow } from '../testing/fakeClient';
import { isAvailable, runAction } from './runAction';

const wt = (path: string, isMain = false) => ({ path, branch: 'b', head: 'h', isMain, dirty: false, locked: false, prunable: false, activeWorkflowId: null });

async function setup() {
  const approved: string[] = [];
  const client = new FakeClient()
    .handle('repos.list', () => [{ id: 'r1', path: '/repo', name: 'repo', addedAt: '' }])
    .handle('worktrees.list', () => [wt('/repo', true), wt('/repo/a')])
    .handle('workflows.active', () => [])
    .handle('workflows.list', () => ({ items: [], nextCursor: null }))
    .handle('settings.get', () => DEFAULT_SETTINGS)
    .handle('workflows.approve', (p) => {
      approved.push(p.workflowId);
      return workflow({ id: p.workflowId, status: 'in_progress' });
    });
  const app = createApp(client, { schedule: (r) => r() });
  app.start();
  await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => setTimeout(r, 0));
  return { app, client, approved };
}

describe('runAction', () => {
  it('approves only a blocked workflow, and says why not otherwise', async () => {
    const { app, client, approved } = await setup();
    app.commands.openWorktree('/repo/a');
    client.pushWorkflow(workflow({ status: 'in_progress' }));
    expect(isAvailable(app, 'approve')).toBe(false);
    runAction(app, 'approve');
    expect(approved).toEqual([]);
    expect(app.stores.ui.getState().notice?.text).toBe('Nothing to approve: ISS-1 is not waiting for approval.');
    client.pushWorkflow(workflow({ status: 'blocked' }));
    expect(isAvailable(app, 'approve')).toBe(true);
    runAction(app, 'approve');
    expect(approved).toEqual(['w1']);
  });

  it('opens the reject and cancel dialogs for the shown workflow', async () => {
    const { app, client } = await setup();
    app.commands.openWorktree('/repo/a');
    client.pushWorkflow(workflow({ status: 'blocked' }));
    runAction(app, 'reject');
    expect(app.stores.ui.getState().dialog).toEqual({ kind: 'reject', workflowId: 'w1' });
    runAction(app, 'cancel');
    expect(app.stores.ui.getState().dialog).toEqual({ kind: 'cancel', workflowId: 'w1' });
  });

  it('refuses to cancel an ended workflow', async () => {
    const { app, client } = await setup();
    app.commands.openWorktree('/repo/a');
    client.pushWorkflow(workflow({ status: 'completed' }));
    expect(isAvailable(app, 'cancel')).toBe(false);
    runAction(app, 'cancel');
    expect(app.stores.ui.getState().dialog).toBeNull();
  });

  it('moves, opens, and never offers to remove a main worktree', async () => {
    const { app } = await setup();
    expect(app.stores.ui.getState().selectedPath).toBe('/repo');
    expect(isAvailable(app, 'removeWorktree')).toBe(false);
    runAction(app, 'nextWorktree');
    runAction(app, 'open');
    expect(app.stores.ui.getState().main).toEqual({ kind: 'worktree', path: '/repo/a' });
    runAction(app, 'removeWorktree');
    expect(app.stores.ui.getState().dialog).toEqual({ kind: 'removeWorktree', worktreePath: '/repo/a' });
    runAction(app, 'newWorkflow');
    expect(app.stores.ui.getState().dialog).toEqual({ kind: 'start', worktreePath: '/repo/a' });
  });

  it('toggles the sidebar between the list and the rail, from what is shown', async () => {
    const { app } = await setup();
    const ui = app.stores.ui;
    ui.setState({ narrow: true }); // a narrow window starts with the rail
    runAction(app, 'toggleSidebar');
    expect(ui.getState().sidebar).toBe('full');
    runAction(app, 'toggleSidebar');
    expect(ui.getState().sidebar).toBe('rail');
    ui.setState({ sidebar: 'auto', narrow: false });
    runAction(app, 'toggleSidebar');
    expect(ui.getState().sidebar).toBe('rail');
  });
});
