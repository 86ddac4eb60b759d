// The event log: numbers events (rule 3), writes them in transactions, and acknowledges each emit
// only after its transaction committed (rule 9).
//
// How sequence numbers are assigned, and why no interleaving can give two events one number:
// better-sqlite3 is synchronous and JavaScript runs one piece of code to completion, so a
// synchronous section cannot be interleaved by any other caller. Every number is handed out
// inside `transaction()`, a synchronous section that (1) reads the workflow's last sequence —
// from memory, or on first use from `MAX(sequence)` in the database, in the same section —
// (2) increments it, (3) inserts the row and (4) commits. There is no `await` between the read
// and the write, so there is no window in which a second emitter can read the same value. The
// counters touched by a transaction are only published to memory after it commits, so a rolled
// back transaction leaves no gap. The original design's race (an async per-workflow lock that
// was checked, then created after an await) has no equivalent here: there is no lock to create.
// UNIQUE(workflow_id, sequence) in the schema is the backstop that would make a bug loud.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EventDraft, WorkflowEvent } from '../../shared/events';
import { DurableCommitError, durably } from './store/durableCommit';
import type { EventTable } from './store/eventStore';
import { storageError } from './store/storageError';

/** Back-off after the disk refused a batch (locked by another program, I/O error): 1 s, doubling, at most 30 s. */
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/** Emits after close are refused with this (shutdown): producers should stop, not retry. */
export class EventLogClosedError extends Error {
  constructor() {
    super('the event log is closed');
  }
}

export interface Tx {
  /** Numbers, writes and returns an event; it is published once the transaction commits. */
  append(workflowId: string, draft: EventDraft): WorkflowEvent;
  /** Runs after a successful commit (publication of workflow changes). */
  afterCommit(fn: () => void): void;
}

interface Pending {
  workflowId: string;
  draft: EventDraft;
  resolve: (e: WorkflowEvent) => void;
  reject: (err: unknown) => void;
}

/**
 * A transaction being written. A class, not an object literal with arrow functions: one is made
 * per transaction, and its methods then cost no closures (nor, under tsx, a defineProperty for
 * each closure's name) on the approve path (docs/performance.md, "P3 at FULL").
 */
class OpenTx implements Tx {
  readonly counters = new Map<string, number>();
  readonly written: WorkflowEvent[] = [];
  readonly hooks: (() => void)[] = [];
  /** One clock reading per transaction: its events commit together. */
  private timestamp: string | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly store: Pick<EventTable, 'insert'>,
    private readonly now: () => Date,
    /** Committed with a sync of the WAL (store/durableCommit.ts). */
    readonly durable: boolean,
  ) {}

  append(workflowId: string, draft: EventDraft): WorkflowEvent {
    const sequence = (this.counters.get(workflowId) ?? this.log.lastSequence(workflowId)) + 1;
    const event: WorkflowEvent = {
      id: randomUUID(),
      workflowId,
      sequence,
      timestamp: (this.timestamp ??= this.now().toISOString()),
      agent: draft.agent,
      type: draft.type,
      message: draft.message,
    };
    if (draft.data !== undefined) event.data = draft.data;
    if (draft.correlationId !== undefined) event.correlationId = draft.correlationId;
    this.store.insert(event);
    this.counters.set(workflowId, sequence);
    this.written.push(event);
    return event;
  }

  afterCommit(fn: () => void): void {
    this.hooks.push(fn);
  }
}

export interface TransactionOptions {
  /**
   * Sync the WAL before the commit returns, so a power cut cannot lose it (nor any earlier
   * commit): for what a person decided and every workflow state transition
   * (docs/reliability.md, "Power loss"). Events alone stay at synchronous=NORMAL.
   */
  durable?: boolean;
}

export type Publish = (workflowId: string, events: WorkflowEvent[]) => void;

export class EventLog {
  private readonly last = new Map<string, number>();
  private pending: Pending[] = [];
  private flushTimer: NodeJS.Immediate | null = null;
  private open: OpenTx | null = null;
  private closed = false;
  /**
   * While the disk refuses writes, batched emits fail at once instead of each waiting out the
   * busy timeout on the only thread (which would stall every request). A transaction asked for
   * by a user action still tries, and any commit ends the back-off.
   */
  private backoff: { until: number; ms: number; error: unknown } | null = null;
  /**
   * better-sqlite3's BEGIN…COMMIT wrapper, made once: `db.transaction(fn)` builds four wrapper
   * functions and their properties on every call, a measurable share of a 20-row transaction.
   */
  private readonly inTransaction: <T>(fn: () => T) => T;

  constructor(
    private readonly db: Database.Database,
    // Any table of events: the workflows' log, or the worktree runs' (store/worktreeRunStore.ts).
    private readonly store: Pick<EventTable, 'insert' | 'maxSequence'>,
    private readonly publish: Publish,
    private readonly now: () => Date = () => new Date(),
    /** Told the row count of every commit (the WAL checkpointer paces itself on it). */
    private readonly onCommit: (rows: number) => void = () => undefined,
  ) {
    this.inTransaction = db.transaction((fn: () => unknown) => fn()) as <T>(fn: () => T) => T;
  }

