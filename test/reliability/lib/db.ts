// Reading the server's database from outside, read-only, as it was left (after a kill -9 too):
// integrity, gapless sequences, the rows of workflows and events, a digest of everything.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { WorkflowStatus } from '../../../src/shared/status';

export const DB_FILE = 'switchyard.db';

export interface WorkflowRow {
  id: string;
  worktree_path: string;
  status: WorkflowStatus;
  current_stage: string | null;
  failure_reason: string | null;
  n: number;
}

export interface EventRow {
  workflow_id: string;
  sequence: number;
  id: string;
  type: string;
  message: string;
  data_json: string | null;
  correlation_id: string | null;
}

export interface Snapshot {
  integrity: string;
  workflows: Map<string, WorkflowRow>;
  /** Events per workflow, ascending by sequence. */
  events: Map<string, EventRow[]>;
  processes: { workflow_id: string; pgid: number }[];
  settings: Record<string, unknown>;
}

/**
 * Opens the database read-only. With `fileMustNotChange` the WAL is not checkpointed by us (a
 * read-only connection never writes the main file); SQLite still needs the -shm, which exists
 * while or after the server ran.
 */
export function openReadOnly(dataDir: string): Database.Database {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) throw new Error(`no database at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

export function snapshot(dataDir: string): Snapshot {
  const db = openReadOnly(dataDir);
  try {
    // One read transaction: rows and events from the same instant, even while the server writes.
    return db.transaction(() => read(db))();
  } finally {
    db.close();
  }
}

function read(db: Database.Database): Snapshot {
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  const workflows = new Map<string, WorkflowRow>();
  for (const r of db.prepare('SELECT id, worktree_path, status, current_stage, failure_reason, n FROM workflows ORDER BY n').all() as WorkflowRow[]) {
    workflows.set(r.id, r);
  }
  const events = new Map<string, EventRow[]>();
  for (const r of db
    .prepare('SELECT workflow_id, sequence, id, type, message, data_json, correlation_id FROM events ORDER BY workflow_id, sequence')
    .all() as EventRow[]) {
    let list = events.get(r.workflow_id);
    if (!list) events.set(r.workflow_id, (list = []));
    list.push(r);
  }
  const processes = db.prepare('SELECT workflow_id, pgid FROM processes').all() as { workflow_id: string; pgid: number }[];
  const settings = Object.fromEntries(
    (db.prepare('SELECT key, value_json FROM settings').all() as { key: string; value_json: string }[]).map((r) => [r.key, JSON.parse(r.value_json)]),
  );
  return { integrity, workflows, events, processes, settings };
}

/** sha256 over every row of every table, in a fixed order: equal digests = unchanged contents. */
export function digest(dataDir: string): { digest: string; rows: number } {
  const db = openReadOnly(dataDir);
  try {
    return db.transaction(() => digestOf(db))();
  } finally {
    db.close();
  }
}

function digestOf(db: Database.Database): { digest: string; rows: number } {
  const h = createHash('sha256');
  let rows = 0;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  for (const t of tables) {
    h.update(`table ${t}\n`);
    for (const r of db.prepare(`SELECT * FROM "${t.replaceAll('"', '""')}" ORDER BY 1, 2`).raw().all()) {
      h.update(JSON.stringify(r) + '\n');
      rows++;
    }
  }
  return { digest: h.digest('hex'), rows };
}
