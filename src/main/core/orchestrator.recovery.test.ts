// Rules 8, 9 and 10: recovery at start-up, nothing acknowledged lost, retention.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DB_FILE_NAME } from './store/storage';
import type { ProcessReaper } from './runner';
import { makeHarness, type Harness } from './testing/harness';
import { gate, hang } from './testing/inProcessExecutor';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

const sequences = (harness: Harness, id: string) => harness.orch.listEvents({ workflowId: id, limit: 5000 }).map((e) => e.sequence);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('recovery at start-up (rule 8)', () => {
  it('fails an interrupted in_progress workflow with the stage it was in', async () => {
    h = makeHarness();
    h.executor.set('implement', hang);
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(w.id, 'blocked');
    h.orch.approve(w.id);
    await h.waitFor(w.id, 'in_progress');
    await new Promise<void>((resolve) => {
      const off = h.orch.bus.on('events', ({ events }) => events.some((e) => e.type === 'stage_started') && (off(), resolve()));
    });
    await h.orch.close({ cancelRunning: false }); // as a crash leaves it
    const reopened = h.reopen();
    const failed = reopened.get(w.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toBe('interrupted: the application stopped during stage implement');
    expect(reopened.listEvents({ workflowId: w.id }).at(-1)).toMatchObject({
      type: 'workflow_failed',
      data: { reason: 'interrupted: the application stopped during stage implement' },
    });
    expect(reopened.recovery.interrupted).toEqual([w.id]);
    expect(reopened.byWorktree(w.worktreePath)).toBeNull();
  });

  it('fails a workflow left pending, through a path the state machine allows', async () => {
    h = makeHarness();
    const wt = h.worktree('a');
    const w = await h.orch.start({ worktreePath: wt, issueId: 'A' });
    // Close before the run began: the row stays pending.
    await h.orch.close({ cancelRunning: false });
    const reopened = h.reopen();
    expect(reopened.get(w.id)).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/^interrupted/) });
  });

  it('keeps a blocked workflow blocked and approvable; approving continues after the gate', async () => {
    h = makeHarness();
    h.executor.set('plan', () => ({ kind: 'completed', plan: { text: 'the plan', file: null } }));
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(w.id, 'blocked');
    await h.orch.close({ cancelRunning: false });
    const callsBefore = h.executor.calls.length;
    const reopened = h.reopen();
    expect(reopened.get(w.id).status).toBe('blocked');
    expect(reopened.byWorktree(w.worktreePath)?.id).toBe(w.id);
    reopened.approve(w.id);
    await h.waitFor(w.id, 'completed');
    const after = h.executor.calls.slice(callsBefore);
    expect(after.map((c) => c.stage)).toEqual(['implement', 'review']);
    expect(after[0]!.plan).toBe('the plan');
    const events = reopened.listEvents({ workflowId: w.id });
    expect(events.find((e) => e.type === 'approval_granted')!.correlationId).toBe(events.find((e) => e.type === 'approval_required')!.id);
  });

  it('runs the pipeline snapshotted at start, whatever the configuration says later', async () => {
    h = makeHarness();
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(w.id, 'blocked');
    await h.orch.close({ cancelRunning: false });
    const { StaticPipelines } = await import('./testing/staticPipelines');
    const reopened = h.reopen({ pipelines: new StaticPipelines({ default: [{ name: 'other', agent: 'developer', run: ['x'] }] }) });
    expect(reopened.get(w.id).pipeline.stages.map((s) => s.name)).toEqual(['plan', 'approve', 'implement', 'review']);
  });

  it('keeps the queue across a restart and drains it when a slot frees', async () => {
    h = makeHarness();
    h.orch.updateSettings({ maxConcurrent: 1 });
    const a = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(a.id, 'blocked');
    const b = await h.orch.start({ worktreePath: h.worktree('b'), issueId: 'B', queue: true });
    const c = await h.orch.start({ worktreePath: h.worktree('c'), issueId: 'C', queue: true });
    await h.orch.close({ cancelRunning: false });
    const reopened = h.reopen();
    expect([reopened.get(b.id).status, reopened.get(c.id).status]).toEqual(['queued', 'queued']);
    reopened.reject(a.id, 'not this');
    await h.waitFor(b.id, 'blocked');
    expect(reopened.get(c.id).status).toBe('queued');
  });

  it('kills the recorded process groups of a crashed run', async () => {
    const reaped: [number, string][] = [];
    const reaper: ProcessReaper = { reap: (pgid, workflowId) => void reaped.push([pgid, workflowId]) };
    h = makeHarness({ reaper });
    const stage = gate();
    h.executor.set('plan', (run) => {
      run.processStarted(424242);
      return stage.handler(run);
    });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await stage.started;
    await h.orch.close({ cancelRunning: false });
    h.reopen();
    expect(reaped).toEqual([[424242, w.id]]);
    expect(h.orch.recovery.reapedProcessGroups).toBe(1);
    await h.orch.close();
    h.reopen();
    expect(reaped).toHaveLength(1); // the record was cleared once reaped
  });
});

