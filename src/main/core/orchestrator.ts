// The orchestrator: the workflow lifecycle of docs/design.md §1 (start, queue, approve, reject,
// cancel, recovery, the worktree map) and the walk of each workflow's pipeline, handing command
// stages to a StageExecutor. Every write that moves a workflow is a named operation of
// transitions.ts; budgets are budget.ts's; the database and its stores come from store/storage.ts.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { Workflow, WorktreeRun } from '../../shared/domain';
import { SwitchyardError, invalidInput, invalidState, notFound } from '../../shared/errors';
import type { EventDraft, WorkflowEvent } from '../../shared/events';
import type { CommandStage, PipelineInfo } from '../../shared/pipeline';
import { SettingsPatchSchema, type Settings, type SettingsPatch } from '../../shared/settings';
import { isTerminal, type WorkflowStatus } from '../../shared/status';
import { StageBudget, budgetOf } from './budget';
import { KnownPipelineDefSchema } from './agents/registry';
import { Bus } from './bus';
import { resolveRepositoryRoot } from './git/resolveRepo';
import { PermissionBroker } from './permissions/broker';
import { RepoStore } from './store/repoStore';
import { EventLog } from './eventLog';
import { MAX_REPLANS, afterStage, replanTarget, sessionToResume, stepAt, type Step } from './pipelineWalker';
import { systemReaper } from './process/orphanReaper';
import type { PipelineSource, ProcessReaper, StageExecutor, StageOutcome } from './runner';
import type { EventStore } from './store/eventStore';
import type { ProcessStore } from './store/processStore';
import { openStorage, type Storage, type StorageOptions } from './store/storage';
import type { RunState, WorkflowRecord, WorkflowStore } from './store/workflowStore';
import { Transitions } from './transitions';
import type { SetupGate } from './worktree/worktreeRuns';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface OrchestratorOptions {
  /** The database and its stores; the orchestrator is their last writer, so its close() closes them. */
  storage: Storage;
  executor: StageExecutor;
  pipelines: PipelineSource;
  reaper?: ProcessReaper;
  now?: () => Date;
  /** Rule 13: is the worktree's setup running (starts queue behind it) or failed (starts are refused)? */
  setupGate?(worktreePath: string): SetupGate;
  /** Rule 13: the worktree's port range, for SWITCHYARD_PORT_BASE (null: none). */
  portBase?(worktreePath: string): number | null;
}

