import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, Checkpointer, DEFAULT_AUTOCHECKPOINT_PAGES, type CheckpointResult } from './checkpointer';
import type { CheckpointRequest } from './checkpointProtocol';
import { openDatabase } from './database';

let dir: string;
let file: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-ckpt-'));
  file = join(dir, 'switchyard.db');
  db = openDatabase(file);
  db.exec('CREATE TABLE filler (n INTEGER PRIMARY KEY, body TEXT NOT NULL)');
});

afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const autocheckpoint = () => db.pragma('wal_autocheckpoint', { simple: true });
const insert = (rows: number) => {
  const stmt = db.prepare('INSERT INTO filler (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) stmt.run('x'.repeat(1000));
  })();
};

function started(options: ConstructorParameters<typeof Checkpointer>[2] = {}) {
  const results: CheckpointResult[] = [];
  let onResult = () => {};
  const failures: Error[] = [];
  let onFailure = () => {};
  const failed = new Promise<void>((resolve) => (onFailure = resolve));
  const c = new Checkpointer(db, file, {
    ...options,
    onCheckpoint: (r) => {
      results.push(r);
      onResult();
    },
    onFailure: (e) => {
      failures.push(e);
      onFailure();
    },
  });
  const nextCheckpoint = () => new Promise<void>((resolve) => (onResult = resolve));
  return { c, results, failures, failed, nextCheckpoint };
}


describe('Checkpointer', () => {
  it('moves checkpoints to the worker: the main connection keeps only a distant backstop', async () => {
    const { c } = started();
    expect(await c.ready).toBe(true);
    expect(autocheckpoint()).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
    await c.close();
  });

  it("copies the WAL into the database file without the main connection's help", async () => {
    const { c, results, nextCheckpoint } = started();
    expect(await c.ready).toBe(true);
    const before = statSync(file).size;
    // ~300 pages: far below the main connection's backstop, so only the worker can copy them.
    for (let i = 0; i < 40; i++) insert(30);
    const done = nextCheckpoint();
    c.committed(800);
    await done;
    expect(results.at(-1)!.checkpointed).toBeGreaterThan(250);
    expect(results.at(-1)!.checkpointed).toBe(results.at(-1)!.frames);
    expect(statSync(file).size).toBeGreaterThan(before + 250 * 4096);
    await c.close();
  });

  /** Counts the checkpoints asked of the worker, and reads its shared count of those finished. */
  function watch(c: Checkpointer) {
    const inner = c as unknown as { worker: { postMessage: (m: unknown) => void }; finished: Int32Array };
    const seen = { asked: 0 };
    const original = inner.worker.postMessage.bind(inner.worker);
    inner.worker.postMessage = (m: unknown) => {
      if ((m as CheckpointRequest).kind === 'checkpoint') seen.asked++;
      original(m);
    };
    return {
      seen,
      /** Blocks this thread (no event loop turn) until the worker finished `count` checkpoints. */
      waitFinished(count: number) {
        for (let now = Atomics.load(inner.finished, 0); now < count; now = Atomics.load(inner.finished, 0)) {
          expect(Atomics.wait(inner.finished, 0, now, 10_000)).not.toBe('timed-out');
        }
      },
    };
  }

  it('asks for a checkpoint only after enough commits, and again once the last one finished', async () => {
    const { c } = started();
    expect(await c.ready).toBe(true);
    const { seen, waitFinished } = watch(c);
    for (let i = 0; i < 249; i++) c.committed(1);
    expect(seen.asked).toBe(0);
    c.committed(1); // the 250th commit
    expect(seen.asked).toBe(1);
    waitFinished(1);
    for (let i = 0; i < 249; i++) c.committed(1);
    expect(seen.asked).toBe(1);
    c.committed(1); // the next 250th: the first is done, so it is asked again
    expect(seen.asked).toBe(2);
    await c.close();
  });

  it('asks again during one long synchronous burst of commits, without waiting for the reply to arrive', async () => {
    // The reply travels through the event loop, which a burst never yields to; the count of
    // finished checkpoints is shared memory. Before, the WAL grew to the backstop in such a burst.
    const { c, results } = started();
    expect(await c.ready).toBe(true);
    const { seen, waitFinished } = watch(c);
    for (let round = 1; round <= 3; round++) {
      insert(30);
      c.committed(800);
      expect(seen.asked).toBe(round);
      waitFinished(round);
    }
    expect(results).toHaveLength(0); // no reply was read: the event loop never turned
    await c.close();
  });

  it('does not ask while a checkpoint it asked for is still running', async () => {
    const { c } = started();
    expect(await c.ready).toBe(true);
    const { seen } = watch(c);
    const inner = c as unknown as { finished: Int32Array };
    c.committed(800);
    expect(seen.asked).toBe(1);
    // Whatever the worker's pace, the shared count decides: pretend it has not finished yet.
    const finishedBefore = Atomics.load(inner.finished, 0);
    Atomics.store(inner.finished, 0, 0);
    for (let i = 0; i < 100; i++) c.committed(20);
    expect(seen.asked).toBe(1);
    Atomics.store(inner.finished, 0, Math.max(1, finishedBefore));
    c.committed(800);
    expect(seen.asked).toBe(2);
    await c.close();
  });

  it('falls back to SQLite checkpoints on the main connection when the worker cannot start', async () => {
    const { c, failed } = started({ driver: join(dir, 'no-such-driver.js') });
    expect(await c.ready).toBe(false);
    await failed;
    expect(c.running).toBe(false);
    expect(autocheckpoint()).toBe(DEFAULT_AUTOCHECKPOINT_PAGES);
    c.committed(10_000); // ignored, no throw
    await c.close();
  });

  it('falls back when a running worker dies', async () => {
    const { c, failed } = started();
    expect(await c.ready).toBe(true);
    await (c as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await failed;
    expect(c.running).toBe(false);
    expect(autocheckpoint()).toBe(DEFAULT_AUTOCHECKPOINT_PAGES);
    await c.close();
  });

  it('closes its connection first, so closing the main one removes the WAL', async () => {
    const { c } = started();
    expect(await c.ready).toBe(true);
    insert(50);
    await c.close();
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('checkpoints with the durability of the main connection', async () => {
    db.close();
    db = openDatabase(file, { durability: 'full' });
    const { c } = started({ durability: 'full' });
    expect(await c.ready).toBe(true);
    expect(c.synchronous).toBe(2);
    await c.close();
    db.close();
    db = openDatabase(file);
    const normal = started();
    expect(await normal.c.ready).toBe(true);
    expect(normal.c.synchronous).toBe(1);
    await normal.c.close();
  });
});
