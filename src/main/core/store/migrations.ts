// Schema migrations, applied in order and recorded in `PRAGMA user_version`.
// One numbered migration each; a released migration is never edited, only followed by a new one.
import type Database from 'better-sqlite3';
import { ACTIVE_STATUSES, WORKFLOW_STATUSES } from '../../../shared/status';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'workflows, events, processes, settings, repos',
    up(db) {
      db.exec(`
        CREATE TABLE workflows (
          n              INTEGER PRIMARY KEY AUTOINCREMENT,
          id             TEXT NOT NULL UNIQUE,
          issue_id       TEXT NOT NULL,
          title          TEXT NOT NULL,
          description    TEXT NOT NULL,
          worktree_path  TEXT NOT NULL,
          worktree_name  TEXT NOT NULL,
          pipeline_json  TEXT NOT NULL,
          status         TEXT NOT NULL CHECK (status IN (${list(WORKFLOW_STATUSES)})),
          current_stage  TEXT,
          stage_index    INTEGER NOT NULL DEFAULT 0,
          run_state_json TEXT NOT NULL DEFAULT '{}',
          created_at     TEXT NOT NULL,
          started_at     TEXT,
          completed_at   TEXT,
          failure_reason TEXT
        );
        -- Rule 1: one active workflow per worktree, enforced by the database as a backstop.
        CREATE UNIQUE INDEX workflows_one_active_per_worktree
          ON workflows(worktree_path) WHERE status IN (${list(ACTIVE_STATUSES)});
        CREATE INDEX workflows_by_status ON workflows(status, n);
        CREATE INDEX workflows_by_worktree ON workflows(worktree_path, n);
        CREATE INDEX workflows_by_completed ON workflows(completed_at) WHERE completed_at IS NOT NULL;

        CREATE TABLE events (
          workflow_id    TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
          sequence       INTEGER NOT NULL,
          id             TEXT NOT NULL,
          timestamp      TEXT NOT NULL,
          agent          TEXT NOT NULL,
          type           TEXT NOT NULL,
          message        TEXT NOT NULL,
          data_json      TEXT,
          correlation_id TEXT,
          -- Rule 3's backstop: the sequencer never hands out a number twice; this proves it.
          UNIQUE (workflow_id, sequence)
        );

        -- Rule 8: every stage's process group, so a restart can kill what outlived a crash.
        CREATE TABLE processes (
          workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
          pgid        INTEGER NOT NULL,
          stage       TEXT NOT NULL,
          started_at  TEXT NOT NULL,
          PRIMARY KEY (workflow_id, pgid)
        );

        CREATE TABLE settings (
          key        TEXT PRIMARY KEY,
          value_json TEXT NOT NULL
        );

        CREATE TABLE repos (
          id       TEXT PRIMARY KEY,
          path     TEXT NOT NULL UNIQUE,
          name     TEXT NOT NULL,
          added_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    name: "workflows' token and cost totals",
    up(db) {
      db.exec(`
        ALTER TABLE workflows ADD COLUMN input_tokens  INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE workflows ADD COLUMN output_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE workflows ADD COLUMN cached_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE workflows ADD COLUMN cost_usd      REAL;
      `);
    },
  },
  {
    version: 3,
    name: 'tool permission requests and remembered rules (rule 11)',
    up(db) {
      db.exec(`
        -- One row per tool request that reached a person or a rule; status moves once, from
        -- 'pending', by one compare-and-set (allow and deny race like approve and reject).
        CREATE TABLE permission_requests (
          id           TEXT PRIMARY KEY,
          workflow_id  TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
          stage        TEXT NOT NULL,
          tool         TEXT NOT NULL,
          tool_use_id  TEXT,
          summary      TEXT NOT NULL,
          input_json   TEXT NOT NULL,
          status       TEXT NOT NULL CHECK (status IN ('pending', 'allowed', 'denied')),
          reason       TEXT,
          created_at   TEXT NOT NULL,
          decided_at   TEXT
        );
        CREATE INDEX permission_requests_pending ON permission_requests(workflow_id, created_at) WHERE status = 'pending';

        -- "Allow always for this repository": keyed by the repository's main worktree path.
        CREATE TABLE permission_rules (
          repo_path  TEXT NOT NULL,
          rule       TEXT NOT NULL,
          created_at TEXT NOT NULL,
          PRIMARY KEY (repo_path, rule)
        );
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Applies every migration newer than the database, each in its own transaction. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `The database was written by a newer Switchyard (schema ${current}, this one knows ${latest}); refusing to open it.`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
