// Rule 13: what makes a worktree ready to work in, and what runs in it besides workflows.
//
// - Ports: a stable range of 10 per worktree (worktreeRunStore.allocatePorts), seen by agents,
//   setup steps and the run command as SWITCHYARD_PORT_BASE.
// - Setup: `.worktreeinclude` files copied, then `.switchyard/setup.json`'s steps run once, one
//   after the other, by the same executor as a workflow's command stages (no shell, own process
//   group, output coalesced into events). A failing step ends the setup; the worktree stays.
// - The run command (the dev server): one per worktree, until stopped, the worktree is removed,
//   or Switchyard closes; after a crash its process group is reaped at start-up (rule 8).
//
// Neither is a workflow (they hold no slot, are not in the history, do not hold the worktree
// for rule 1), so each run has its own event log (worktree_run_events), numbered by the same
// EventLog (rule 3) and published on the same bus, so events.list, the push hub and the window's
// follower treat a run's id like a workflow's. docs/worktrees.md explains the choice.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Workflow, WorktreeRun } from '../../../shared/domain';
import { SwitchyardError, invalidInput, invalidState, notFound } from '../../../shared/errors';
import { EMPTY_USAGE, type EventDraft, type WorkflowEvent } from '../../../shared/events';
import type { CommandStage } from '../../../shared/pipeline';
import type { Settings } from '../../../shared/settings';
import { EventLog, type Publish } from '../eventLog';
import { systemReaper } from '../process/orphanReaper';
import type { ProcessReaper, StageExecutor } from '../runner';
import { PORTS_PER_WORKTREE, WorktreeRunStore } from '../store/worktreeRunStore';
import { rangeFree } from './portProbe';
import { readSetupFile, SETUP_FILE, type SetupFile } from './setupFile';
import { copyIncludedFiles, WORKTREE_INCLUDE_FILE } from './worktreeInclude';

/** Run ids say what they are, so events.list can route them (a workflow id is a bare UUID). */
export const SETUP_ID_PREFIX = 'setup-';
export const RUN_ID_PREFIX = 'run-';
export const isWorktreeRunId = (id: string) => id.startsWith(SETUP_ID_PREFIX) || id.startsWith(RUN_ID_PREFIX);

export interface WorktreeRunsOptions {
  db: Database.Database;
  executor: StageExecutor;
  settings(): Settings;
  /** Where committed events go (the orchestrator's bus), late-bound. */
  publish: Publish;
  /** Is a workflow active there (a setup re-run would edit files under an agent)? */
  activeWorkflowId(worktreePath: string): string | null;
  /**
   * What holds the worktree (the orchestrator's reservation: "being removed"), or null. The run
   * command and a setup re-run are refused while it is held, so nothing starts in a folder that
   * removal has already stopped and is about to delete.
   */
  reservedFor?(worktreePath: string): string | null;
  /** Told when a setup ends, so workflows queued behind it start or are cancelled. */
  setupEnded?(worktreePath: string): void;
  reaper?: ProcessReaper;
  now?: () => Date;
}

/** What a workflow start finds: go ahead, wait behind a running setup, or refuse after a failed one. */
export type SetupGate = { kind: 'ready' } | { kind: 'running'; setupId: string } | { kind: 'failed'; setup: WorktreeRun };

interface Live {
  run: WorktreeRun;
  abort: AbortController;
  done: Promise<void>;
}

/** How many busy ranges assignPorts skips before it gives up (a first base in a crowded area). */
const MAX_BUSY_RANGES = 100;

const INTERRUPTED = 'interrupted: Switchyard stopped while it ran';

export class WorktreeRuns {
  readonly store: WorktreeRunStore;
  private readonly log: EventLog;
  private readonly now: () => Date;
  /** Live setups and run commands by worktree path (at most one of each per worktree). */
  private readonly setups = new Map<string, Live>();
  private readonly runs = new Map<string, Live>();
  private closed = false;
  readonly recovery: { reapedProcessGroups: number; interrupted: string[] };

  constructor(private readonly o: WorktreeRunsOptions) {
    this.now = o.now ?? (() => new Date());
    this.store = new WorktreeRunStore(o.db);
    this.log = new EventLog(o.db, this.store.events, o.publish, this.now);
    this.recovery = this.recover();
  }

  // Queries -----------------------------------------------------------------------------------

  portBase(worktreePath: string): number | null {
    return this.store.portBase(worktreePath);
  }

  /** The worktree's range, allocated on first ask (worktrees made outside Switchyard get one too). */
  ports(worktreePath: string): number {
    return this.store.allocatePorts(worktreePath, this.o.settings().portBase, this.now().toISOString());
  }