/** Orchestrator.open's: the storage is opened from these. */
export type OpenOrchestratorOptions = Omit<OrchestratorOptions, 'storage'> &
  StorageOptions & {
    /** The data directory; the database is `<dataDir>/switchyard.db`. */
    dataDir: string;
  };

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
  private readonly storage: Storage;
  private readonly workflows: WorkflowStore;
  private readonly events: EventStore;
  private readonly processes: ProcessStore;
  private readonly log: EventLog;
  private readonly transitions: Transitions;
  /** Rule 11: tool requests of running stages. */
  private readonly permissions: PermissionBroker;
  private readonly now: () => Date;
  /** Rule 4: worktreePath -> { workflowId, workflow, run }. Never a scan of workflows. */
  private readonly byPath = new Map<string, ActiveEntry>();
  /** Worktrees whose cancelled run is still stopping its processes. */
  private readonly stopping = new Map<string, string>();
  /** Worktrees held by another operation (e.g. being removed): no workflow may start there. */
  private readonly reserved = new Map<string, string>();
  /** Live runs by workflow id, including cancelled ones still stopping their processes. */
  private readonly runs = new Map<string, RunHandle>();
  private closing = false;
  private closed = false;

  /** Opens the storage in `dataDir` and an orchestrator on it (tests, benchmarks, fixtures). */
  static open({ dataDir, durability, checkpointWorker, ...options }: OpenOrchestratorOptions): Orchestrator {
    const storage = openStorage(dataDir, { durability, checkpointWorker });
    try {
      return new Orchestrator({ ...options, storage });
    } catch (e) {
      void storage.close();
      throw e;
    }
  }

  constructor(private readonly options: OrchestratorOptions) {
    this.now = options.now ?? (() => new Date());
    this.storage = options.storage;
    this.workflows = this.storage.workflows;
    this.events = this.storage.events;
    this.processes = this.storage.processes;
    this.log = new EventLog(this.storage.db, this.events, (workflowId, events) => this.bus.emit('events', { workflowId, events }), this.now, (rows) =>
      this.storage.committed(rows),
    );
    const repos = new RepoStore(this.storage.db);
    this.permissions = new PermissionBroker({
      store: this.storage.permissions,
      transitions: () => this.transitions,
      emit: (workflowId, draft) => this.log.emit(workflowId, draft),
      now: this.now,
      timeoutSeconds: () => this.settings().permissionTimeoutSeconds,
      repoPath: (repoId) => {
        const repo = repos.get(repoId);
        if (!repo) throw notFound(`No repository ${repoId}`, { repoId });
        return repo.path;
      },
    });
    this.transitions = new Transitions(this.log, this.workflows, this.now, (workflow) => this.changed(workflow), {
      store: this.storage.permissions,
      decided: (outcomes) => this.permissions.decided(outcomes),
    });
    this.recovery = this.recover();
    this.log.prime(this.events.activeMaxSequences());
    for (const rec of this.workflows.active()) {
      this.byPath.set(rec.workflow.worktreePath, { workflowId: rec.workflow.id, workflow: rec.workflow, run: null });
      this.transitions.restoreGate(rec);
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

  /** What holds the worktree (e.g. "being removed"), or null; rule 13's run command and setup ask too. */
  reservation(worktreePath: string): string | null {
    return this.reserved.get(normalizeWorktreePath(worktreePath)) ?? null;
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
    return this.storage.settings.get();
  }

  updateSettings(patch: SettingsPatch): Settings {
    const parsed = SettingsPatchSchema.safeParse(patch);
    if (!parsed.success) throw invalidInput(`Invalid settings: ${issueText(parsed.error.issues)}`);
    // The contract accepts any well-formed output name; only core knows which CLIs exist, so an
    // unknown one is refused here, before it is stored and breaks every worktree's pipeline list.
    for (const [name, def] of Object.entries(parsed.data.pipelinePresets ?? {})) {
      const known = KnownPipelineDefSchema.safeParse(def);
      if (!known.success) throw invalidInput(`Invalid settings: pipelinePresets.${name}: ${issueText(known.error.issues)}`, { preset: name });
    }
    const settings = this.storage.settings.set(parsed.data);
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
    this.assertSetupNotFailed(worktreePath);
    const info = await stat(worktreePath).catch(() => null);
    if (!info?.isDirectory()) throw invalidInput(`Worktree ${worktreePath} does not exist or is not a directory`, { worktreePath });
    const settings = this.settings();
    const pipeline = await this.options.pipelines.resolve(worktreePath, req.pipeline ?? 'default', settings);
    this.assertOpen();

    // From here to the commit nothing awaits: the checks and the insert are one atomic step.
    const row = {
      id: randomUUID(),
      issueId,
      title: req.title?.trim() ?? '',
      description: req.description ?? '',
      worktreePath,
      worktreeName: basename(worktreePath),
      pipeline,
      createdAt: this.now().toISOString(),
    };
    const record = this.transitions.create(row, () => {
      this.assertWorktreeFree(worktreePath);
      // Rule 13: behind a running setup a workflow waits in the queue, whatever `queue` says.
      const setup = this.options.setupGate?.(worktreePath);
      if (setup?.kind === 'failed') this.assertSetupNotFailed(worktreePath);
      if (setup?.kind === 'running') return 'queued';
      const running = this.workflows.runningCount();
      const limit = this.settings().maxConcurrent;
      if (running < limit) return 'pending';
      if (req.queue) return 'queued';
      throw new SwitchyardError(
        'CONCURRENCY_LIMIT',
        `${running} of ${limit} workflows are already running; wait for one to finish, raise the limit, or queue this one`,
        { limit, current: running },
      );
    });
    if (record.workflow.status === 'pending') this.launch(record.workflow, { kind: 'start' });
    return record.workflow;
  }

  approve(workflowId: string): Workflow {
    const rec = this.transitions.atGate(workflowId) ?? this.require(workflowId);
    const next = this.transitions.approve(rec);
    if (!next) throw this.wrongState(workflowId, 'approve', 'blocked');
    this.launch(next.workflow, { kind: 'resume', index: next.stageIndex + 1 });
    return next.workflow;
  }

  reject(workflowId: string, feedback: string, replan = false): Workflow {
    const text = feedback.trim();
    if (!text) throw invalidInput('Feedback is required to reject a plan');
    const rec = this.transitions.atGate(workflowId) ?? this.require(workflowId);
    if (!replan) {
      const next = this.transitions.reject(rec, text);
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
    const next = this.transitions.replan(rec, text, target);
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
    this.permissions.shutdown();
    this.log.close();
    this.closed = true;
    await this.storage.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // Tool approvals (rule 11) ------------------------------------------------------------

  /** Allows or denies a waiting tool request; exactly one decision wins (INVALID_STATE for the rest). */
  decidePermission(req: { workflowId: string; requestId: string; decision: 'allow' | 'deny'; remember?: 'repository'; message?: string }): Workflow {
    this.require(req.workflowId);
    this.permissions.decide(req.workflowId, req.requestId, req.decision, { remember: req.remember, message: req.message });
    return this.get(req.workflowId);
  }

  permissionRules(repoId: string) {
    return this.permissions.rules(repoId);
  }

  forgetPermissionRule(repoId: string, rule: string) {
    return this.permissions.forget(repoId, rule);
  }

  // Internals -------------------------------------------------------------------------------

  private cancelNow(workflowId: string, reason: string): WorkflowRecord {
    const next = this.transitions.cancel(this.require(workflowId), reason);
    if (!next) throw this.wrongState(workflowId, 'cancel', 'active');
    return next;
  }

  private async stopRun(workflow: Workflow): Promise<void> {
    const run = this.runs.get(workflow.id);
    if (!run) return;
    run.abort.abort();
    await run.done;
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
      const next = this.nextStartable();
      if (!next) return;
      const moved = this.transitions.dequeue(next);
      if (moved) this.launch(moved.workflow, { kind: 'start' });
    }
  }

  /**
   * The oldest queued workflow whose worktree is ready (rule 13): those behind a running setup
   * wait; those behind a failed one (also one cut short by a crash) are cancelled with the reason.
   */
  private nextStartable(): WorkflowRecord | null {
    const gate = this.options.setupGate;
    const oldest = this.workflows.oldestQueued();
    if (!gate || !oldest || gate(oldest.workflow.worktreePath).kind === 'ready') return oldest;
    for (const rec of this.workflows.withStatus('queued')) {
      const g = gate(rec.workflow.worktreePath);
      if (g.kind === 'ready') return rec;
      if (g.kind === 'failed') {
        this.transitions.cancel(rec, `The worktree's setup ${setupFailure(g.setup)}`); // a compare-and-set: null if it moved meanwhile
      }
    }
    return null;
  }

  private assertSetupNotFailed(worktreePath: string): void {
    const setup = this.options.setupGate?.(worktreePath);
    if (setup?.kind !== 'failed') return;
    const s = setup.setup;
    throw invalidState(
      `The setup of ${worktreePath} ${setupFailure(s)}. Fix it and re-run the setup before starting a workflow there.`,
      { worktreePath, setupId: s.id, failedStep: s.failedStep, reason: s.failureReason },
    );
  }

  /** Rule 13: a worktree's setup ended; workflows queued behind it start, or are cancelled if it failed. */
  setupEnded(): void {
    this.drainQueue();
  }

  private launch(workflow: Workflow, from: { kind: 'start' } | { kind: 'resume'; index: number }): void {
    const workflowId = workflow.id;
    const abort = new AbortController();
    const handle: RunHandle = { workflowId, abort, done: Promise.resolve() };
    this.runs.set(workflowId, handle);
    const entry = this.byPath.get(workflow.worktreePath);
    if (entry?.workflowId === workflowId) entry.run = handle;
    handle.done = this.drive(workflowId, from, abort)
      .catch((e: unknown) => this.crashed(workflowId, e))
      .finally(() => {
        if (this.runs.get(workflowId) === handle) this.runs.delete(workflowId);
        const current = this.byPath.get(workflow.worktreePath);
        if (current?.run === handle) current.run = null;
        if (this.stopping.get(workflow.worktreePath) === workflowId) this.stopping.delete(workflow.worktreePath);
      });
  }

  /** Walks the pipeline from `from` until a gate, the end, a failure, or an abort. */
  private async drive(workflowId: string, from: { kind: 'start' } | { kind: 'resume'; index: number }, abort: AbortController): Promise<void> {
    await new Promise<void>((r) => setImmediate(r)); // let the caller's answer go out first
    // Read only now: Node makes the signal (an EventTarget) on first access, which would otherwise
    // be paid before the answer (P3). An abort() meanwhile makes it already aborted.
    const signal = abort.signal;
    let rec = this.workflows.get(workflowId);
    if (!rec || signal.aborted || this.closing) return;
    if (from.kind === 'start' && !(rec = this.transitions.begin(rec))) return;
    const pipeline = rec.workflow.pipeline;
    let state = rec.runState;
    let step: Step = stepAt(pipeline, from.kind === 'start' ? 0 : from.index);

    for (;;) {
      if (signal.aborted || this.closing) return;
      const current = this.workflows.get(workflowId);
      if (!current || current.workflow.status !== 'in_progress') return;
      if (step.kind !== 'run') {
        if (step.kind === 'complete') this.transitions.complete(current, state);
        else if (step.kind === 'fail') this.transitions.fail(current, step.reason, state);
        else this.transitions.blockAtGate(current, step, state);
        return;
      }

      const outcome = await this.runStage(current, step.stage, step.index, state, signal);
      if (!outcome || signal.aborted || this.closing) return;
      const decision = afterStage(pipeline, step.index, state, outcome);
      if (!this.transitions.leaveStage(workflowId, step.stage.name, step.index, decision)) return;
      state = decision.state;
      step = decision.step;
    }
  }

  /**
   * Runs one command stage under the workflow's budget and says how it ended; null when it did
   * not start or the run was aborted (the workflow then is no longer this run's to move).
   */
  private async runStage(rec: WorkflowRecord, stage: CommandStage, index: number, state: RunState, signal: AbortSignal): Promise<StageOutcome | null> {
    const workflowId = rec.workflow.id;
    // The stage stops on a cancel of the run, or on its own when the workflow passes its budget.
    const stageAbort = new AbortController();
    const abortStage = () => stageAbort.abort();
    const budget = new StageBudget(budgetOf(rec.workflow.pipeline, this.settings().workflowBudgetUsd), rec.workflow.usage, stage.name, signal, {
      record: (total) => this.transitions.recordUsage(workflowId, total),
      stop: abortStage,
      warn: (draft) => void this.log.emit(workflowId, draft).catch(() => undefined),
    });
    const over = budget.exceededBefore();
    if (over) {
      this.transitions.fail(rec, over, state); // not started at all once past the budget
      return null;
    }
    const started = this.transitions.enterStage(workflowId, stage, index, state);
    if (!started) return null;
    signal.addEventListener('abort', abortStage, { once: true });
    const resumeId = sessionToResume(stage, state);
    // Rule 11: remembered rules belong to the repository of the worktree, asked of git at the
    // stage's first tool request (never before the stage starts: a cancel must find it running).
    let repoPath: Promise<string | null> | null = null;
    const gate = this.permissions.gate(started.workflow, stage, () => (repoPath ??= resolveRepositoryRoot(rec.workflow.worktreePath).catch(() => null)));
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
        budgetRemainingUsd: budget.remainingUsd(),
        portBase: this.options.portBase?.(rec.workflow.worktreePath) ?? null,
        usage: (totals) => budget.report(totals),
        emit: (draft) => this.log.emit(workflowId, draft),
        processStarted: (pgid) => this.processes.add({ workflowId, pgid, stage: stage.name, startedAt: this.now().toISOString() }),
        processExited: (pgid) => this.processes.remove(workflowId, pgid),
        permissions: gate,
      });
    } catch (e) {
      if (signal.aborted) return null;
      outcome = { kind: 'failed', reason: `Stage ${stage.name} could not run: ${errorText(e)}` };
      await this.log.emit(workflowId, { agent: 'system', type: 'system_error', message: outcome.reason, data: { stage: stage.name } });
    } finally {
      signal.removeEventListener('abort', abortStage);
      // Nothing the stage asked keeps waiting once it is over (a budget stop says why). At
      // shutdown they stay as a crash leaves them, for the recovery at the next start (rule 8).
      if (!this.closing) gate.close(budget.stoppedReason() ?? undefined);
    }
    // Stopped like a cancel (its processes are gone); the workflow fails with the figures.
    const stopped = budget.stoppedReason();
    return stopped ? { kind: 'failed', reason: stopped } : outcome;
  }

  /** A bug or an I/O fault in the run itself: the workflow fails with a system_error, the app lives on. */
  private crashed(workflowId: string, e: unknown): void {
    if (this.closed) return;
    try {
      const rec = this.workflows.get(workflowId);
      if (!rec || rec.workflow.status !== 'in_progress') return;
      this.transitions.crash(rec, `internal error: ${errorText(e)}`);
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
    this.permissions.denyLeftOver();

    const interrupted: string[] = [];
    for (const status of ['pending', 'in_progress'] as const) {
      for (const rec of this.workflows.withStatus(status)) {
        this.transitions.interrupt(rec, `interrupted: the application stopped during stage ${rec.workflow.currentStage ?? '(not started)'}`);
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


/** How a worktree's setup failed, for both refusals of rule 13: "failed at step install: exited with code 1". */
function setupFailure(s: Pick<WorktreeRun, 'failedStep' | 'failureReason'>): string {
  return `failed${s.failedStep ? ` at step ${s.failedStep}` : ''}: ${s.failureReason ?? 'unknown reason'}`;
}

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

function issueText(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}