describe('nothing acknowledged is lost (rule 9)', () => {
  it('keeps sequences gapless across restarts and resumes numbering from the database', async () => {
    h = makeHarness();
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(w.id, 'blocked');
    await Promise.all(range(30).map((i) => h.orch.emit(w.id, { agent: 'developer', type: 'agent_output', message: `a${i}` })));
    const n = sequences(h, w.id).length;
    await h.orch.close({ cancelRunning: false });
    h.reopen();
    await Promise.all(range(30).map((i) => h.orch.emit(w.id, { agent: 'developer', type: 'agent_output', message: `b${i}` })));
    expect(sequences(h, w.id)).toEqual(range(n + 30));
  });

  it('commits a transition before answering: a second connection sees it', async () => {
    h = makeHarness();
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(w.id, 'blocked');
    const reader = new Database(join(h.dataDir, DB_FILE_NAME), { readonly: true });
    try {
      h.orch.reject(w.id, 'nope');
      expect(reader.prepare('SELECT status FROM workflows WHERE id = ?').get(w.id)).toEqual({ status: 'failed' });
      expect(reader.prepare("SELECT COUNT(*) AS c FROM events WHERE workflow_id = ? AND type = 'approval_rejected'").get(w.id)).toEqual({ c: 1 });
    } finally {
      reader.close();
    }
  });
});

describe('retention (rule 10)', () => {
  it('deletes events of workflows that ended more than retentionDays ago, and nothing else', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    h = makeHarness({ now: () => now });
    h.orch.updateSettings({ retentionDays: 30 });
    const old = await h.orch.start({ worktreePath: h.worktree('old'), issueId: 'OLD' });
    await h.waitFor(old.id, 'blocked');
    h.orch.reject(old.id, 'done');
    const blocked = await h.orch.start({ worktreePath: h.worktree('blocked'), issueId: 'BLOCKED' });
    await h.waitFor(blocked.id, 'blocked');
    now = new Date('2026-01-25T00:00:00Z');
    const recent = await h.orch.start({ worktreePath: h.worktree('recent'), issueId: 'RECENT' });
    await h.waitFor(recent.id, 'blocked');
    await h.orch.cancel(recent.id);
    const counts = () => [old, blocked, recent].map((w) => h.orch.listEvents({ workflowId: w.id }).length);
    const before = counts();

    await h.orch.close({ cancelRunning: false });
    now = new Date('2026-02-15T00:00:00Z'); // old ended 45 days ago, recent 21 days ago
    h.reopen({ now: () => now });
    expect(counts()).toEqual([0, before[1], before[2]]);
    expect(h.orch.recovery.prunedEvents).toBe(before[0]);
    expect(h.orch.get(old.id).status).toBe('failed'); // the workflow itself stays in the history
    expect(h.orch.get(blocked.id).status).toBe('blocked');
  });
});

describe('settings', () => {
  it('validates a partial update, changes nothing on bad input, and returns the whole', () => {
    h = makeHarness();
    expect(h.orch.updateSettings({ maxConcurrent: 3 })).toMatchObject({ maxConcurrent: 3, killGraceMs: 5000, retentionDays: 30 });
    expect(() => h.orch.updateSettings({ maxConcurrent: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => h.orch.updateSettings({ nope: 1 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(h.orch.settings().maxConcurrent).toBe(3);
  });
});
