// Rule 7: cancel in every active state, and cancelAll.
import { afterEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from './testing/harness';
import { gate, hang } from './testing/inProcessExecutor';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

describe('cancel (rule 7)', () => {
  it('cancels a running stage: the stage is told to stop, the status and event say why', async () => {
    h = makeHarness();
    let aborted = false;
    h.executor.set('plan', (run) => {
      run.signal.addEventListener('abort', () => (aborted = true));
      return hang(run);
    });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(w.id, 'in_progress');
    const cancelled = await h.orch.cancel(w.id, 'wrong branch');
    expect(cancelled.status).toBe('cancelled');
    expect(aborted).toBe(true);
    expect(h.orch.listEvents({ workflowId: w.id }).at(-1)).toMatchObject({ type: 'workflow_cancelled', data: { reason: 'wrong branch' } });
  });

  it('resolves only once the stage has stopped', async () => {
    h = makeHarness();
    const stage = gate();
    let stopped = false;
    h.executor.set('plan', async (run) => {
      const outcome = await stage.handler(run);
      stopped = true;
      return outcome;
    });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await stage.started;
    await h.orch.cancel(w.id);
    expect(stopped).toBe(true);
  });

  it('cancels pending, queued and blocked workflows', async () => {
    h = makeHarness();
    h.orch.updateSettings({ maxConcurrent: 2 });
    const blocked = await h.orch.start({ worktreePath: h.worktree('blocked'), issueId: 'B' });
    await h.waitFor(blocked.id, 'blocked');
    h.executor.set('plan', hang);
    const pending = await h.orch.start({ worktreePath: h.worktree('pending'), issueId: 'P' });
    expect(pending.status).toBe('pending');
    expect((await h.orch.cancel(pending.id)).status).toBe('cancelled');
    const running = await h.orch.start({ worktreePath: h.worktree('running'), issueId: 'R' });
    const queued = await h.orch.start({ worktreePath: h.worktree('queued'), issueId: 'Q', queue: true });
    expect(queued.status).toBe('queued');
    expect((await h.orch.cancel(queued.id)).status).toBe('cancelled');
    expect((await h.orch.cancel(blocked.id)).status).toBe('cancelled');
    expect((await h.orch.cancel(running.id)).status).toBe('cancelled');
    expect(h.orch.active()).toEqual([]);
    // The pending one never ran a stage.
    expect(h.executor.calls.filter((c) => c.workflowId === pending.id)).toEqual([]);
  });

  it('refuses to cancel an ended workflow and changes nothing', async () => {
    h = makeHarness();
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(w.id, 'blocked');
    h.orch.reject(w.id, 'no');
    const before = h.orch.listEvents({ workflowId: w.id }).length;
    await expect(h.orch.cancel(w.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(h.orch.get(w.id).status).toBe('failed');
    expect(h.orch.listEvents({ workflowId: w.id })).toHaveLength(before);
  });

  it('cancelAll cancels every active workflow and does not start the queue', async () => {
    h = makeHarness();
    h.executor.set('plan', hang);
    h.orch.updateSettings({ maxConcurrent: 2 });
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) ids.push((await h.orch.start({ worktreePath: h.worktree(name), issueId: name, queue: true })).id);
    const { cancelled } = await h.orch.cancelAll('end of day');
    expect(new Set(cancelled)).toEqual(new Set(ids));
    for (const id of ids) expect(h.orch.get(id).status).toBe('cancelled');
    expect(h.executor.calls.map((c) => c.workflowId).filter((id) => id === ids[2] || id === ids[3])).toEqual([]);
  });

  it('keeps a cancelled worktree held until its stage has stopped', async () => {
    h = makeHarness();
    let finish!: () => void;
    h.executor.set('plan', (run) => new Promise((resolve) => {
      // A stage that takes its time to stop after being told to (an agent in its grace period).
      run.signal.addEventListener('abort', () => (finish = () => resolve({ kind: 'failed', reason: 'stopped' })));
    }));
    const wt = h.worktree('a');
    const w = await h.orch.start({ worktreePath: wt, issueId: 'A' });
    await h.waitFor(w.id, 'in_progress');
    const cancelling = h.orch.cancel(w.id);
    await expect(h.orch.start({ worktreePath: wt, issueId: 'A2' })).rejects.toMatchObject({ code: 'WORKTREE_CONFLICT' });
    finish();
    await cancelling;
    h.executor.set('plan', () => ({ kind: 'completed' }));
    const next = await h.orch.start({ worktreePath: wt, issueId: 'A2' });
    expect(next.status).toBe('pending');
  });
});
