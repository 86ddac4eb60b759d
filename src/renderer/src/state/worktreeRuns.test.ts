// Rule 13's actions in the window's state: the run toggles by the worktree's run status, the
// output panel cycles, a run's end re-reads the worktree list, merged worktrees go in one call.
import { describe, expect, it } from 'vitest';
import type { Worktree, WorktreeRun } from '../../../shared/domain';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { event, FakeClient } from '../testing/fakeClient';
import { createApp } from './app';
import { isAvailable, runAction } from './runAction';

const run = (kind: WorktreeRun['kind'], status: WorktreeRun['status']): WorktreeRun => ({
  id: `${kind}-1`,
  worktreePath: '/repo/a',
  kind,
  status,
  failedStep: null,
  failureReason: null,
  startedAt: '',
  endedAt: null,
});
const wt = (path: string, over: Partial<Worktree> = {}): Worktree => ({
  path,
  branch: 'b',
  head: 'h',
  isMain: path === '/repo',
  dirty: false,
  locked: false,
  prunable: false,
  activeWorkflowId: null,
  ...over,
});
const tick = () => new Promise((r) => setTimeout(r, 0));

async function setup() {
  let linked = wt('/repo/a', { portBase: 41_000, setup: run('setup', 'running'), run: null });
  const client = new FakeClient()
    .handle('repos.list', () => [{ id: 'r1', path: '/repo', name: 'repo', addedAt: '' }])
    .handle('worktrees.list', () => [wt('/repo'), linked])
    .handle('workflows.active', () => [])
    .handle('workflows.list', () => ({ items: [], nextCursor: null }))
    .handle('settings.get', () => DEFAULT_SETTINGS)
    .handle('worktrees.runStart', () => (linked = { ...linked, run: run('run', 'running') }).run!)
    .handle('worktrees.runStop', () => (linked = { ...linked, run: run('run', 'stopped') }).run!)
    .handle('worktrees.removeStale', () => ({ removed: ['/repo/a'], refused: [] }))
    .handle('worktrees.create', (p) => wt(`/repo/${(p as { branch: string }).branch}`, { setup: (p as { branch: string }).branch === 'plain' ? null : run('setup', 'running') }));
  const app = createApp(client, { schedule: (r) => r() });
  app.start();
  await tick();
  await tick();
  return { app, client, set: (over: Partial<Worktree>) => (linked = { ...linked, ...over }) };
}

describe('worktree runs in the window', () => {
  it('starts the run command, then stops it, by the worktree it shows', async () => {
    const { app, client } = await setup();
    app.commands.openWorktree('/repo');
    expect(isAvailable(app, 'toggleRun')).toBe(false); // the main worktree has none
    app.commands.openWorktree('/repo/a');
    expect(isAvailable(app, 'toggleRun')).toBe(true);
    runAction(app, 'toggleRun');
    await tick();
    expect(client.calls.filter((c) => c.method.startsWith('worktrees.run')).map((c) => c.method)).toEqual(['worktrees.runStart']);
    expect(app.worktreeRuns.store.getState().panel).toBe('run');
    runAction(app, 'toggleRun');
    await tick();
    expect(client.calls.filter((c) => c.method.startsWith('worktrees.run')).map((c) => c.method)).toEqual(['worktrees.runStart', 'worktrees.runStop']);
  });

  it('cycles the output panel and re-reads the worktrees when a followed setup ends', async () => {
    const { app, client, set } = await setup();
    app.commands.openWorktree('/repo/a');
    expect(isAvailable(app, 'rerunSetup')).toBe(false); // still running
    const panels = [1, 2, 3].map(() => (runAction(app, 'worktreeOutput'), app.worktreeRuns.store.getState().panel));
    expect(panels).toEqual(['setup', 'run', null]);

    const stop = app.worktreeRuns.follow('setup-1');
    const lists = () => client.calls.filter((c) => c.method === 'worktrees.list').length;
    const before = lists();
    client.pushEvents('setup-1', [event('setup-1', 1, { type: 'setup_started', message: 'Setup' })]);
    expect(lists()).toBe(before);
    set({ setup: run('setup', 'completed') });
    client.pushEvents('setup-1', [event('setup-1', 2, { type: 'setup_completed', message: 'Setup completed' })]);
    await tick();
    expect(lists()).toBe(before + 1);
    expect(app.worktreeRuns.store.getState().byId['setup-1']?.map((e) => e.message)).toEqual(['Setup', 'Setup completed']);
    expect(isAvailable(app, 'rerunSetup')).toBe(true);
    stop();
    expect(client.followers.has('setup-1')).toBe(false);
  });

  it('opens the setup output of a new worktree whose setup runs, and nothing for one without', async () => {
    const { app } = await setup();
    await app.worktreeRuns.createWorktree('r1', 'plain');
    expect(app.worktreeRuns.store.getState().panel).toBeNull();
    await app.worktreeRuns.createWorktree('r1', 'with-setup');
    expect(app.worktreeRuns.store.getState().panel).toBe('setup');
    expect(app.stores.ui.getState().main).toEqual({ kind: 'worktree', path: '/repo/with-setup' });
  });

  it('removes merged worktrees in one call, only when there are some', async () => {
    const { app, client, set } = await setup();
    expect(isAvailable(app, 'removeMerged')).toBe(false);
    set({ stale: true });
    await app.commands.refreshWorktrees('r1');
    expect(isAvailable(app, 'removeMerged')).toBe(true);
    runAction(app, 'removeMerged');
    await tick();
    expect(client.calls.filter((c) => c.method === 'worktrees.removeStale').map((c) => c.params)).toEqual([{ repoId: 'r1' }]);
    expect(app.stores.ui.getState().notice?.text).toBe('Removed 1 merged worktree.');
  });
});