  /**
   * Appends an event, batched with others emitted in the same turn of the event loop into one
   * transaction. The promise resolves with the stored event once it is committed.
   */
  emit(workflowId: string, draft: EventDraft): Promise<WorkflowEvent> {
    if (this.closed) return Promise.reject(new EventLogClosedError());
    if (this.backoff && Date.now() < this.backoff.until) return Promise.reject(this.backoff.error);
    return new Promise((resolve, reject) => {
      this.pending.push({ workflowId, draft, resolve, reject });
      this.flushTimer ??= setImmediate(() => this.flush());
    });
  }

  /**
   * Runs `fn` in one transaction. Batched emits still waiting are written first, so sequence
   * order is always call order. Re-entrant: a nested call joins the outer transaction; a durable
   * one may join only a durable one (else DurableCommitError, and the outer one rolls back).
   */
  transaction<T>(fn: (tx: Tx) => T, options: TransactionOptions = {}): T {
    const durable = options.durable === true;
    if (this.open) {
      if (durable && !this.open.durable) throw new DurableCommitError();
      return fn(this.open);
    }
    const tx = new OpenTx(this, this.store, this.now, durable);
    const waiting = this.takePending();
    let result: T;
    try {
      this.open = tx;
      result = durable ? durably(this.db, () => this.write(tx, waiting, fn)) : this.write(tx, waiting, fn);
    } catch (e) {
      this.open = null;
      // The waiting emits were not at fault: retry them on their own.
      if (waiting.length) this.requeue(waiting);
      throw e;
    }
    this.open = null;
    this.committed(tx);
    waiting.forEach((p, i) => p.resolve(tx.written[i]!));
    return result;
  }

  /** `transaction(fn, { durable: true })`: answered only once the commit is on disk. */
  durableTransaction<T>(fn: (tx: Tx) => T): T {
    return this.transaction(fn, { durable: true });
  }

  /** Writes every waiting emit now. */
  flush(): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = null;
    const batch = this.takePending();
    if (batch.length === 0) return;
    const failure = this.tryWrite(batch);
    if (failure === null) return;
    const storage = storageError(failure);
    if (storage) {
      // The disk, not a draft, is at fault: retrying one by one would only wait again per event.
      for (const p of batch) p.reject(storage);
      const ms = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, (this.backoff?.ms ?? 0) * 2));
      this.backoff = { until: Date.now() + ms, ms, error: storage };
      return;
    }
    // One bad draft (e.g. an unknown workflow) must not sink the others: write them one by one.
    if (batch.length === 1) return batch[0]!.reject(failure);
    for (const p of batch) {
      const e = this.tryWrite([p]);
      if (e !== null) p.reject(e);
    }
  }

  /** The last sequence handed out for a workflow (0 if none). */
  lastSequence(workflowId: string): number {
    let n = this.last.get(workflowId);
    if (n === undefined) {
      n = this.store.maxSequence(workflowId);
      this.last.set(workflowId, n);
    }
    return n;
  }

  /**
   * Seeds counters read in bulk (the active workflows at start-up, a new workflow's 0), so the
   * first emit of a workflow does not pay a MAX(sequence) query inside its transaction. Only
   * call with values read from, or committed to, the database.
   */
  prime(counters: Iterable<readonly [string, number]>): void {
    for (const [id, n] of counters) if (!this.last.has(id)) this.last.set(id, n);
  }

  /** Forgets a workflow's cached counter (it resumes from the database if needed again). */
  forget(workflowId: string): void {
    this.last.delete(workflowId);
  }

  close(): void {
    this.flush();
    this.closed = true;
  }

  /** Writes a batch in one transaction; null on success, else the error (nothing resolved or rejected). */
  private tryWrite(batch: Pending[]): unknown {
    const tx = new OpenTx(this, this.store, this.now, false);
    try {
      this.open = tx;
      this.inTransaction(() => {
        for (const p of batch) tx.append(p.workflowId, p.draft);
      });
    } catch (e) {
      this.open = null;
      return e;
    }
    this.open = null;
    this.committed(tx);
    batch.forEach((p, i) => p.resolve(tx.written[i]!));
    return null;
  }

  /** BEGIN, the waiting emits, `fn`, COMMIT. */
  private write<T>(tx: OpenTx, waiting: Pending[], fn: (tx: Tx) => T): T {
    return this.inTransaction(() => {
      for (const p of waiting) tx.append(p.workflowId, p.draft);
      return fn(tx);
    });
  }

  private committed(tx: OpenTx): void {
    this.backoff = null;
    this.onCommit(tx.written.length);
    for (const [id, n] of tx.counters) this.last.set(id, n);
    // Publish per workflow, in sequence order, then the other after-commit hooks.
    if (tx.counters.size === 1) {
      // One workflow (an approve, a stage's batch): its events are already in order.
      this.publish(tx.written[0]!.workflowId, tx.written);
      for (const hook of tx.hooks) hook();
      return;
    }
    const byWorkflow = new Map<string, WorkflowEvent[]>();
    for (const e of tx.written) {
      const list = byWorkflow.get(e.workflowId);
      if (list) list.push(e);
      else byWorkflow.set(e.workflowId, [e]);
    }
    for (const [id, events] of byWorkflow) this.publish(id, events);
    for (const hook of tx.hooks) hook();
  }

  private takePending(): Pending[] {
    const batch = this.pending;
    this.pending = [];
    return batch;
  }

  private requeue(batch: Pending[]): void {
    this.pending = batch.concat(this.pending);
    this.flushTimer ??= setImmediate(() => this.flush());
  }
}