  /**
   * The worktree's range, allocated on first ask to a range whose 10 ports are all free on
   * 127.0.0.1 right now: a range another program holds a port of is skipped (left unrecorded, so
   * it is tried again for the next worktree). Used for new worktrees, setups and run commands;
   * agents in a worktree made elsewhere get theirs synchronously from ports().
   */
  async assignPorts(worktreePath: string): Promise<number> {
    const existing = this.store.portBase(worktreePath);
    if (existing !== null) return existing;
    let from = this.o.settings().portBase;
    for (let tried = 0; tried < MAX_BUSY_RANGES; ) {
      const base = this.store.freeBase(from);
      if (!(await rangeFree(base, PORTS_PER_WORKTREE))) {
        from = base + PORTS_PER_WORKTREE;
        tried++;
        continue;
      }
      // Another worktree may have claimed it while we probed: then look again from the same place.
      const claimed = this.store.claimPorts(worktreePath, base, this.now().toISOString());
      if (claimed !== null) return claimed;
    }
    throw invalidState(
      `No free range of ${PORTS_PER_WORKTREE} ports found: the ${MAX_BUSY_RANGES} ranges from ${this.o.settings().portBase} up each have a port in use on this machine; change the first port base in the settings`,
      { worktreePath, portBase: this.o.settings().portBase },
    );
  }

  latest(worktreePath: string, kind: WorktreeRun['kind']): WorktreeRun | null {
    return this.store.latest(worktreePath, kind);
  }

  gate(worktreePath: string): SetupGate {
    const live = this.setups.get(worktreePath);
    if (live) return { kind: 'running', setupId: live.run.id };
    const last = this.store.latest(worktreePath, 'setup');
    return last?.status === 'failed' ? { kind: 'failed', setup: last } : { kind: 'ready' };
  }

  listEvents(req: { workflowId: string; afterSequence?: number; beforeSequence?: number; limit?: number }): WorkflowEvent[] {
    if (!this.store.run(req.workflowId)) throw notFound(`No setup or run ${req.workflowId}`, { workflowId: req.workflowId });
    const limit = Math.min(req.limit ?? 500, 5000);
    if (req.beforeSequence !== undefined) return this.store.events.listBefore(req.workflowId, req.beforeSequence, limit);
    return this.store.events.list(req.workflowId, req.afterSequence ?? 0, limit);
  }

  // Setup -------------------------------------------------------------------------------------

  /**
   * After a worktree was created: its ports, then its setup when the repository declares one.
   * Resolves once the setup is recorded as running (so a workflow started next waits for it);
   * the setup itself goes on in the background.
   */
  async prepare(worktreePath: string, mainWorktree: string, createdHead: string | null): Promise<WorktreeRun | null> {
    await this.assignPorts(worktreePath);
    if (createdHead) this.store.setCreatedHead(worktreePath, createdHead);
    const declared = existsSync(join(worktreePath, SETUP_FILE)) || existsSync(join(mainWorktree, WORKTREE_INCLUDE_FILE));
    return declared ? this.startSetup(worktreePath, mainWorktree) : null;
  }

  /** Runs the setup again (the window's "re-run setup"). */
  rerunSetup(worktreePath: string, mainWorktree: string): WorktreeRun {
    if (this.setups.has(worktreePath)) throw invalidState(`The setup of ${worktreePath} is already running`, { worktreePath });
    this.assertNotReserved(worktreePath, 'its setup cannot run');
    const workflowId = this.o.activeWorkflowId(worktreePath);
    if (workflowId) {
      throw new SwitchyardError('WORKTREE_CONFLICT', `Workflow ${workflowId} is active in ${worktreePath}; setup runs only while no workflow does`, {
        worktreePath,
        workflowId,
      });
    }
    return this.startSetup(worktreePath, mainWorktree);
  }

  private startSetup(worktreePath: string, mainWorktree: string): WorktreeRun {
    this.assertOpen();
    const run = this.store.insertRun(`${SETUP_ID_PREFIX}${randomUUID()}`, worktreePath, 'setup', this.now().toISOString());
    const abort = new AbortController();
    const live: Live = { run, abort, done: Promise.resolve() };
    this.setups.set(worktreePath, live);
    live.done = this.runSetup(run, mainWorktree, abort.signal)
      .catch((e: unknown) => ({ step: null, reason: `internal error: ${errorText(e)}` }))
      .then((failure) => {
        this.setups.delete(worktreePath);
        this.end(run, failure ? 'failed' : 'completed', failure, failure ? `Setup failed${failure.step ? ` at step ${failure.step}` : ''}: ${failure.reason}` : 'Setup completed');
        this.o.setupEnded?.(worktreePath);
      })
      .catch(recordFault);
    return run;
  }

