// The real StageExecutor: runs a command stage as a child process in the workflow's worktree,
// in its own process group, without a shell; streams its output and file changes into the
// workflow's events; and makes sure that when the stage ends — normally, by timeout, by cancel
// or by shutdown — none of its processes is left running.
import { EMPTY_USAGE } from '../../../shared/events';
import type { CommandStage } from '../../../shared/pipeline';
import type { StageExecutor, StageOutcome, StageRun } from '../runner';
import { TailBuffer } from './bytes';
import { FileWatcher } from './fileWatcher';
import { OutputCollector } from './outputCollector';
import { openAgentPipes, type AgentProcess } from '../process/agentPipes';
import { PlanFileError, readPlanFile, StdoutPlan } from './planCapture';
import { anyAlive, terminate } from '../process/groupTermination';
import { structuredOutcome, structuredStart } from './streams/structuredStage';
import { StructuredOutput } from './streams/structuredOutput';
import { buildArgv, buildEnv, templateValues } from './templates';

/** Review stages: this exit code means "changes requested". */
export const CHANGES_REQUESTED_EXIT = 3;
const FEEDBACK_BYTES = 8 * 1024;
const STDERR_TAIL_BYTES = 8 * 1024;
const STDERR_LINES = 20;
/** How long the pipes may stay open once every process of the stage is gone. */
const PIPE_DRAIN_MS = 5_000;

export interface ProcessExecutorOptions {
  /** How often file changes are looked for while a stage runs. */
  scanIntervalMs?: number;
  /** How long output is coalesced before it is emitted. */
  flushMs?: number;
  maxEventBytes?: number;
  /** The environment agents inherit (default: this process's). */
  baseEnv?: () => NodeJS.ProcessEnv;
}

type Ending =
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'aborted' }
  | { kind: 'timeout' }
  /** The agent's stream reported an error no retry can fix (structured formats). */
  | { kind: 'fatal'; reason: string };

const ABORTED: StageOutcome = { kind: 'failed', reason: 'cancelled' };

function spawnFailure(stage: string, program: string, error: NodeJS.ErrnoException): string {
  const why = error.code === 'ENOENT' ? 'not found' : error.code === 'EACCES' ? 'permission denied' : error.message;
  return `Stage ${stage} could not start \`${program}\`: ${why}`;
}

export class ProcessExecutor implements StageExecutor {
  /** Workflows already told that their worktree is not a git checkout (told once). */
  private readonly warnedNotGit = new Set<string>();

  constructor(private readonly options: ProcessExecutorOptions = {}) {}

  async run(r: StageRun): Promise<StageOutcome> {
    const { workflow, stage, settings, signal } = r;
    if (signal.aborted) return ABORTED;
    const values = templateValues(workflow, r.vars);
    const start = structuredStart(stage, buildArgv(stage.run, values), r);
    if ('failed' in start) return { kind: 'failed', reason: start.failed };
    const { program, args } = start;
    const env = buildEnv(this.options.baseEnv?.() ?? process.env, workflow.id, values);

    const watcher = await FileWatcher.start({
      worktree: workflow.worktreePath,
      agent: stage.agent,
      stage: stage.name,
      emit: r.emit,
      intervalMs: this.options.scanIntervalMs,
      notGit: () => this.firstNotGitWarning(workflow.id),
    });
    if (signal.aborted) {
      watcher.stop();
      return ABORTED;
    }

    const pipes = await openAgentPipes();
    if (signal.aborted) {
      pipes.abandon();
      watcher.stop();
      return ABORTED;
    }
    let child: AgentProcess;
    try {
      child = await pipes.start(program, args, { cwd: workflow.worktreePath, env });
    } catch (e) {
      pipes.abandon();
      watcher.stop();
      return { kind: 'failed', reason: spawnFailure(stage.name, program, e as NodeJS.ErrnoException) };
    }

    let streams: NodeJS.ReadableStream[] = [];
    const output = new OutputCollector({
      emit: r.emit,
      agent: stage.agent,
      stage: stage.name,
      budgetBytes: settings.outputBudgetBytes,
      flushMs: this.options.flushMs,
      maxEventBytes: this.options.maxEventBytes,
      onPressure: (paused) => streams.forEach((s) => (paused ? s.pause() : s.resume())),
    });
    const stdoutTail = new TailBuffer(FEEDBACK_BYTES);
    const stderrTail = new TailBuffer(STDERR_TAIL_BYTES);
    let stopForFatal: ((reason: string) => void) | null = null;
    const structured =
      stage.output && stage.output !== 'text'
        ? new StructuredOutput({
            format: stage.output,
            agent: stage.agent,
            stage: stage.name,
            cwd: workflow.worktreePath,
            emit: r.emit,
            collector: output,
            onUsage: (u) => r.usage?.(u),
            resumed: r.resumeSession ? { sessionId: r.resumeSession, usage: r.resumeUsage ?? EMPTY_USAGE } : null,
            onFatal: (reason) => stopForFatal?.(reason),
            onPressure: (paused) => streams.forEach((s) => (paused ? s.pause() : s.resume())),
          })
        : null;
    const plan = stage.captureAs === 'plan' && stage.captureFrom === undefined && !structured ? new StdoutPlan() : null;
    // Each read's bytes are borrowed (the read buffer is reused): every consumer copies what it keeps.
    const attached = pipes.attach((stream, bytes) => {
      if (stream === 'stderr') {
        output.push(stream, bytes);
        stderrTail.push(bytes);
        return;
      }
      if (structured) return structured.push(bytes);
      output.push(stream, bytes);
      stdoutTail.push(bytes);
      plan?.push(bytes);
    });
    streams = attached.streams;
    const closed = attached.closed;

    const pgid = child.pid;
    const cleanups: (() => void)[] = [];
    const ending = new Promise<Ending>((resolve) => {
      child.once('exit', (code, sig) => resolve({ kind: 'exit', code, signal: sig }));
      stopForFatal = (reason) => resolve({ kind: 'fatal', reason });
      const onAbort = () => resolve({ kind: 'aborted' });
      if (signal.aborted) onAbort(); // while the agent was being started
      signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener('abort', onAbort));
      if (stage.timeoutSeconds !== undefined) {
        const t = setTimeout(() => resolve({ kind: 'timeout' }), stage.timeoutSeconds * 1000);
        cleanups.push(() => clearTimeout(t));
      }
    });
    r.processStarted(pgid);

