// Checkpoints the write-ahead log from a worker thread (checkpoint.worker.ts; the messages between
// the two: checkpointProtocol.ts), so the committing (main) thread never does.
//
// Why: SQLite checkpoints on the connection that commits, once the WAL passes 1,000 pages, and a
// checkpoint copies those pages into the database file and syncs both files (even at
// synchronous=NORMAL). On the event loop that is a stall of 10–70 ms in the middle of an emit
// (docs/performance.md, P1 and P6). A second connection in a worker runs PASSIVE checkpoints,
// which never block the writer, while the main connection keeps SQLite's own checkpoint only as
// a backstop far above the usual size. If the worker cannot start or stops, the main connection
// goes back to SQLite's default, so the log never grows without bound.
//
// Only with synchronous=NORMAL: at FULL every commit already waits for an fsync of the WAL, and a
// checkpoint syncing the database file at the same time made those waits longer (P1 FULL was
// 5-15 % slower with the worker, NORMAL 1.6x faster), so at FULL SQLite checkpoints inline. A
// NORMAL connection's occasional durable commit (durableCommit.ts) keeps the worker.
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../process/workerEntry';
import type { CheckpointReply, CheckpointRequest, CheckpointResult, CheckpointWorkerData } from './checkpointProtocol';
import type { Durability } from './database';

export type { CheckpointResult } from './checkpointProtocol';

/** SQLite's own default: what the main connection uses whenever the worker is not running. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** While the worker runs, the main connection checkpoints only if the WAL gets this large (~40 MiB). */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;
/** Rows and commits after which the worker is asked to checkpoint (each ~ SQLite's 1,000 pages: ~1.2 pages a row, ~3 a commit). */
const NUDGE_AFTER_ROWS = 800;
const NUDGE_AFTER_COMMITS = 250;

export interface CheckpointerOptions {
  durability?: Durability;
  /** better-sqlite3's entry, as the worker requires it (default: resolved from here). */
  driver?: string;
  /** Called after each checkpoint the worker ran (tests, diagnostics). */
  onCheckpoint?: (r: CheckpointResult) => void;
  /** Called once if the worker fails; the main connection has its default back by then. */
  onFailure?: (error: Error) => void;
}

export class Checkpointer {
  private readonly worker: Worker;
  private state: 'starting' | 'running' | 'failed' | 'closed' = 'starting';
  /** Checkpoints asked for; the worker counts those it finished in `finished` (shared memory). */
  private requested = 0;
  private readonly finished = new Int32Array(new SharedArrayBuffer(4));
  private rows = 0;
  private commits = 0;
  private readonly exited: Promise<void>;
  private settle: (running: boolean) => void = () => undefined;
  /** Resolves true once the worker does the checkpoints, false if it failed to (or was closed first). */
  readonly ready: Promise<boolean> = new Promise((resolve) => (this.settle = resolve));
  /** The worker connection's `PRAGMA synchronous` (1 NORMAL, 2 FULL), once it is running. */
  synchronous: number | null = null;

  constructor(
    private readonly db: Database.Database,
    file: string,
    private readonly options: CheckpointerOptions = {},
  ) {
    const workerData: CheckpointWorkerData = {
      driver: options.driver ?? createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      synchronous: options.durability === 'full' ? 'FULL' : 'NORMAL',
      progress: this.finished.buffer as SharedArrayBuffer,
    };
    this.worker = startWorker(import.meta.url, 'checkpoint.worker', { name: 'switchyard checkpoints', workerData });
    // It must never keep the process alive on its own; close() waits for it explicitly.
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (m: CheckpointReply) => {
      if (m.kind === 'ready') {
        if (this.state !== 'starting') return;
        this.state = 'running';
        this.synchronous = m.synchronous;
        this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
        this.settle(true);
        return;
      }
      this.options.onCheckpoint?.({ frames: m.frames, checkpointed: m.checkpointed });
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => {
      if (this.state === 'starting' || this.state === 'running') this.fail(new Error(`the checkpoint worker exited (code ${code})`));
    });
  }

  /** True while the worker does the checkpoints. */
  get running(): boolean {
    return this.state === 'running';
  }

  /** Call after each commit with its row count: asks the worker to checkpoint now and then. */
  committed(rows: number): void {
    if (this.state !== 'running') return;
    this.rows += rows;
    this.commits += 1;
    if (this.busy || (this.rows < NUDGE_AFTER_ROWS && this.commits < NUDGE_AFTER_COMMITS)) return;
    this.rows = 0;
    this.commits = 0;
    this.requested += 1;
    this.send({ kind: 'checkpoint' });
  }

  /**
   * A checkpoint asked for has not finished. Read from shared memory, not from the worker's
   * reply: during a synchronous burst of commits the event loop never turns to deliver that
   * reply, and the WAL would grow to the backstop, which checkpoints it all at once on this
   * thread (docs/performance.md, "P3 at FULL").
   */
  private get busy(): boolean {
    return Atomics.load(this.finished, 0) < this.requested;
  }

  /** Stops the worker and closes its connection (before the main connection closes). */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasUp = this.state === 'running' || this.state === 'starting';
    this.state = 'closed';
    this.settle(false);
    if (wasUp) {
      this.send({ kind: 'close' });
      // A worker still opening its connection reads the message once it is up.
      this.worker.ref();
      await this.exited;
    }
    this.restoreDefault();
  }

  private send(request: CheckpointRequest): void {
    this.worker.postMessage(request);
  }

  private fail(error: Error): void {
    if (this.state === 'failed' || this.state === 'closed') return;
    this.state = 'failed';
    this.restoreDefault();
    this.settle(false);
    void this.worker.terminate();
    this.options.onFailure?.(error);
  }

  private restoreDefault(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }
}