  /** The setup's work; resolves with what failed, or null. */
  private async runSetup(run: WorktreeRun, mainWorktree: string, signal: AbortSignal): Promise<{ step: string | null; reason: string } | null> {
    const path = run.worktreePath;
    const portBase = await this.assignPorts(path);
    let file: SetupFile | null;
    try {
      file = await readSetupFile(path);
    } catch (e) {
      await this.emit(run.id, { agent: 'setup', type: 'setup_started', message: `Setup of ${basename(path)}`, data: { portBase } });
      return { step: null, reason: errorText(e) };
    }
    const steps = file?.steps ?? [];
    await this.emit(run.id, {
      agent: 'setup',
      type: 'setup_started',
      message: `Setup of ${basename(path)}: ${steps.length} step${steps.length === 1 ? '' : 's'}, ports ${portBase}-${portBase + 9}`,
      data: { steps: steps.map((s) => s.name), portBase },
    });
    const included = await copyIncludedFiles(mainWorktree, path);
    if (included.copied.length > 0 || included.skipped.length > 0) {
      await this.emit(run.id, {
        agent: 'setup',
        type: included.skipped.length > 0 ? 'system_warning' : 'file_created',
        message:
          `${WORKTREE_INCLUDE_FILE}: copied ${included.copied.length} file${included.copied.length === 1 ? '' : 's'}` +
          (included.skipped.length > 0 ? `; skipped ${included.skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}` : ''),
        data: { copied: included.copied, skipped: included.skipped },
      });
    }
    for (const [index, step] of steps.entries()) {
      if (signal.aborted) return { step: step.name, reason: 'stopped' };
      const stage: CommandStage = { name: step.name, agent: 'setup', run: step.run, timeoutSeconds: step.timeoutSeconds };
      await this.emit(run.id, { agent: 'setup', type: 'stage_started', message: `Step ${step.name}: ${step.run.join(' ')}`, data: { stage: step.name, step: index } });
      const outcome = await this.execute(run, stage, portBase, signal, true);
      if (outcome.kind === 'failed') return { step: step.name, reason: withoutStageName(outcome.reason, step.name) };
      await this.emit(run.id, { agent: 'setup', type: 'stage_completed', message: `Step ${step.name} done`, data: { stage: step.name, step: index } });
    }
    return null;
  }

  // The run command ---------------------------------------------------------------------------

  /** Starts the repository's `run` command in the worktree; refused while one runs there. */
  async startRun(worktreePath: string): Promise<WorktreeRun> {
    this.assertOpen();
    this.assertNotReserved(worktreePath, 'its run command cannot start');
    if (this.runs.has(worktreePath)) throw invalidState(`The run command of ${worktreePath} is already running`, { worktreePath });
    const file = await readSetupFile(worktreePath);
    if (!file?.run) throw invalidInput(`${join(worktreePath, SETUP_FILE)} declares no "run" command`, { worktreePath });
    this.assertNotReserved(worktreePath, 'its run command cannot start');
    const portBase = await this.assignPorts(worktreePath);
    this.assertOpen();
    if (this.runs.has(worktreePath)) throw invalidState(`The run command of ${worktreePath} is already running`, { worktreePath });
    // Checked here, in the same synchronous step as the run is recorded live: a removal that took
    // the worktree while the file was read is refused now; one taking it later finds this run live
    // and stops it (stopAll) before git deletes the folder.
    this.assertNotReserved(worktreePath, 'its run command cannot start');
    const run = this.store.insertRun(`${RUN_ID_PREFIX}${randomUUID()}`, worktreePath, 'run', this.now().toISOString());
    const abort = new AbortController();
    const live: Live = { run, abort, done: Promise.resolve() };
    this.runs.set(worktreePath, live);
    const stage: CommandStage = { name: 'run', agent: 'run', run: file.run };
    live.done = (async () => {
      await this.emit(run.id, { agent: 'run', type: 'stage_started', message: `Run: ${file.run!.join(' ')} (ports ${portBase}-${portBase + 9})`, data: { stage: 'run', portBase } });
      const outcome = await this.execute(run, stage, portBase, abort.signal, false);
      return abort.signal.aborted ? null : outcome.kind === 'failed' ? withoutStageName(outcome.reason, 'run') : '';
    })()
      .catch((e: unknown) => `internal error: ${errorText(e)}`)
      .then((reason) => {
        this.runs.delete(worktreePath);
        // null: stopped by us; '': it exited 0 on its own; text: it failed.
        if (reason === null) this.end(run, 'stopped', null, 'Run stopped');
        else if (reason === '') this.end(run, 'completed', null, 'Run exited');
        else this.end(run, 'failed', { step: 'run', reason }, `Run failed: ${reason}`);
      })
      .catch(recordFault);
    return run;
  }

  /** Stops the run command (its whole process group); resolves once it is gone. */
  async stopRun(worktreePath: string): Promise<WorktreeRun> {
    const live = this.runs.get(worktreePath);
    if (!live) throw invalidState(`No run command is running in ${worktreePath}`, { worktreePath });
    live.abort.abort();
    await live.done;
    return this.store.run(live.run.id)!;
  }

