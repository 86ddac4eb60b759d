// The orchestrator: the domain rules of DESIGN.md §1 in one place. It owns the workflow
// lifecycle (start, queue, approve, reject, cancel, recovery) and walks each workflow's
// pipeline, handing command stages to a StageExecutor.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { Workflow } from '../../shared/domain';
import { formatCost } from '../../shared/format';
import { SwitchyardError, invalidInput, invalidState, notFound } from '../../shared/errors';
import type { EventDraft, WorkflowEvent } from '../../shared/events';
import type { PipelineInfo } from '../../shared/pipeline';
import { SettingsPatchSchema, type Settings, type SettingsPatch } from '../../shared/settings';
import { ACTIVE_STATUSES, isTerminal, type WorkflowStatus } from '../../shared/status';
import { Bus } from './bus';
import { EventLog, type Tx } from './eventLog';
import { MAX_REPLANS, addUsage, afterStage, budgetExceeded, budgetOf, replanTarget, sessionToResume, stageStartEvents, stepAt, type Step } from './pipelineWalker';
import { systemReaper } from './process/orphanReaper';
import type { PipelineSource, ProcessReaper, StageExecutor, StageOutcome } from './runner';
import { Checkpointer } from './store/checkpointer';
import { openDatabase, type Durability } from './store/database';
import { EventStore } from './store/eventStore';
import { ProcessStore } from './store/processStore';
import { SettingsStore } from './store/settingsStore';
import { EMPTY_RUN_STATE, WorkflowStore, type RunState, type TransitionChanges, type WorkflowRecord } from './store/workflowStore';

export const DB_FILE_NAME = 'switchyard.db';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface OrchestratorOptions {
  /** The data directory; the database is `<dataDir>/switchyard.db`. */
  dataDir: string;
  executor: StageExecutor;
  pipelines: PipelineSource;
  reaper?: ProcessReaper;
  now?: () => Date;
  durability?: Durability;
  /** WAL checkpoints from a worker thread (default: with `normal` durability only; see store/checkpointer.ts). */
  checkpointWorker?: boolean;
}

export interface StartRequest {
  worktreePath: string;
  issueId: string;
  title?: string;
  description?: string;
  pipeline?: string;
  queue?: boolean;
}

export interface ListRequest {
  status?: WorkflowStatus;
  worktreePath?: string;
  limit?: number;
  cursor?: string;
}

export interface RecoveryReport {
  interrupted: string[];
  reapedProcessGroups: number;
  prunedEvents: number;
}

interface RunHandle {
  workflowId: string;
  abort: AbortController;
  done: Promise<void>;
}

/** Rule 4: what the orchestrator knows, in memory, of each worktree that holds a workflow. */
interface ActiveEntry {
  workflowId: string;
  workflow: Workflow;
  run: RunHandle | null;
}

const DEFAULT_CANCEL_REASON = 'Cancelled by the user';
const SHUTDOWN_REASON = 'Switchyard shut down while the workflow was running';

export function normalizeWorktreePath(p: string): string {
  if (!isAbsolute(p)) throw invalidInput(`Worktree path must be absolute: ${p}`, { worktreePath: p });
  return resolve(p);
}

export class Orchestrator {
  readonly bus = new Bus();
  readonly recovery: RecoveryReport;
  private readonly db: Database.Database;
  private readonly checkpointer: Checkpointer | null;
  private readonly workflows: WorkflowStore;
  private readonly events: EventStore;
  private readonly processes: ProcessStore;
  private readonly settingsStore: SettingsStore;
  private readonly log: EventLog;
  private readonly now: () => Date;
  /** Rule 4: worktreePath -> { workflowId, workflow, run }. Never a scan of workflows. */
  private readonly byPath = new Map<string, ActiveEntry>();
  /** Worktrees whose cancelled run is still stopping its processes. */
  private readonly stopping = new Map<string, string>();
  /** Worktrees held by another operation (e.g. being removed): no workflow may start there. */
  private readonly reserved = new Map<string, string>();
  /**
   * The committed row of each workflow waiting at its gate, as the transition to `blocked`
   * returned it, so approve and reject need not read it again. Exact while blocked: only a
   * transition (which replaces or drops the entry) can change a blocked row. After a restart it
   * holds the rows read at start-up, so approving there does not read them again either.
   */
  private readonly atGate = new Map<string, WorkflowRecord>();
  /** Live runs by workflow id, including cancelled ones still stopping their processes. */
  private readonly runs = new Map<string, RunHandle>();
  private closing = false;
  private closed = false;