    let end: Ending;
    try {
      end = await ending;
      cleanups.forEach((c) => c());
      if (end.kind === 'aborted') {
        // The cancellation is committed: nothing more goes into this workflow's log.
        structured?.silence();
        output.silence();
        watcher.stop();
      }
      {
        // Cancelled or timed out: stop the group. Exited: stop what it left behind (a background
        // child, a grandchild that keeps the pipe open), so nothing keeps editing the worktree.
        if (end.kind !== 'exit' || (await anyAlive(pgid, workflow.id))) await terminate(pgid, workflow.id, settings.killGraceMs);
        if (end.kind !== 'exit' && child.exitCode === null && child.signalCode === null) {
          await new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
        }
        r.processExited(pgid);
      }
      await drain(closed, streams);
    } catch (e) {
      // Never leave the group behind, whatever went wrong here.
      await terminate(pgid, workflow.id, 0).catch(() => undefined);
      throw e;
    }

    if (end.kind === 'aborted' || signal.aborted) {
      structured?.silence();
      output.silence();
      watcher.stop();
      return ABORTED;
    }
    await structured?.finish();
    await output.finish();
    await watcher.finish();
    if (signal.aborted) return ABORTED;
    if (end.kind === 'fatal') return { kind: 'failed', reason: end.reason };
    if (structured && end.kind === 'exit') return structuredOutcome(workflow.worktreePath, stage, end, structured, stderrTail.lastLines(STDERR_LINES).trim());
    return this.outcome(stage, end, workflow.worktreePath, { stdoutTail, stderrTail, plan, program });
  }

  private async outcome(
    stage: CommandStage,
    end: Exclude<Ending, { kind: 'aborted' } | { kind: 'fatal' }>,
    worktree: string,
    got: { stdoutTail: TailBuffer; stderrTail: TailBuffer; plan: StdoutPlan | null; program: string },
  ): Promise<StageOutcome> {
    const name = stage.name;
    if (end.kind === 'timeout') return { kind: 'failed', reason: `Stage ${name} timed out after ${stage.timeoutSeconds} s` };
    const feedback = () => got.stdoutTail.text().trim() || got.stderrTail.lastLines(STDERR_LINES).trim() || '(the review gave no details)';
    if (end.code === 0) {
      const marker = stage.review?.changesRequestedMarker;
      if (marker && got.stdoutTail.text().split('\n').some((line) => line.trimStart().startsWith(marker))) {
        return { kind: 'changes_requested', feedback: feedback() };
      }
      if (stage.captureAs !== 'plan') return { kind: 'completed' };
      if (stage.captureFrom !== undefined) {
        try {
          return { kind: 'completed', plan: await readPlanFile(worktree, stage.captureFrom) };
        } catch (e) {
          if (e instanceof PlanFileError) return { kind: 'failed', reason: `Stage ${name} exited 0 but ${e.message}` };
          throw e;
        }
      }
      return { kind: 'completed', plan: { text: got.plan!.text(), file: null } };
    }
    if (end.code === CHANGES_REQUESTED_EXIT && stage.review) return { kind: 'changes_requested', feedback: feedback() };
    const how =
      end.code !== null
        ? `exited with code ${end.code}`
        : end.signal !== null
          ? `was killed by ${end.signal}`
          : 'lost its exit status (the process runner stopped) and was stopped';
    const stderr = got.stderrTail.lastLines(STDERR_LINES).trim();
    const detail = stderr ? `: ${stderr}` : got.stdoutTail.text().trim() ? `; last output: ${got.stdoutTail.lastLines(5).trim()}` : ' (no output)';
    return { kind: 'failed', reason: `Stage ${name} ${how}${detail}` };
  }

  private firstNotGitWarning(workflowId: string): boolean {
    if (this.warnedNotGit.has(workflowId)) return false;
    if (this.warnedNotGit.size > 10_000) this.warnedNotGit.clear();
    this.warnedNotGit.add(workflowId);
    return true;
  }
}

/** Waits for the pipes to close; gives up (and closes them) if something outside the stage holds them open. */
async function drain(closed: Promise<void>, streams: NodeJS.ReadableStream[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), PIPE_DRAIN_MS)));
  const r = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (r === 'late') for (const s of streams) (s as unknown as { destroy(): void }).destroy();
}
