// Workflow rows: every statement prepared once; snake_case stays here, camelCase leaves.
import type Database from 'better-sqlite3';
import type { Workflow } from '../../../shared/domain';
import type { Usage } from '../../../shared/events';
import type { Pipeline } from '../../../shared/pipeline';
import type { PendingPermission } from '../../../shared/permissions';
import { RUNNING_STATUSES, canTransition, type WorkflowStatus } from '../../../shared/status';

/** Where a workflow's pipeline stands; persisted so a restart can continue after the gate. */
export interface RunState {
  plan: string | null;
  planFile: string | null;
  feedback: string | null;
  /** Revisions asked for so far, per review stage name. */
  revisions: Record<string, number>;
  replans: number;
  /** Id of the approval_required event the gate is waiting on (the correlationId of the answer). */
  gateEventId: string | null;
  /** The CLI session each stage ran in, by stage name (for `continueFrom`). */
  sessions: Record<string, string>;
  /** Each session's totals as its CLI last reported them, by session id. */
  sessionUsage: Record<string, Usage>;
}

export const EMPTY_RUN_STATE: RunState = Object.freeze({
  plan: null,
  planFile: null,
  feedback: null,
  revisions: {},
  replans: 0,
  gateEventId: null,
  sessions: {},
  sessionUsage: {},
});

export interface WorkflowRecord {
  workflow: Workflow;
  stageIndex: number;
  runState: RunState;
  n: number;
}

interface Row {
  n: number;
  id: string;
  issue_id: string;
  title: string;
  description: string;
  worktree_path: string;
  worktree_name: string;
  pipeline_json: string;
  status: WorkflowStatus;
  current_stage: string | null;
  stage_index: number;
  run_state_json: string;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  failure_reason: string | null;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost_usd: number | null;
}

/**
 * Parsed pipelines by their JSON text. A workflow's pipeline is snapshotted at start and never
 * changes, yet every read of its row (approve reads it twice) parsed it again; the parsed value
 * is frozen because records share it.
 */
const parsedPipelines = new Map<string, Pipeline>();
const PIPELINE_CACHE_MAX = 512;