  static open(options: OrchestratorOptions): Orchestrator {
    return new Orchestrator(options);
  }

  private constructor(private readonly options: OrchestratorOptions) {
    this.now = options.now ?? (() => new Date());
    const file = join(options.dataDir, DB_FILE_NAME);
    this.db = openDatabase(file, { durability: options.durability });
    this.checkpointer =
      !(options.checkpointWorker ?? options.durability !== 'full')
        ? null
        : new Checkpointer(this.db, file, {
            durability: options.durability,
            onFailure: (e) => console.error('switchyard: checkpoints are back on the main thread:', e.message),
          });
    this.workflows = new WorkflowStore(this.db);
    this.events = new EventStore(this.db);
    this.processes = new ProcessStore(this.db);
    this.settingsStore = new SettingsStore(this.db);
    this.log = new EventLog(this.db, this.events, (workflowId, events) => this.bus.emit('events', { workflowId, events }), this.now, (rows) =>
      this.checkpointer?.committed(rows),
    );
    this.recovery = this.recover();
    this.log.prime(this.events.activeMaxSequences());
    for (const rec of this.workflows.active()) {
      this.byPath.set(rec.workflow.worktreePath, { workflowId: rec.workflow.id, workflow: rec.workflow, run: null });
      if (rec.workflow.status === 'blocked') this.atGate.set(rec.workflow.id, rec);
    }
    this.drainQueue();
  }

  // Queries ---------------------------------------------------------------------------------

  get(workflowId: string): Workflow {
    const rec = this.workflows.get(workflowId);
    if (!rec) throw notFound(`No workflow ${workflowId}`, { workflowId });
    return rec.workflow;
  }

  /** Rule 4: O(1), from memory. */
  byWorktree(worktreePath: string): Workflow | null {
    return this.byPath.get(normalizeWorktreePath(worktreePath))?.workflow ?? null;
  }

  /** The id of the worktree's active workflow, or null; O(1) (used for every row of a worktree list). */
  activeWorkflowId(worktreePath: string): string | null {
    return this.byPath.get(resolve(worktreePath))?.workflowId ?? null;
  }

