// The real StageExecutor: runs a command stage as a child process in the workflow's worktree,
// in its own process group, without a shell; streams its output and file changes into the
// workflow's events; and makes sure that when the stage ends — normally, by timeout, by cancel
// or by shutdown — none of its processes is left running.
import type { Writable } from 'node:stream';
import { EMPTY_USAGE } from '../../../shared/events';
import { OUTPUT_FORMATS, streamFormat } from '../agents/registry';
import type { StageExecutor, StageOutcome, StageRun } from '../runner';
import { TailBuffer } from './bytes';
import { FileWatcher } from './fileWatcher';
import { OutputCollector } from './outputCollector';
import { openAgentPipes, type AgentProcess } from '../process/agentPipes';
import { StdoutPlan } from './planCapture';
import { anyAlive, terminate } from '../process/groupTermination';
import { stageOutcome, STDERR_LINES, textEvidence, type StageEnding } from './stageOutcome';
import { structuredArgv } from './streams/structuredArgv';
import { StructuredOutput, type StagePermissionIo } from './streams/structuredOutput';
import { buildArgv, buildEnv, templateValues } from './templates';

export { CHANGES_REQUESTED_EXIT } from './stageOutcome';
const FEEDBACK_BYTES = 8 * 1024;
const STDERR_TAIL_BYTES = 8 * 1024;
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

type Ending = StageEnding | { kind: 'aborted' };

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
    const format = streamFormat(stage.output);
    if (format === undefined) {
      return { kind: 'failed', reason: `Stage ${stage.name}: this version does not know the output "${stage.output}" (known: ${OUTPUT_FORMATS.known.join(', ')})` };
    }
    const argv = buildArgv(stage.run, values);
    const built = format ? structuredArgv(stage, format, argv, r) : argv;
    if ('failed' in built) return { kind: 'failed', reason: built.failed };
    // Rule 11: a stage with `permissions` whose CLI can ask gets the channel (its stdin and stdout).
    const channel = stage.permissions && r.permissions ? format?.permissions : undefined;
    const opened = channel?.open(built);
    if (opened && 'failed' in opened) {
      await r.emit({ agent: 'system', type: 'system_warning', message: `Stage ${stage.name}: its tool requests cannot reach Switchyard: ${opened.failed}`, data: { stage: stage.name, reason: 'permissions_unavailable' } });
    }
    const asking = opened && !('failed' in opened) ? opened : null;
    const { program, args } = asking ? asking.argv : built;
    const env = buildEnv(this.options.baseEnv?.() ?? process.env, workflow.id, values, r.portBase ?? null);

    const watching = {
      worktree: workflow.worktreePath,
      agent: stage.agent,
      stage: stage.name,
      emit: r.emit,
      intervalMs: this.options.scanIntervalMs,
      notGit: () => this.firstNotGitWarning(workflow.id),
    };
    const watcher = r.watchFiles === false ? FileWatcher.idle(watching) : await FileWatcher.start(watching);
    if (signal.aborted) {
      watcher.stop();
      return ABORTED;
    }

    const pipes = await openAgentPipes({ stdin: asking !== null });
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
    // The streams are paused while either collector asks it (too many events wait for their commit).
    const pausedBy = new Set<string>();
    const pressure = (who: string) => (paused: boolean) => {
      const was = pausedBy.size > 0;
      if (paused) pausedBy.add(who);
      else pausedBy.delete(who);
      if (was !== pausedBy.size > 0) streams.forEach((s) => (was ? s.resume() : s.pause()));
    };
    const output = new OutputCollector({
      emit: r.emit,
      agent: stage.agent,
      stage: stage.name,
      budgetBytes: settings.outputBudgetBytes,
      flushMs: this.options.flushMs,
      maxEventBytes: this.options.maxEventBytes,
      onPressure: pressure('output'),
    });
    const stdoutTail = new TailBuffer(FEEDBACK_BYTES);
    const stderrTail = new TailBuffer(STDERR_TAIL_BYTES);
    let input: Writable | null = null;
    const permissionIo: StagePermissionIo | null =
      asking && channel && r.permissions
        ? {
            channel,
            gate: r.permissions,
            write: (line) => void input?.write(`${line}\n`),
            end: () => {
              input?.end();
              input = null;
            },
          }
        : null;
    let stopForFatal: ((reason: string) => void) | null = null;
    const structured = format
      ? new StructuredOutput({
          stream: format,
          agent: stage.agent,
          stage: stage.name,
          cwd: workflow.worktreePath,
          emit: r.emit,
          collector: output,
          onUsage: (u) => r.usage?.(u),
          resumed: r.resumeSession ? { sessionId: r.resumeSession, usage: r.resumeUsage ?? EMPTY_USAGE } : null,
          onFatal: (reason) => stopForFatal?.(reason),
          onPressure: pressure('structured'),
          permissions: permissionIo,
          refusals: r.permissions ?? null,
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
    if (asking) {
      input = attached.input;
      for (const line of asking.input) input?.write(`${line}\n`);
    }

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
      input?.destroy(); // the CLI is gone: our end of its stdin goes too
      input = null;
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
    const evidence = structured ? structured.evidence(stderrTail.lastLines(STDERR_LINES).trim()) : textEvidence(stdoutTail, stderrTail, plan);
    return stageOutcome(stage, end, workflow.worktreePath, evidence);
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