  // Lifecycle ---------------------------------------------------------------------------------

  /** Before a worktree is removed: its run command and setup are stopped (nothing outlives it). */
  async stopAll(worktreePath: string): Promise<void> {
    const live = [this.runs.get(worktreePath), this.setups.get(worktreePath)].filter((l): l is Live => !!l);
    for (const l of live) l.abort.abort();
    await Promise.all(live.map((l) => l.done));
  }

  /** After a worktree is removed: its range is free again and its runs are forgotten. */
  removed(worktreePath: string): void {
    this.store.forgetWorktree(worktreePath);
  }

  /** At quit: every run command and setup is stopped, then the log is closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const live = [...this.runs.values(), ...this.setups.values()];
    for (const l of live) l.abort.abort();
    await Promise.allSettled(live.map((l) => l.done));
    this.log.close();
  }

  // Internals ---------------------------------------------------------------------------------

  private execute(run: WorktreeRun, stage: CommandStage, portBase: number, signal: AbortSignal, watchFiles: boolean) {
    const at = run.startedAt;
    // The executor runs "a stage of a workflow": this one is the run itself (its id is the
    // process marker, so stopping and reaping find exactly its processes).
    const workflow: Workflow = {
      id: run.id,
      issueId: run.kind,
      title: `${run.kind} of ${basename(run.worktreePath)}`,
      description: '',
      worktreePath: run.worktreePath,
      worktreeName: basename(run.worktreePath),
      pipeline: { name: run.kind, stages: [stage] },
      status: 'in_progress',
      currentStage: stage.name,
      createdAt: at,
      startedAt: at,
      completedAt: null,
      failureReason: null,
      usage: EMPTY_USAGE,
      pendingPermissions: [],
    };
    return this.o.executor.run({
      workflow,
      stage,
      stageIndex: 0,
      vars: { plan: null, planFile: null, feedback: null },
      settings: this.o.settings(),
      signal,
      portBase,
      watchFiles,
      emit: (draft) => this.emit(run.id, draft),
      processStarted: (pgid) => this.store.setPgid(run.id, pgid),
      processExited: () => this.store.setPgid(run.id, null),
    });
  }

  private emit(runId: string, draft: EventDraft): Promise<WorkflowEvent> {
    return this.log.emit(runId, draft);
  }

  private end(run: WorktreeRun, status: Exclude<WorktreeRun['status'], 'running'>, failure: { step: string | null; reason: string } | null, message: string): void {
    this.store.finish(run.id, status, this.now().toISOString(), failure ?? undefined);
    if (this.closed) return;
    const type = run.kind === 'setup' ? (failure ? 'setup_failed' : 'setup_completed') : 'stage_completed';
    void this.emit(run.id, { agent: run.kind, type, message, data: { status, step: failure?.step ?? null, reason: failure?.reason ?? null } }).catch(() => undefined);
  }

  /** Rule 8 at start-up: groups a crash left are killed; runs that were going are ended. */
  private recover(): { reapedProcessGroups: number; interrupted: string[] } {
    const reaper = this.o.reaper ?? systemReaper;
    const groups = this.store.withProcessGroups();
    for (const { run, pgid } of groups) reaper.reap(pgid, run.id);
    const interrupted: string[] = [];
    const at = this.now().toISOString();
    for (const run of this.store.runningRuns()) {
      // A setup cut short failed (re-run it); a dev server is simply no longer running.
      if (run.kind === 'setup') this.store.finish(run.id, 'failed', at, { step: null, reason: INTERRUPTED });
      else this.store.finish(run.id, 'stopped', at);
      interrupted.push(run.id);
    }
    return { reapedProcessGroups: groups.length, interrupted };
  }

  private assertNotReserved(worktreePath: string, what: string): void {
    const purpose = this.o.reservedFor?.(worktreePath);
    if (purpose) {
      throw new SwitchyardError('WORKTREE_CONFLICT', `Worktree ${worktreePath} is ${purpose}; ${what}`, { worktreePath, reservedFor: purpose });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw invalidState('Switchyard is shutting down');
  }
}

/** A fault while recording a run's end (the disk, say) is logged; the app and its callers live on. */
function recordFault(e: unknown): void {
  console.error('switchyard: could not record the end of a worktree run:', e);
}

/**
 * The executor says "Stage install exited with code 1: …" (it runs workflows' stages); a setup
 * names its step itself ("Setup failed at step install: exited with code 1: …").
 */
function withoutStageName(reason: string, name: string): string {
  const prefix = `Stage ${name}`;
  if (!reason.startsWith(prefix)) return reason;
  return reason.slice(prefix.length).replace(/^:?\s+/, '');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