  /**
   * Holds a worktree for an operation that must not overlap a workflow (removing it): refused
   * with WORKTREE_CONFLICT while a workflow is active there, and starts there are refused until
   * the returned release function is called. Check and hold are one synchronous step.
   */
  reserveWorktree(worktreePath: string, purpose: string): () => void {
    const path = normalizeWorktreePath(worktreePath);
    this.assertWorktreeFree(path);
    this.reserved.set(path, purpose);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reserved.delete(path);
    };
  }

  active(): Workflow[] {
    return [...this.byPath.values()].map((e) => e.workflow);
  }

  list(req: ListRequest = {}): { items: Workflow[]; nextCursor: string | null } {
    const limit = req.limit ?? 50;
    const beforeN = req.cursor === undefined ? undefined : decodeCursor(req.cursor);
    const rows = this.workflows.list({
      status: req.status,
      worktreePath: req.worktreePath === undefined ? undefined : normalizeWorktreePath(req.worktreePath),
      beforeN,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const more = rows.length > limit;
    return { items: page.map((r) => r.workflow), nextCursor: more ? encodeCursor(page[page.length - 1]!.n) : null };
  }

  /** Rule 3's reader: ascending; after `afterSequence`, or the page just before `beforeSequence`. */
  listEvents(req: { workflowId: string; afterSequence?: number; beforeSequence?: number; limit?: number }): WorkflowEvent[] {
    this.get(req.workflowId);
    const limit = Math.min(req.limit ?? 500, 5000);
    if (req.beforeSequence !== undefined) return this.events.listBefore(req.workflowId, req.beforeSequence, limit);
    return this.events.list(req.workflowId, req.afterSequence ?? 0, limit);
  }

  /** The last sequence committed for a workflow (0 if none). */
  lastSequence(workflowId: string): number {
    this.get(workflowId);
    return this.log.lastSequence(workflowId);
  }

  settings(): Settings {
    return this.settingsStore.get();
  }

  updateSettings(patch: SettingsPatch): Settings {
    const parsed = SettingsPatchSchema.safeParse(patch);
    if (!parsed.success) throw invalidInput(`Invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    const settings = this.settingsStore.set(parsed.data);
    if (parsed.data.maxConcurrent !== undefined) this.drainQueue();
    return settings;
  }

  listPipelines(worktreePath: string): Promise<PipelineInfo[]> {
    return this.options.pipelines.list(normalizeWorktreePath(worktreePath), this.settings());
  }

  /** Appends an event to a workflow; resolves once it is committed (rule 9). */
  emit(workflowId: string, draft: EventDraft): Promise<WorkflowEvent> {
    return this.log.emit(workflowId, draft);
  }

  // Commands --------------------------------------------------------------------------------

  async start(req: StartRequest): Promise<Workflow> {
    this.assertOpen();
    const worktreePath = normalizeWorktreePath(req.worktreePath);
    const issueId = req.issueId.trim();
    if (!issueId) throw invalidInput('issueId is required');
    this.assertWorktreeFree(worktreePath);
    const info = await stat(worktreePath).catch(() => null);
    if (!info?.isDirectory()) throw invalidInput(`Worktree ${worktreePath} does not exist or is not a directory`, { worktreePath });
    const settings = this.settings();
    const pipeline = await this.options.pipelines.resolve(worktreePath, req.pipeline ?? 'default', settings);
    this.assertOpen();

    // From here to the commit nothing awaits: the checks and the insert are one atomic step.
    const record = this.log.transaction((tx) => {
      this.assertWorktreeFree(worktreePath);
      const running = this.workflows.runningCount();
      const limit = this.settings().maxConcurrent;
      const atLimit = running >= limit;
      if (atLimit && !req.queue) {
        throw new SwitchyardError(
          'CONCURRENCY_LIMIT',
          `${running} of ${limit} workflows are already running; wait for one to finish, raise the limit, or queue this one`,
          { limit, current: running },
        );
      }
      const id = randomUUID();
      try {
        this.workflows.insert({
          id,
          issueId,
          title: req.title?.trim() ?? '',
          description: req.description ?? '',
          worktreePath,
          worktreeName: basename(worktreePath),
          pipeline,
          status: atLimit ? 'queued' : 'pending',
          createdAt: this.now().toISOString(),
        });
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new SwitchyardError('WORKTREE_CONFLICT', `Worktree ${worktreePath} already has an active workflow`, { worktreePath });
        }
        throw e;
      }
      const rec = this.workflows.get(id)!;
      tx.afterCommit(() => {
        this.log.prime([[id, 0]]); // a new workflow has no events yet
        this.changed(rec.workflow);
      });
      return rec;
    });
    if (record.workflow.status === 'pending') this.launch(record.workflow, { kind: 'start' });
    return record.workflow;
  }

  approve(workflowId: string): Workflow {
    const rec = this.atGate.get(workflowId) ?? this.require(workflowId);
    const gateEventId = rec.runState.gateEventId;
    const next = this.log.transaction((tx) =>
      this.transition(tx, rec, ['blocked'], 'in_progress', { runState: { ...rec.runState, gateEventId: null } }, [
        { agent: 'system', type: 'approval_granted', message: 'Plan approved', ...(gateEventId ? { correlationId: gateEventId } : {}) },
      ]),
    );
    if (!next) throw this.wrongState(workflowId, 'approve', 'blocked');
    this.launch(next.workflow, { kind: 'resume', index: next.stageIndex + 1 });
    return next.workflow;
  }

  reject(workflowId: string, feedback: string, replan = false): Workflow {
    const text = feedback.trim();
    if (!text) throw invalidInput('Feedback is required to reject a plan');
    const rec = this.atGate.get(workflowId) ?? this.require(workflowId);
    const gate = rec.runState.gateEventId;
    const rejected: EventDraft = {
      agent: 'system',
      type: 'approval_rejected',
      message: replan ? 'Plan rejected; replanning' : 'Plan rejected',
      data: { feedback: text, replan },
      ...(gate ? { correlationId: gate } : {}),
    };
    if (!replan) {
      const next = this.log.transaction((tx) =>
        this.transition(tx, rec, ['blocked'], 'failed', { completedAt: this.now().toISOString(), failureReason: text }, [
          rejected,
          { agent: 'system', type: 'workflow_failed', message: `Workflow failed: plan rejected: ${text}`, data: { reason: text } },
        ]),
      );
      if (!next) throw this.wrongState(workflowId, 'reject', 'blocked');
      return next.workflow;
    }
    if (rec.workflow.status === 'blocked' && rec.runState.replans >= MAX_REPLANS) {
      throw invalidState(`Workflow ${workflowId} was already replanned ${MAX_REPLANS} times; reject it without replanning or approve`, {
        workflowId,
        replans: rec.runState.replans,
      });
    }
    const target = replanTarget(rec.workflow.pipeline, rec.stageIndex);
    const runState: RunState = { ...rec.runState, feedback: text, replans: rec.runState.replans + 1, gateEventId: null };
    const next = this.log.transaction((tx) =>
      this.transition(tx, rec, ['blocked'], 'in_progress', { runState, stageIndex: target }, [
        rejected,
        {
          agent: 'system',
          type: 'revision_requested',
          message: `Replanning (${runState.replans} of ${MAX_REPLANS}) with the reviewer's feedback`,
          data: { feedback: text, target: rec.workflow.pipeline.stages[target]?.name ?? null },
        },
      ]),
    );
    if (!next) throw this.wrongState(workflowId, 'reject', 'blocked');
    this.launch(next.workflow, { kind: 'resume', index: target });
    return next.workflow;
  }

  /**
   * Rule 7. The transition is committed first (so a push reaches every client at once); the
   * promise resolves once the workflow's processes are gone.
   */
  async cancel(workflowId: string, reason?: string): Promise<Workflow> {
    const next = this.cancelNow(workflowId, reason?.trim() || DEFAULT_CANCEL_REASON);
    await this.stopRun(next.workflow);
    return next.workflow;
  }

  async cancelAll(reason?: string): Promise<{ cancelled: string[] }> {
    const why = reason?.trim() || DEFAULT_CANCEL_REASON;
    // Queued ones first, so that freeing a slot never starts a workflow we are about to cancel.
    const entries = [...this.byPath.values()].sort((a, b) => Number(b.workflow.status === 'queued') - Number(a.workflow.status === 'queued'));
    const cancelled: Workflow[] = [];
    for (const e of entries) {
      try {
        cancelled.push(this.cancelNow(e.workflowId, why).workflow);
      } catch (err) {
        // It ended on its own in the meantime: nothing to cancel.
        if (!(err instanceof SwitchyardError && err.code === 'INVALID_STATE')) throw err;
      }
    }
    await Promise.all(cancelled.map((w) => this.stopRun(w)));
    return { cancelled: cancelled.map((w) => w.id) };
  }

  /**
   * Stops the orchestrator. With `cancelRunning` (the default), pending and running workflows
   * are cancelled cleanly; blocked and queued ones stay as they are and resume at the next
   * start. Without it, runs are stopped without any transition, as a crash would leave them.
   */
  async close(options: { cancelRunning?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    if (options.cancelRunning ?? true) {
      for (const e of [...this.byPath.values()]) {
        if (e.workflow.status === 'pending' || e.workflow.status === 'in_progress') {
          try {
            this.cancelNow(e.workflowId, SHUTDOWN_REASON);
          } catch {
            // ended in the meantime
          }
        }
      }
    }
    for (const run of this.runs.values()) run.abort.abort();
    await Promise.allSettled([...this.runs.values()].map((r) => r.done));
    this.log.close();
    this.closed = true;
    // The worker's connection first, so that closing the last one removes the WAL.
    await this.checkpointer?.close();
    this.db.close();
  }

  /** Resolves true once WAL checkpoints run in the worker thread, false if SQLite does them inline. */
  checkpointsInWorker(): Promise<boolean> {
    return this.checkpointer?.ready ?? Promise.resolve(false);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs a statement against the database (benchmarks and diagnostics only). */
  get database(): Database.Database {
    return this.db;
  }

  // Internals -------------------------------------------------------------------------------

  private cancelNow(workflowId: string, reason: string): WorkflowRecord {
    const rec = this.require(workflowId);
    const next = this.log.transaction((tx) =>
      this.transition(tx, rec, ACTIVE_STATUSES, 'cancelled', { completedAt: this.now().toISOString() }, [
        { agent: 'system', type: 'workflow_cancelled', message: `Workflow cancelled: ${reason}`, data: { reason } },
      ]),
    );
    if (!next) throw this.wrongState(workflowId, 'cancel', 'active');
    return next;
  }

  private async stopRun(workflow: Workflow): Promise<void> {
    const run = this.runs.get(workflow.id);
    if (!run) return;
    run.abort.abort();
    await run.done;
  }

  /**
   * One transition: compare-and-set plus its events in one transaction; the in-memory map and
   * the bus learn of it after the commit. Returns null when another operation won the race.
   */
  private transition(
    tx: Tx,
    rec: WorkflowRecord,
    from: readonly WorkflowStatus[],
    to: WorkflowStatus,
    changes: TransitionChanges,
    events: EventDraft[],
  ): WorkflowRecord | null {
    const next = this.workflows.transition(rec, from, to, changes);
    if (!next) return null;
    for (const e of events) tx.append(rec.workflow.id, e);
    tx.afterCommit(() => {
      if (next.workflow.status === 'blocked') this.atGate.set(next.workflow.id, next);
      else this.atGate.delete(next.workflow.id);
      this.changed(next.workflow);
    });
    return next;
  }

  /** After a commit: update the map, tell the subscribers, and start queued work if a slot freed. */
  private changed(workflow: Workflow): void {
    const entry = this.byPath.get(workflow.worktreePath);
    if (isTerminal(workflow.status)) {
      if (entry?.workflowId === workflow.id) {
        this.byPath.delete(workflow.worktreePath);
        if (this.runs.has(workflow.id)) this.stopping.set(workflow.worktreePath, workflow.id);
      }
    } else if (entry?.workflowId === workflow.id) {
      entry.workflow = workflow;
    } else if (!entry) {
      this.byPath.set(workflow.worktreePath, { workflowId: workflow.id, workflow, run: null });
    }
    this.bus.emit('workflow', workflow);
    if (isTerminal(workflow.status)) this.drainQueue();
  }

  /** Rule 2: start queued workflows, first in first out, while slots are free. */
  private drainQueue(): void {
    if (this.closing) return;
    for (;;) {
      if (this.workflows.runningCount() >= this.settings().maxConcurrent) return;
      const next = this.workflows.oldestQueued();
      if (!next) return;
      const moved = this.log.transaction((tx) => this.transition(tx, next, ['queued'], 'pending', {}, []));
      if (moved) this.launch(moved.workflow, { kind: 'start' });
    }
  }

  private launch(workflow: Workflow, from: { kind: 'start' } | { kind: 'resume'; index: number }): void {
    const workflowId = workflow.id;
    const abort = new AbortController();
    const handle: RunHandle = { workflowId, abort, done: Promise.resolve() };
    this.runs.set(workflowId, handle);
    const entry = this.byPath.get(workflow.worktreePath);
    if (entry?.workflowId === workflowId) entry.run = handle;
    handle.done = this.drive(workflowId, from, abort.signal)
      .catch((e: unknown) => this.crashed(workflowId, e))
      .finally(() => {
        if (this.runs.get(workflowId) === handle) this.runs.delete(workflowId);
        const current = this.byPath.get(workflow.worktreePath);
        if (current?.run === handle) current.run = null;
        if (this.stopping.get(workflow.worktreePath) === workflowId) this.stopping.delete(workflow.worktreePath);
      });
  }

  /** Walks the pipeline from `from` until a gate, the end, a failure, or an abort. */
  private async drive(workflowId: string, from: { kind: 'start' } | { kind: 'resume'; index: number }, signal: AbortSignal): Promise<void> {
    await new Promise<void>((r) => setImmediate(r)); // let the caller's answer go out first
    let rec = this.workflows.get(workflowId);
    if (!rec || signal.aborted || this.closing) return;
    if (from.kind === 'start') {
      const current = rec;
      rec = this.log.transaction((tx) =>
        this.transition(tx, current, ['pending'], 'in_progress', { startedAt: this.now().toISOString(), runState: { ...EMPTY_RUN_STATE } }, [
          {
            agent: 'system',
            type: 'workflow_started',
            message: `Workflow started for ${current.workflow.issueId} with pipeline ${current.workflow.pipeline.name}`,
            data: { issueId: current.workflow.issueId, pipeline: current.workflow.pipeline.name },
          },
        ]),
      );
      if (!rec) return;
    }
    const pipeline = rec.workflow.pipeline;
    let state = rec.runState;
    let step: Step = stepAt(pipeline, from.kind === 'start' ? 0 : from.index);

    for (;;) {
      if (signal.aborted || this.closing) return;
      const current = this.workflows.get(workflowId);
      if (!current || current.workflow.status !== 'in_progress') return;

      if (step.kind === 'complete') {
        this.log.transaction((tx) =>
          this.transition(tx, current, ['in_progress'], 'completed', { completedAt: this.now().toISOString(), currentStage: null, runState: state }, [
            { agent: 'system', type: 'workflow_completed', message: 'Workflow completed' },
          ]),
        );
        return;
      }
      if (step.kind === 'fail') {
        this.fail(current, step.reason, state);
        return;
      }
      if (step.kind === 'gate') {
        const gate = step;
        this.log.transaction((tx) => {
          const event = tx.append(workflowId, {
            agent: 'system',
            type: 'approval_required',
            message: `Approval required at ${gate.name}`,
            data: { plan: state.plan, planFile: state.planFile, stage: gate.name },
          });
          const next = this.transition(tx, current, ['in_progress'], 'blocked', {
            currentStage: gate.name,
            stageIndex: gate.index,
            runState: { ...state, gateEventId: event.id },
          }, []);
          if (!next) throw new LostRace();
        });
        return;
      }

      // A command stage: not started at all once the workflow is past its budget.
      const { stage, index } = step;
      const budget = budgetOf(pipeline, this.settings().workflowBudgetUsd);
      const before = current.workflow.usage;
      const overBefore = budgetExceeded(before.costUsd, budget);
      if (overBefore) {
        this.fail(current, overBefore, state);
        return;
      }
      const started = this.log.transaction((tx) => {
        if (!this.workflows.updateProgress(workflowId, 'in_progress', stage.name, index, state)) return null;
        for (const e of stageStartEvents(stage)) tx.append(workflowId, e);
        const updated = this.workflows.get(workflowId)!;
        tx.afterCommit(() => this.changed(updated.workflow));
        return updated;
      });
      if (!started) return;
      // The stage stops on a cancel of the run, or on its own when the workflow passes its budget.
      const stageAbort = new AbortController();
      const abortStage = () => stageAbort.abort();
      signal.addEventListener('abort', abortStage, { once: true });
      let overBudget: string | null = null;
      let warnedNoCost = false;
      const resumeId = sessionToResume(stage, state);
      let outcome: StageOutcome;
      try {
        outcome = await this.options.executor.run({
          workflow: started.workflow,
          stage,
          stageIndex: index,
          vars: { plan: state.plan, planFile: state.planFile, feedback: state.feedback },
          settings: this.settings(),
          signal: stageAbort.signal,
          resumeSession: resumeId,
          resumeUsage: resumeId ? (state.sessionUsage?.[resumeId] ?? null) : null,
          budgetRemainingUsd: budget === null ? null : budget - (before.costUsd ?? 0),
          usage: (totals) => {
            if (signal.aborted || overBudget) return;
            const total = addUsage(before, totals);
            this.log.transaction((tx) => {
              const rec = this.workflows.setUsage(workflowId, total);
              if (rec) tx.afterCommit(() => this.changed(rec.workflow));
            });
            overBudget = budgetExceeded(total.costUsd, budget);
            if (overBudget) abortStage();
            if (budget !== null && totals.costUsd === null && !warnedNoCost) {
              warnedNoCost = true;
              void this.log
                .emit(workflowId, {
                  agent: 'system',
                  type: 'system_warning',
                  message: `The budget of ${formatCost(budget)} cannot be enforced during stage ${stage.name}: its CLI reports tokens but no cost`,
                  data: { stage: stage.name, reason: 'budget_unenforceable', budgetUsd: budget },
                })
                .catch(() => undefined);
            }
          },
          emit: (draft) => this.log.emit(workflowId, draft),
          processStarted: (pgid) => this.processes.add({ workflowId, pgid, stage: stage.name, startedAt: this.now().toISOString() }),
          processExited: (pgid) => this.processes.remove(workflowId, pgid),
        });
      } catch (e) {
        if (signal.aborted) return;
        outcome = { kind: 'failed', reason: `Stage ${stage.name} could not run: ${errorText(e)}` };
        await this.log.emit(workflowId, { agent: 'system', type: 'system_error', message: outcome.reason, data: { stage: stage.name } });
      } finally {
        signal.removeEventListener('abort', abortStage);
      }
      if (signal.aborted || this.closing) return;
      // Stopped like a cancel (its processes are gone); the workflow fails with the figures.
      if (overBudget) outcome = { kind: 'failed', reason: `${overBudget} (stage ${stage.name} was stopped)` };
      const decision = afterStage(pipeline, index, state, outcome);
      const ok = this.log.transaction((tx) => {
        if (!this.workflows.updateProgress(workflowId, 'in_progress', stage.name, index, decision.state)) return false;
        for (const e of decision.events) tx.append(workflowId, e);
        return true;
      });
      if (!ok) return;
      state = decision.state;
      step = decision.step;
    }
  }

  private fail(rec: WorkflowRecord, reason: string, state: RunState = rec.runState): void {
    this.log.transaction((tx) =>
      this.transition(tx, rec, ['in_progress'], 'failed', { completedAt: this.now().toISOString(), failureReason: reason, runState: state }, [
        { agent: 'system', type: 'workflow_failed', message: `Workflow failed: ${reason}`, data: { reason } },
      ]),
    );
  }

  /** A bug or an I/O fault in the run itself: the workflow fails with a system_error, the app lives on. */
  private crashed(workflowId: string, e: unknown): void {
    if (e instanceof LostRace || this.closed) return;
    try {
      const rec = this.workflows.get(workflowId);
      if (!rec || rec.workflow.status !== 'in_progress') return;
      const reason = `internal error: ${errorText(e)}`;
      this.log.transaction((tx) => {
        tx.append(workflowId, { agent: 'system', type: 'system_error', message: reason });
        this.transition(tx, rec, ['in_progress'], 'failed', { completedAt: this.now().toISOString(), failureReason: reason }, [
          { agent: 'system', type: 'workflow_failed', message: `Workflow failed: ${reason}`, data: { reason } },
        ]);
      });
    } catch (inner) {
      console.error('switchyard: could not record a crashed run', inner);
    }
  }

  /** Rule 8 and rule 10, at start-up. */
  private recover(): RecoveryReport {
    const records = this.processes.all();
    const reaper = this.options.reaper ?? systemReaper;
    for (const p of records) reaper.reap(p.pgid, p.workflowId);
    this.processes.clear();

    const interrupted: string[] = [];
    for (const status of ['pending', 'in_progress'] as const) {
      for (const rec of this.workflows.withStatus(status)) {
        const reason = `interrupted: the application stopped during stage ${rec.workflow.currentStage ?? '(not started)'}`;
        this.log.transaction((tx) => {
          // pending may not go to failed directly; pending -> in_progress -> failed is a path the
          // state machine allows, taken in one transaction.
          let current: WorkflowRecord | null = rec;
          if (status === 'pending') current = this.workflows.transition(rec, ['pending'], 'in_progress', {});
          if (!current) return;
          this.transition(tx, current, ['in_progress'], 'failed', { completedAt: this.now().toISOString(), failureReason: reason }, [
            { agent: 'system', type: 'workflow_failed', message: `Workflow failed: ${reason}`, data: { reason } },
          ]);
        });
        interrupted.push(rec.workflow.id);
      }
    }
    const cutoff = new Date(this.now().getTime() - this.settings().retentionDays * DAY_MS).toISOString();
    const prunedEvents = this.events.pruneEndedBefore(cutoff);
    return { interrupted, reapedProcessGroups: records.length, prunedEvents };
  }

  private require(workflowId: string): WorkflowRecord {
    const rec = this.workflows.get(workflowId);
    if (!rec) throw notFound(`No workflow ${workflowId}`, { workflowId });
    return rec;
  }

  private wrongState(workflowId: string, action: string, expected: string): SwitchyardError {
    const status = this.workflows.get(workflowId)?.workflow.status ?? 'missing';
    return invalidState(`Cannot ${action} workflow ${workflowId}: it is ${status}, not ${expected}`, { workflowId, status });
  }

  private assertWorktreeFree(worktreePath: string): void {
    const entry = this.byPath.get(worktreePath);
    if (entry) {
      throw new SwitchyardError(
        'WORKTREE_CONFLICT',
        `Worktree ${worktreePath} has an active workflow ${entry.workflowId} (${entry.workflow.status})`,
        { worktreePath, workflowId: entry.workflowId, status: entry.workflow.status },
      );
    }
    const purpose = this.reserved.get(worktreePath);
    if (purpose) {
      throw new SwitchyardError('WORKTREE_CONFLICT', `Worktree ${worktreePath} is ${purpose}; no workflow can start there now`, {
        worktreePath,
        reservedFor: purpose,
      });
    }
    const dying = this.stopping.get(worktreePath);
    if (dying) {
      throw new SwitchyardError(
        'WORKTREE_CONFLICT',
        `Worktree ${worktreePath}: the processes of cancelled workflow ${dying} are still stopping; try again in a few seconds`,
        { worktreePath, workflowId: dying, status: 'cancelled' },
      );
    }
  }

  private assertOpen(): void {
    if (this.closing) throw invalidState('Switchyard is shutting down');
  }
}

class LostRace extends Error {}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function encodeCursor(n: number): string {
  return Buffer.from(`n:${n}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const m = /^n:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw invalidInput('Invalid cursor: pass back the nextCursor of a previous page', { cursor });
  return Number(m[1]);
}