function pipelineOf(json: string): Pipeline {
  let pipeline = parsedPipelines.get(json);
  if (pipeline === undefined) {
    if (parsedPipelines.size >= PIPELINE_CACHE_MAX) parsedPipelines.clear();
    pipeline = deepFreeze(JSON.parse(json) as Pipeline);
    parsedPipelines.set(json, pipeline);
  }
  return pipeline;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A workflow's waiting tool requests (rule 11); only an in_progress workflow can have any. */
type PendingOf = (id: string, status: WorkflowStatus) => PendingPermission[];

function toRecord(row: Row, pendingOf: PendingOf): WorkflowRecord {
  return {
    n: row.n,
    stageIndex: row.stage_index,
    runState: { ...EMPTY_RUN_STATE, ...(JSON.parse(row.run_state_json) as Partial<RunState>) },
    workflow: {
      id: row.id,
      issueId: row.issue_id,
      title: row.title,
      description: row.description,
      worktreePath: row.worktree_path,
      worktreeName: row.worktree_name,
      pipeline: pipelineOf(row.pipeline_json),
      status: row.status,
      currentStage: row.current_stage,
      createdAt: row.created_at,
      startedAt: row.started_at,
      completedAt: row.completed_at,
      failureReason: row.failure_reason,
      usage: { inputTokens: row.input_tokens, outputTokens: row.output_tokens, cachedTokens: row.cached_tokens, costUsd: row.cost_usd },
      pendingPermissions: pendingOf(row.id, row.status),
    },
  };
}

/**
 * What a row can change after its insert. A transition returns only these: the rest (the pipeline
 * snapshot above all, the largest column) is fixed at start and taken from the caller's record.
 */
const MUTABLE_COLUMNS =
  'status, current_stage, stage_index, run_state_json, started_at, completed_at, failure_reason, input_tokens, output_tokens, cached_tokens, cost_usd';
type MutableRow = Pick<
  Row,
  | 'status'
  | 'current_stage'
  | 'stage_index'
  | 'run_state_json'
  | 'started_at'
  | 'completed_at'
  | 'failure_reason'
  | 'input_tokens'
  | 'output_tokens'
  | 'cached_tokens'
  | 'cost_usd'
>;

function withChanges(rec: WorkflowRecord, row: MutableRow): WorkflowRecord {
  return {
    n: rec.n,
    stageIndex: row.stage_index,
    runState: { ...EMPTY_RUN_STATE, ...(JSON.parse(row.run_state_json) as Partial<RunState>) },
    workflow: {
      ...rec.workflow,
      status: row.status,
      currentStage: row.current_stage,
      startedAt: row.started_at,
      completedAt: row.completed_at,
      failureReason: row.failure_reason,
      usage: { inputTokens: row.input_tokens, outputTokens: row.output_tokens, cachedTokens: row.cached_tokens, costUsd: row.cost_usd },
      // A transition always changes the status, and requests exist only while in_progress (made
      // there, denied in the commit that leaves it): a row that moved has none. No query on the
      // hot path of approve and the stage transitions.
      pendingPermissions: [],
    },
  };
}

export interface NewWorkflow {
  id: string;
  issueId: string;
  title: string;
  description: string;
  worktreePath: string;
  worktreeName: string;
  pipeline: Pipeline;
  status: 'queued' | 'pending';
  createdAt: string;
}

/** Fields a transition may set beside the status. */
export interface TransitionChanges {
  currentStage?: string | null;
  stageIndex?: number;
  runState?: RunState;
  startedAt?: string;
  completedAt?: string;
  failureReason?: string;
}

export interface ListQuery {
  status?: WorkflowStatus;
  worktreePath?: string;
  /** Only rows older than this (exclusive); the cursor of the previous page. */
  beforeN?: number;
  limit: number;
}

interface PendingRow {
  id: string;
  stage: string;
  tool: string;
  summary: string;
  input_json: string;
  created_at: string;
}

const RUNNING_LIST = RUNNING_STATUSES.map((s) => `'${s}'`).join(', ');

export class WorkflowStore {
  private readonly insertStmt: Database.Statement;
  private readonly getStmt: Database.Statement<[string], Row>;
  private readonly activeStmt: Database.Statement<[], Row>;
  private readonly byStatusStmt: Database.Statement<[string], Row>;
  private readonly runningCountStmt: Database.Statement<[], { c: number }>;
  private readonly oldestQueuedStmt: Database.Statement<[], Row>;
  private readonly transitionStmts = new Map<string, Database.Statement>();
  private readonly updateProgressStmt: Database.Statement;
  private readonly setUsageStmt: Database.Statement;
  private readonly listStmts = new Map<string, Database.Statement>();
  private readonly pendingStmt: Database.Statement<[string], PendingRow>;
  private readonly pendingOf: PendingOf;

  constructor(private readonly db: Database.Database) {
    this.pendingStmt = db.prepare(
      `SELECT id, stage, tool, summary, input_json, created_at FROM permission_requests WHERE workflow_id = ? AND status = 'pending' ORDER BY created_at, rowid`,
    );
    this.pendingOf = (id, status) =>
      status === 'in_progress'
        ? this.pendingStmt.all(id).map((r) => ({ requestId: r.id, stage: r.stage, tool: r.tool, summary: r.summary, input: JSON.parse(r.input_json) as unknown, requestedAt: r.created_at }))
        : [];
    this.insertStmt = db.prepare(`
      INSERT INTO workflows (id, issue_id, title, description, worktree_path, worktree_name, pipeline_json,
                             status, created_at)
      VALUES (@id, @issueId, @title, @description, @worktreePath, @worktreeName, @pipelineJson, @status, @createdAt)`);
    this.getStmt = db.prepare('SELECT * FROM workflows WHERE id = ?');
    this.activeStmt = db.prepare(
      `SELECT * FROM workflows WHERE status IN ('queued', ${RUNNING_LIST}) ORDER BY n`,
    );
    this.byStatusStmt = db.prepare('SELECT * FROM workflows WHERE status = ? ORDER BY n');
    this.runningCountStmt = db.prepare(`SELECT COUNT(*) AS c FROM workflows WHERE status IN (${RUNNING_LIST})`);
    this.oldestQueuedStmt = db.prepare(`SELECT * FROM workflows WHERE status = 'queued' ORDER BY n LIMIT 1`);
    this.updateProgressStmt = db.prepare(`
      UPDATE workflows SET current_stage = @currentStage, stage_index = @stageIndex, run_state_json = @runState
      WHERE id = @id AND status = @status`);
    this.setUsageStmt = db.prepare(`
      UPDATE workflows SET input_tokens = @input, output_tokens = @output, cached_tokens = @cached, cost_usd = @cost
      WHERE id = @id AND status IN (${RUNNING_LIST})`);
  }

  /** A workflow's usage totals; only while it is active (a late report never rewrites a finished one). */
  setUsage(id: string, u: Usage): WorkflowRecord | null {
    const changed = this.setUsageStmt.run({ id, input: u.inputTokens, output: u.outputTokens, cached: u.cachedTokens, cost: u.costUsd }).changes === 1;
    return changed ? this.get(id) : null;
  }

  insert(w: NewWorkflow): void {
    this.insertStmt.run({ ...w, pipelineJson: JSON.stringify(w.pipeline) });
  }

  get(id: string): WorkflowRecord | null {
    const row = this.getStmt.get(id);
    return row ? toRecord(row, this.pendingOf) : null;
  }

  /** Every workflow that holds a worktree (queued, pending, in_progress, blocked), oldest first. */
  active(): WorkflowRecord[] {
    return this.activeStmt.all().map((r) => toRecord(r, this.pendingOf));
  }

  withStatus(status: WorkflowStatus): WorkflowRecord[] {
    return this.byStatusStmt.all(status).map((r) => toRecord(r, this.pendingOf));
  }

  /** Workflows counting against the concurrency limit (rule 2). */
  runningCount(): number {
    return this.runningCountStmt.get()!.c;
  }

  oldestQueued(): WorkflowRecord | null {
    const row = this.oldestQueuedStmt.get();
    return row ? toRecord(row, this.pendingOf) : null;
  }

  /**
   * Rule 5: one atomic compare-and-set. The row moves from one of `from` to `to` in a single
   * UPDATE … WHERE status IN (…); the caller gets the new row, or null if it lost the race.
   * `from` must be allowed by the state machine: asking for anything else is a programming error.
   */
  transition(rec: WorkflowRecord, from: readonly WorkflowStatus[], to: WorkflowStatus, changes: TransitionChanges = {}): WorkflowRecord | null {
    const id = rec.workflow.id;
    const key = `${from.join(',')}>${to}`;
    let stmt = this.transitionStmts.get(key);
    if (!stmt) {
      const illegal = from.filter((f) => !canTransition(f, to));
      if (illegal.length || from.length === 0) throw new Error(`state machine forbids ${illegal.join(',') || '(none)'} -> ${to}`);
      stmt = this.db.prepare(`
        UPDATE workflows SET
          status         = ?,
          current_stage  = CASE WHEN ? THEN ? ELSE current_stage END,
          stage_index    = COALESCE(?, stage_index),
          run_state_json = COALESCE(?, run_state_json),
          started_at     = COALESCE(started_at, ?),
          completed_at   = COALESCE(?, completed_at),
          failure_reason = COALESCE(?, failure_reason)
        WHERE id = ? AND status IN (${from.map((s) => `'${s}'`).join(', ')})
        RETURNING ${MUTABLE_COLUMNS}`);
      this.transitionStmts.set(key, stmt);
    }
    // Positional parameters, in the order of the statement: binding by name costs a property
    // lookup per parameter on every transition.
    const row = stmt.get(
      to,
      changes.currentStage !== undefined ? 1 : 0,
      changes.currentStage ?? null,
      changes.stageIndex ?? null,
      changes.runState ? JSON.stringify(changes.runState) : null,
      changes.startedAt ?? null,
      changes.completedAt ?? null,
      changes.failureReason ?? null,
      id,
    ) as MutableRow | undefined;
    return row ? withChanges(rec, row) : null;
  }

  /** Records pipeline progress without a status change; only while the status is still `status`. */
  updateProgress(id: string, status: WorkflowStatus, currentStage: string | null, stageIndex: number, runState: RunState): boolean {
    return (
      this.updateProgressStmt.run({ id, status, currentStage, stageIndex, runState: JSON.stringify(runState) }).changes === 1
    );
  }

  list(q: ListQuery): WorkflowRecord[] {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: q.limit };
    if (q.status) {
      where.push('status = @status');
      args.status = q.status;
    }
    if (q.worktreePath) {
      where.push('worktree_path = @worktreePath');
      args.worktreePath = q.worktreePath;
    }
    if (q.beforeN !== undefined) {
      where.push('n < @beforeN');
      args.beforeN = q.beforeN;
    }
    const sql = `SELECT * FROM workflows ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY n DESC LIMIT @limit`;
    let stmt = this.listStmts.get(sql);
    if (!stmt) this.listStmts.set(sql, (stmt = this.db.prepare(sql)));
    return (stmt.all(args) as Row[]).map((r) => toRecord(r, this.pendingOf));
  }
}
