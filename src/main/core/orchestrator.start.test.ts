// Rules 1, 2 and 4: one active workflow per worktree, the concurrency limit and its queue,
// and O(1) lookup by worktree.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SwitchyardError } from '../../shared/errors';
import { gate, hang } from './testing/inProcessExecutor';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, DEFAULT_AUTOCHECKPOINT_PAGES } from './store/checkpointer';
import { makeHarness, type Harness } from './testing/harness';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

const codeOf = (e: unknown) => (e instanceof SwitchyardError ? e.code : String(e));

describe('one active workflow per worktree (rule 1)', () => {
  it('refuses a second start on a worktree, naming the active workflow', async () => {
    h = makeHarness();
    h.executor.set('plan', hang);
    const wt = h.worktree('app-feat');
    const first = await h.orch.start({ worktreePath: wt, issueId: 'ISSUE-1' });
    const err = await h.orch.start({ worktreePath: wt, issueId: 'ISSUE-2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SwitchyardError);
    expect((err as SwitchyardError).code).toBe('WORKTREE_CONFLICT');
    expect((err as SwitchyardError).message).toContain(first.id);
    expect((err as SwitchyardError).details).toMatchObject({ workflowId: first.id });
  });

  it('counts a queued workflow as holding its worktree', async () => {
    h = makeHarness();
    h.executor.set('plan', hang);
    h.orch.updateSettings({ maxConcurrent: 1 });
    await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    const queued = await h.orch.start({ worktreePath: h.worktree('b'), issueId: 'B', queue: true });
    expect(queued.status).toBe('queued');
    await expect(h.orch.start({ worktreePath: h.worktree('b'), issueId: 'B2', queue: true })).rejects.toMatchObject({
      code: 'WORKTREE_CONFLICT',
    });
  });

  it('frees the worktree when the workflow ends', async () => {
    h = makeHarness();
    const wt = h.worktree('a');
    const w = await h.orch.start({ worktreePath: wt, issueId: 'A' });
    await h.waitFor(w.id, 'blocked');
    await h.orch.cancel(w.id);
    const again = await h.orch.start({ worktreePath: wt, issueId: 'A-again' });
    expect(again.status).toBe('pending');
  });

  it('reserves a worktree for another operation: refused while active, starts refused while held', async () => {
    h = makeHarness();
    h.executor.set('plan', hang);
    const busy = h.worktree('busy');
    const w = await h.orch.start({ worktreePath: busy, issueId: 'BUSY' });
    expect(() => h.orch.reserveWorktree(busy, 'being removed')).toThrow(expect.objectContaining({ code: 'WORKTREE_CONFLICT', details: expect.objectContaining({ workflowId: w.id }) }));
    const free = h.worktree('free');
    const release = h.orch.reserveWorktree(free, 'being removed');
    expect(() => h.orch.reserveWorktree(free, 'being removed')).toThrow(expect.objectContaining({ code: 'WORKTREE_CONFLICT' }));
    await expect(h.orch.start({ worktreePath: free, issueId: 'X' })).rejects.toMatchObject({ code: 'WORKTREE_CONFLICT', details: { reservedFor: 'being removed' } });
    release();
    expect((await h.orch.start({ worktreePath: free, issueId: 'X' })).status).toBe('pending');
  });

  it('refuses relative, missing and non-directory worktree paths without writing anything', async () => {
    h = makeHarness();
    await expect(h.orch.start({ worktreePath: 'relative/path', issueId: 'X' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(h.orch.start({ worktreePath: join(h.dir, 'missing'), issueId: 'X' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(h.orch.start({ worktreePath: h.worktree('ok'), issueId: '   ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(h.orch.list().items).toEqual([]);
  });

  it('under 50 concurrent starts on 10 worktrees with limit 5: exactly 5 start, no orphan rows', async () => {
    h = makeHarness();
    h.executor.set('plan', hang);
    const worktrees = Array.from({ length: 10 }, (_, i) => h.worktree(`wt${i}`));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => h.orch.start({ worktreePath: worktrees[i % 10]!, issueId: `I-${i}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const codes = results.filter((r) => r.status === 'rejected').map((r) => codeOf((r as PromiseRejectedResult).reason));
    expect(ok).toHaveLength(5);
    expect(new Set(codes)).toEqual(new Set(['WORKTREE_CONFLICT', 'CONCURRENCY_LIMIT']));
    const started = ok.map((r) => (r as PromiseFulfilledResult<{ worktreePath: string }>).value.worktreePath);
    expect(new Set(started).size).toBe(5);
    // No orphan rows: exactly the 5 started, each pending or already running (a start's run begins
    // on the next turn of the event loop, while later starts may still be awaiting their checks).
    const rows = h.storage.db.prepare('SELECT worktree_path AS path, status FROM workflows').all() as { path: string; status: string }[];
    expect(rows.map((r) => r.path).sort()).toEqual([...started].sort());
    for (const r of rows) expect(['pending', 'in_progress']).toContain(r.status);
  });
});

describe('concurrency limit and queue (rule 2)', () => {
  it('refuses beyond the limit with the limit and the current count', async () => {
    h = makeHarness();
    h.executor.set('plan', hang);
    h.orch.updateSettings({ maxConcurrent: 2 });
    await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.orch.start({ worktreePath: h.worktree('b'), issueId: 'B' });
    const err = await h.orch.start({ worktreePath: h.worktree('c'), issueId: 'C' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONCURRENCY_LIMIT', details: { limit: 2, current: 2 } });
    expect(h.orch.list().items).toHaveLength(2);
  });

  it('counts blocked workflows against the limit', async () => {
    h = makeHarness();
    h.orch.updateSettings({ maxConcurrent: 1 });
    const a = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(a.id, 'blocked');
    await expect(h.orch.start({ worktreePath: h.worktree('b'), issueId: 'B' })).rejects.toMatchObject({ code: 'CONCURRENCY_LIMIT' });
  });

  it('queues beyond the limit, does not count the queue, and drains first in first out', async () => {
    h = makeHarness();
    const plans = [gate(), gate()];
    let call = 0;
    h.executor.set('plan', (run) => plans[call++]!.handler(run));
    h.orch.updateSettings({ maxConcurrent: 1 });
    const a = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    const b = await h.orch.start({ worktreePath: h.worktree('b'), issueId: 'B', queue: true });
    const c = await h.orch.start({ worktreePath: h.worktree('c'), issueId: 'C', queue: true });
    expect([b.status, c.status]).toEqual(['queued', 'queued']);
    expect(h.orch.active().filter((w) => w.status === 'queued').map((w) => w.id)).toEqual([b.id, c.id]);

    await plans[0]!.started;
    await h.orch.cancel(a.id);
    await h.waitFor(b.id, 'in_progress');
    expect(h.orch.get(c.id).status).toBe('queued');
    await plans[1]!.started;
    await h.orch.cancel(b.id);
    await h.waitFor(c.id, ['pending', 'in_progress']);
  });

  it('starts queued work when the limit is raised', async () => {
    h = makeHarness();
    h.executor.set('plan', hang);
    h.orch.updateSettings({ maxConcurrent: 1 });
    await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    const b = await h.orch.start({ worktreePath: h.worktree('b'), issueId: 'B', queue: true });
    h.orch.updateSettings({ maxConcurrent: 2 });
    await h.waitFor(b.id, 'in_progress');
  });

  it('starts immediately with queue: true when a slot is free', async () => {
    h = makeHarness();
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A', queue: true });
    expect(w.status).toBe('pending');
  });
});

describe('lookup by worktree (rule 4)', () => {
  it('answers from memory with no query, and stays correct with 10,000 historical workflows', async () => {
    h = makeHarness();
    h.executor.set('plan', hang);
    const activeWt = h.worktree('active');
    const historicWt = h.worktree('historic');
    // 10,000 ended workflows, many on the same worktrees as the live one.
    const db = h.storage.db;
    const insert = db.prepare(
      `INSERT INTO workflows (id, issue_id, title, description, worktree_path, worktree_name, pipeline_json, status, created_at, completed_at)
       VALUES (?, ?, '', '', ?, 'x', '{"name":"default","stages":[]}', ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    );
    db.transaction(() => {
      for (let i = 0; i < 10_000; i++) insert.run(`old-${i}`, `OLD-${i}`, i % 2 ? activeWt : historicWt, ['completed', 'failed', 'cancelled'][i % 3]);
    })();
    await h.orch.close({ cancelRunning: false });
    h.reopen();
    const live = await h.orch.start({ worktreePath: activeWt, issueId: 'LIVE' });

    const proto = Object.getPrototypeOf(h.storage.db.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
    const spies = ['get', 'all', 'iterate', 'run'].map((m) => vi.spyOn(proto, m));
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    try {
      for (let i = 0; i < 1000; i++) {
        expect(h.orch.byWorktree(activeWt)?.id).toBe(live.id);
        expect(h.orch.byWorktree(historicWt)).toBeNull();
        expect(h.orch.byWorktree(`${activeWt}/`)?.id).toBe(live.id);
      }
      for (const spy of [...spies, prepare]) expect(spy).not.toHaveBeenCalled();
    } finally {
      spies.forEach((s) => s.mockRestore());
      prepare.mockRestore();
    }
  });

  it('follows the workflow through its statuses and forgets it when it ends', async () => {
    h = makeHarness();
    const wt = h.worktree('a');
    const w = await h.orch.start({ worktreePath: wt, issueId: 'A' });
    expect(h.orch.byWorktree(wt)?.status).toBe('pending');
    await h.waitFor(w.id, 'blocked');
    expect(h.orch.byWorktree(wt)?.status).toBe('blocked');
    h.orch.approve(w.id);
    await h.waitFor(w.id, 'completed');
    expect(h.orch.byWorktree(wt)).toBeNull();
  });

  it('rebuilds the map from the database at start-up', async () => {
    h = makeHarness();
    const wt = h.worktree('a');
    const w = await h.orch.start({ worktreePath: wt, issueId: 'A' });
    await h.waitFor(w.id, 'blocked');
    await h.orch.close({ cancelRunning: false });
    h.reopen();
    expect(h.orch.byWorktree(wt)?.id).toBe(w.id);
  });
});

describe('listing', () => {
  it('pages with a cursor, newest first, filtered by status and worktree', async () => {
    h = makeHarness();
    const wts = [h.worktree('a'), h.worktree('b')];
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const w = await h.orch.start({ worktreePath: wts[i % 2]!, issueId: `I-${i}` });
      await h.waitFor(w.id, 'blocked');
      await h.orch.cancel(w.id);
      ids.push(w.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = h.orch.list({ limit: 3, cursor });
      seen.push(...page.items.map((w) => w.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect(h.orch.list({ worktreePath: wts[0]! }).items.map((w) => w.id)).toEqual([ids[6], ids[4], ids[2], ids[0]]);
    expect(h.orch.list({ status: 'completed' }).items).toEqual([]);
    expect(h.orch.list({ status: 'cancelled' }).items).toHaveLength(7);
    expect(() => h.orch.list({ cursor: 'garbage' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('lists events after a sequence and before one, ascending, in bounded pages', async () => {
    h = makeHarness();
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(w.id, 'blocked');
    await Promise.all(Array.from({ length: 20 }, (_, i) => h.orch.emit(w.id, { agent: 'developer', type: 'agent_output', message: `line ${i}` })));
    const all = h.orch.listEvents({ workflowId: w.id });
    expect(all.map((e) => e.sequence)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(h.orch.listEvents({ workflowId: w.id, afterSequence: 3, limit: 2 }).map((e) => e.sequence)).toEqual([4, 5]);
    expect(h.orch.listEvents({ workflowId: w.id, beforeSequence: 10, limit: 3 }).map((e) => e.sequence)).toEqual([7, 8, 9]);
    expect(() => h.orch.listEvents({ workflowId: 'nope' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('WAL checkpoints', () => {
  it('run in a worker with NORMAL durability, and inline (SQLite) with FULL', async () => {
    h = makeHarness();
    expect(await h.storage.checkpointsInWorker()).toBe(true);
    expect(h.storage.db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
    await h.orch.close();
    h.reopen({ durability: 'full' });
    expect(await h.storage.checkpointsInWorker()).toBe(false);
    expect(h.storage.db.pragma('wal_autocheckpoint', { simple: true })).toBe(DEFAULT_AUTOCHECKPOINT_PAGES);
  });
});

describe('settings', () => {
  it('refuses a pipeline preset whose output no adapter knows, and stores nothing', async () => {
    h = await makeHarness();
    const before = h.orch.settings();
    const preset = { stages: [{ name: 'plan', agent: 'architect', run: ['x'], output: 'gemini-json' }] };
    let error: unknown;
    try {
      h.orch.updateSettings({ pipelinePresets: { mine: preset }, maxConcurrent: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SwitchyardError);
    expect((error as SwitchyardError).code).toBe('INVALID_INPUT');
    expect((error as SwitchyardError).message).toMatch(/pipelinePresets\.mine: .*gemini-json.*claude-stream-json/);
    expect(h.orch.settings()).toEqual(before);
    expect(h.orch.updateSettings({ pipelinePresets: { mine: { ...preset, stages: [{ ...preset.stages[0]!, output: 'codex-json' }] } } }).pipelinePresets.mine).toBeDefined();
  });
});
