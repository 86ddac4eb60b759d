// Event rows. The store only writes what it is given; numbering is the EventLog's job.
import type Database from 'better-sqlite3';
import type { EventType, WorkflowEvent } from '../../../shared/events';
import { ACTIVE_STATUSES, TERMINAL_STATUSES } from '../../../shared/status';

interface EventRow {
  workflow_id: string;
  sequence: number;
  id: string;
  timestamp: string;
  agent: string;
  type: EventType;
  message: string;
  data_json: string | null;
  correlation_id: string | null;
}

function toEvent(row: EventRow): WorkflowEvent {
  const e: WorkflowEvent = {
    id: row.id,
    workflowId: row.workflow_id,
    sequence: row.sequence,
    timestamp: row.timestamp,
    agent: row.agent,
    type: row.type,
    message: row.message,
  };
  if (row.data_json !== null) e.data = JSON.parse(row.data_json) as Record<string, unknown>;
  if (row.correlation_id !== null) e.correlationId = row.correlation_id;
  return e;
}

const TERMINAL_LIST = TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ');
const ACTIVE_LIST = ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * One table of events (the workflows' `events`, or a worktree run's `worktree_run_events`: the
 * same columns): writes what it is given and reads pages. Numbering is the EventLog's job.
 */
export class EventTable {
  private readonly insertStmt: Database.Statement;
  private readonly listStmt: Database.Statement<[string, number, number], EventRow>;
  private readonly tailStmt: Database.Statement<[string, number, number], EventRow>;
  private readonly maxSeqStmt: Database.Statement<[string], { m: number | null }>;

  constructor(db: Database.Database, table: 'events' | 'worktree_run_events') {
    this.insertStmt = db.prepare(`
      INSERT INTO ${table} (workflow_id, sequence, id, timestamp, agent, type, message, data_json, correlation_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.listStmt = db.prepare(`SELECT * FROM ${table} WHERE workflow_id = ? AND sequence > ? ORDER BY sequence LIMIT ?`);
    this.tailStmt = db.prepare(`SELECT * FROM ${table} WHERE workflow_id = ? AND sequence < ? ORDER BY sequence DESC LIMIT ?`);
    this.maxSeqStmt = db.prepare(`SELECT MAX(sequence) AS m FROM ${table} WHERE workflow_id = ?`);
  }

  /** Must run inside a transaction opened by the EventLog. */
  insert(e: WorkflowEvent): void {
    this.insertStmt.run(
      e.workflowId,
      e.sequence,
      e.id,
      e.timestamp,
      e.agent,
      e.type,
      e.message,
      e.data === undefined ? null : JSON.stringify(e.data),
      e.correlationId ?? null,
    );
  }

  /** The highest sequence stored for a log, 0 if none. */
  maxSequence(logId: string): number {
    return this.maxSeqStmt.get(logId)?.m ?? 0;
  }

  list(logId: string, afterSequence: number, limit: number): WorkflowEvent[] {
    return this.listStmt.all(logId, afterSequence, limit).map(toEvent);
  }

  /** The `limit` events just before `beforeSequence`, ascending. */
  listBefore(logId: string, beforeSequence: number, limit: number): WorkflowEvent[] {
    return this.tailStmt.all(logId, beforeSequence, limit).map(toEvent).reverse();
  }
}

/** The workflows' events, with what only they have: the active logs' heads and retention (rule 10). */
export class EventStore extends EventTable {
  private readonly pruneStmt: Database.Statement<[string]>;
  private readonly activeMaxStmt: Database.Statement<[], { id: string; m: number | null }>;

  constructor(db: Database.Database) {
    super(db, 'events');
    // One index probe per active workflow (never a scan of the events of ended ones).
    this.activeMaxStmt = db.prepare(`
      SELECT w.id AS id, (SELECT MAX(sequence) FROM events WHERE workflow_id = w.id) AS m
      FROM workflows w WHERE w.status IN (${ACTIVE_LIST})`);
    this.pruneStmt = db.prepare(`
      DELETE FROM events WHERE workflow_id IN (
        SELECT id FROM workflows
        WHERE status IN (${TERMINAL_LIST}) AND completed_at IS NOT NULL AND completed_at < ?)`);
  }

  /** The highest sequence of every active workflow (0 if none). */
  activeMaxSequences(): [string, number][] {
    return this.activeMaxStmt.all().map((r) => [r.id, r.m ?? 0]);
  }

  /** Rule 10: deletes events of workflows that ended before `cutoffIso`; active ones are never touched. */
  pruneEndedBefore(cutoffIso: string): number {
    return this.pruneStmt.run(cutoffIso).changes;
  }
}
