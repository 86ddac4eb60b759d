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
  {
    // Ship's (rule 12); 3 is the approvals branch's.
    version: 4,
    name: "workflows' links to their GitHub issue, pushed commit and pull request",
    up(db) {
      db.exec(`
        CREATE TABLE github_links (
          workflow_id   TEXT PRIMARY KEY REFERENCES workflows(id) ON DELETE CASCADE,
          worktree_path TEXT NOT NULL,
          branch        TEXT NOT NULL,
          issue_number  INTEGER,
          issue_title   TEXT,
          issue_url     TEXT,
          commit_sha    TEXT,
          pushed        INTEGER NOT NULL DEFAULT 0,
          pr_number     INTEGER,
          pr_url        TEXT,
          created_at    TEXT NOT NULL
        );
        CREATE INDEX github_links_by_worktree ON github_links(worktree_path, created_at);
      `);
    },
  },
  {
    version: 5,
    name: "worktrees' port ranges, setup runs and run commands with their own event logs",
    up(db) {
      db.exec(`
        -- Rule 13: each worktree's 10 ports; UNIQUE(port_base) is the backstop that no two share one.
        CREATE TABLE worktree_ports (
          worktree_path TEXT PRIMARY KEY,
          port_base     INTEGER NOT NULL UNIQUE,
          assigned_at   TEXT NOT NULL,
          -- The commit it was created at: a branch still there has done nothing, it is not "merged".
          created_head  TEXT
        );
        -- A setup run or a run command's session (docs/worktrees.md): not a workflow, so it has
        -- its own log; pgid while its process group lives, so a restart can reap it (rule 8).
        CREATE TABLE worktree_runs (
          id             TEXT PRIMARY KEY,
          worktree_path  TEXT NOT NULL,
          kind           TEXT NOT NULL CHECK (kind IN ('setup', 'run')),
          status         TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'stopped')),
          failed_step    TEXT,
          failure_reason TEXT,
          pgid           INTEGER,
          started_at     TEXT NOT NULL,
          ended_at       TEXT
        );
        CREATE INDEX worktree_runs_latest ON worktree_runs(worktree_path, kind, started_at);
        CREATE TABLE worktree_run_events (
          workflow_id    TEXT NOT NULL REFERENCES worktree_runs(id) ON DELETE CASCADE,
          sequence       INTEGER NOT NULL,
          id             TEXT NOT NULL,
          timestamp      TEXT NOT NULL,
          agent          TEXT NOT NULL,
          type           TEXT NOT NULL,
          message        TEXT NOT NULL,
          data_json      TEXT,
          correlation_id TEXT,
          UNIQUE (workflow_id, sequence)
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
