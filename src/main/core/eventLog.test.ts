import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkflowEvent } from '../../shared/events';
import { EventLog } from './eventLog';
import { openDatabase } from './store/database';
import { DurableCommitError } from './store/durableCommit';
import { EventStore } from './store/eventStore';
import { WorkflowStore } from './store/workflowStore';

let dir: string;
let file: string;
let db: Database.Database;
let store: EventStore;
let published: { workflowId: string; events: WorkflowEvent[] }[];
let log: EventLog;

function addWorkflow(id: string, status: 'in_progress' | 'completed' = 'in_progress', worktree = `/tmp/wt-${id}`) {
  new WorkflowStore(db).insert({
    id,
    issueId: id,
    title: '',
    description: '',
    worktreePath: worktree,
    worktreeName: id,
    pipeline: { name: 'p', stages: [] },
    status: 'pending',
    createdAt: new Date().toISOString(),
  });
  if (status !== 'in_progress') db.prepare('UPDATE workflows SET status = ? WHERE id = ?').run(status, id);
}

const draft = (message: string) => ({ agent: 'system', type: 'agent_output' as const, message });
const sequences = (workflowId: string) =>
  (db.prepare('SELECT sequence FROM events WHERE workflow_id = ? ORDER BY sequence').all(workflowId) as { sequence: number }[]).map((r) => r.sequence);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-log-'));
  file = join(dir, 'switchyard.db');
  db = openDatabase(file);
  store = new EventStore(db);
  published = [];
  log = new EventLog(db, store, (workflowId, events) => published.push({ workflowId, events }));
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sequence numbers (rule 3)', () => {
  it('gives 10 concurrent first emits exactly 1..10 even when reading the max sequence is slow', async () => {
    addWorkflow('w1');
    const realMax = store.maxSequence.bind(store);
    const slowMax = vi.spyOn(store, 'maxSequence').mockImplementation((id) => {
      const until = Date.now() + 20; // a slow read: other emitters get every chance to interleave
      while (Date.now() < until) {
        /* busy */
      }
      return realMax(id);
    });
    const emits = await Promise.all(
      range(10).map(async (i) => {
        await new Promise((r) => setImmediate(r)); // ten independent async callers
        return log.emit('w1', draft(`e${i}`));
      }),
    );
    expect(emits.map((e) => e.sequence).sort((a, b) => a - b)).toEqual(range(10));
    expect(sequences('w1')).toEqual(range(10));
    expect(slowMax).toHaveBeenCalledTimes(1);
  });

  it('stays gapless and unique under many concurrent emitters on several workflows', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    ids.forEach((id) => addWorkflow(id));
    const emitters = range(20).map(async (k) => {
      for (let i = 0; i < 50; i++) {
        if (i % 7 === k % 7) await new Promise((r) => setImmediate(r));
        await log.emit(ids[(k + i) % ids.length]!, draft(`${k}:${i}`));
      }
    });
    await Promise.all(emitters);
    for (const id of ids) expect(sequences(id)).toEqual(range(200));
  });

  it('resumes from the database after a restart', async () => {
    addWorkflow('w1');
    for (let i = 0; i < 5; i++) await log.emit('w1', draft(`before ${i}`));
    db.close();
    db = openDatabase(file);
    store = new EventStore(db);
    log = new EventLog(db, store, () => {});
    const after = await Promise.all(range(3).map((i) => log.emit('w1', draft(`after ${i}`))));
    expect(after.map((e) => e.sequence)).toEqual([6, 7, 8]);
    expect(sequences('w1')).toEqual(range(8));
  });

  it('continues from counters read in bulk at open, with no MAX(sequence) query per workflow', async () => {
    addWorkflow('w1');
    addWorkflow('w2');
    for (let i = 0; i < 3; i++) await log.emit('w1', draft(`w1 ${i}`));
    await log.emit('w2', draft('w2 0'));
    db.close();
    db = openDatabase(file);
    store = new EventStore(db);
    log = new EventLog(db, store, () => {});
    log.prime(store.activeMaxSequences());
    const perWorkflow = vi.spyOn(store, 'maxSequence');
    const [a, b] = await Promise.all([log.emit('w1', draft('w1 after')), log.emit('w2', draft('w2 after'))]);
    expect([a.sequence, b.sequence]).toEqual([4, 2]);
    expect(perWorkflow).not.toHaveBeenCalled();
    expect(sequences('w1')).toEqual(range(4));
  });

  it('never lets a primed value overwrite a counter it already holds', async () => {
    addWorkflow('w1');
    await log.emit('w1', draft('one'));
    log.prime([['w1', 0]]);
    expect((await log.emit('w1', draft('two'))).sequence).toBe(2);
  });

  it('leaves no gap when a transaction rolls back', async () => {
    addWorkflow('w1');
    await log.emit('w1', draft('one'));
    expect(() =>
      log.transaction((tx) => {
        tx.append('w1', draft('two'));
        tx.append('w1', draft('three'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const next = await log.emit('w1', draft('two again'));
    expect(next.sequence).toBe(2);
    expect(sequences('w1')).toEqual([1, 2]);
  });

  it('numbers batched emits and transactional appends in call order', async () => {
    addWorkflow('w1');
    const first = log.emit('w1', draft('batched first'));
    const inTx = log.transaction((tx) => tx.append('w1', draft('transactional second')));
    const third = log.emit('w1', draft('batched third'));
    expect((await first).sequence).toBe(1);
    expect(inTx.sequence).toBe(2);
    expect((await third).sequence).toBe(3);
  });

  it('is backed by UNIQUE(workflow_id, sequence)', () => {
    addWorkflow('w1');
    const insert = db.prepare(
      "INSERT INTO events (workflow_id, sequence, id, timestamp, agent, type, message) VALUES ('w1', 1, ?, '', 'system', 'agent_output', '')",
    );
    insert.run('x');
    expect(() => insert.run('y')).toThrow(/UNIQUE/);
  });
});

describe('a disk that refuses writes', () => {
  it('rejects the batch with a clear error, fails fast while backing off, and recovers on the next commit', async () => {
    addWorkflow('w1');
    await log.emit('w1', draft('before'));
    db.pragma('busy_timeout = 50');
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    // Every write attempt starts by inserting its first event, which is where a locked database
    // refuses it: one insert call is one try. (The log makes its BEGIN…COMMIT wrapper once, so
    // counting db.transaction() calls would count nothing.)
    const tries = vi.spyOn(store, 'insert');
    try {
      const first = await Promise.allSettled([log.emit('w1', draft('a')), log.emit('w1', draft('b'))]);
      expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect((first[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/locked by another program/) });
      expect(tries).toHaveBeenCalledTimes(1); // one try for the batch, not one per event

      await expect(log.emit('w1', draft('during back-off'))).rejects.toMatchObject({ code: 'INTERNAL' });
      expect(tries).toHaveBeenCalledTimes(1); // refused without touching SQLite
    } finally {
      other.exec('ROLLBACK');
      other.close();
      tries.mockRestore();
    }
    // A user action's transaction still tries; its commit ends the back-off.
    log.transaction((tx) => tx.append('w1', draft('user action')));
    expect((await log.emit('w1', draft('after'))).sequence).toBe(3);
    expect(sequences('w1')).toEqual([1, 2, 3]);
  });
});

describe('acknowledgement (rule 9)', () => {
  it('resolves an emit only once another connection can read the event', async () => {
    addWorkflow('w1');
    const reader = new Database(file, { readonly: true });
    try {
      const pending = log.emit('w1', draft('durable'));
      expect(reader.prepare('SELECT COUNT(*) AS c FROM events').get()).toEqual({ c: 0 });
      const event = await pending;
      expect(reader.prepare('SELECT message FROM events WHERE workflow_id = ? AND sequence = ?').get('w1', event.sequence)).toEqual({
        message: 'durable',
      });
    } finally {
      reader.close();
    }
  });

  it('rejects only the bad emit of a batch; the others commit', async () => {
    addWorkflow('w1');
    const good1 = log.emit('w1', draft('ok 1'));
    const bad = log.emit('no-such-workflow', draft('orphan'));
    const good2 = log.emit('w1', draft('ok 2'));
    await expect(bad).rejects.toThrow(/FOREIGN KEY/);
    expect((await good1).sequence).toBe(1);
    expect((await good2).sequence).toBe(2);
  });

  it('publishes each committed batch per workflow in sequence order', async () => {
    addWorkflow('w1');
    addWorkflow('w2');
    await Promise.all([log.emit('w1', draft('a')), log.emit('w2', draft('b')), log.emit('w1', draft('c'))]);
    expect(published.map((p) => [p.workflowId, p.events.map((e) => e.sequence)])).toEqual([
      ['w1', [1, 2]],
      ['w2', [1]],
    ]);
  });
});

describe('durable transactions (power loss)', () => {
  const level = () => db.pragma('synchronous', { simple: true });

  it('commits at FULL, with the emits that were waiting, and goes back to NORMAL', async () => {
    addWorkflow('w1');
    const waiting = log.emit('w1', draft('agent line'));
    const seen = log.durableTransaction((tx) => {
      tx.append('w1', draft('decision'));
      return level();
    });
    expect(seen).toBe(2);
    expect(level()).toBe(1);
    expect((await waiting).sequence).toBe(1);
    expect(sequences('w1')).toEqual([1, 2]);
  });

  it('a durable operation may join a durable transaction but not a plain one, which then rolls back', () => {
    addWorkflow('w1');
    log.durableTransaction((tx) => {
      tx.append('w1', draft('outer'));
      log.durableTransaction((inner) => inner.append('w1', draft('inner')));
    });
    expect(sequences('w1')).toEqual([1, 2]);
    expect(() =>
      log.transaction((tx) => {
        tx.append('w1', draft('plain'));
        log.durableTransaction((inner) => inner.append('w1', draft('decision')));
      }),
    ).toThrow(DurableCommitError);
    expect(sequences('w1')).toEqual([1, 2]);
    expect(level()).toBe(1);
  });
});
