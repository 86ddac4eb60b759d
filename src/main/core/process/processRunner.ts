// Starts programs with an argv array — never a shell — from one worker thread (the process
// runner, processRunner.worker.ts): `execFile` collects a program's output;
// `processRunner.startDetached` starts an agent in its own process group, writing into
// descriptors this process opened. The messages between the two: processRunnerProtocol.ts.
//
// Why a worker: starting a process forks this one, and the fork copies the page tables of the
// whole application: 6–20 ms here during which the thread that called spawn() is stopped (up to
// 40 under load, more with a bigger heap). git runs at every stage start and end and once a
// second per running stage, so on the main thread each call was a visible stall of the event loop
// (P6 in docs/performance.md). The worker pays the fork instead. Signals still go to an agent's
// process group from the main thread; only its start and its exit pass through the worker.
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { ExecResult, RunnerReply, RunnerRequest } from './processRunnerProtocol';
import { startWorker } from './workerEntry';

export type { ExecResult } from './processRunnerProtocol';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes of stdout kept; beyond it the output is cut and `truncated` is set. */
  maxBuffer?: number;
  timeoutMs?: number;
  input?: string;
}

export class ExecError extends Error {
  constructor(
    message: string,
    readonly result: ExecResult | null,
    readonly errno?: string,
  ) {
    super(message);
  }
}

const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;
/** stderr kept at most: enough for any error message, bounded against a chatty program. */
const MAX_STDERR = 1024 * 1024;

/** Where a detached program writes: descriptors opened by this process (e.g. FIFO write ends). */
export interface DetachedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: number;
  stderr: number;
  /** A descriptor the program reads its stdin from; absent: none. */
  stdin?: number;
}

/**
 * A program started by the worker: what a ChildProcess tells about it (pid, exit code or signal,
 * an 'exit' event), for code that signals it by its process group anyway.
 */
export class DetachedChild extends EventEmitter<{ exit: [code: number | null, signal: NodeJS.Signals | null] }> {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  constructor(readonly pid: number) {
    super();
  }
  /** @internal */
  exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.exitCode = code;
    this.signalCode = signal;
    this.emit('exit', code, signal);
  }
}

interface Waiting {
  program: string;
  resolve: (r: ExecResult) => void;
  reject: (e: ExecError) => void;
}

interface Starting {
  program: string;
  resolve: (c: DetachedChild) => void;
  reject: (e: NodeJS.ErrnoException) => void;
  child: DetachedChild | null;
}

/**
 * The worker that runs programs; started on first use, and again after it stopped. The
 * application shares one (`processRunner`); each instance has a worker of its own.
 */
export class ProcessRunner {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();
  /** Detached programs, from the request until their exit. */
  private readonly detached = new Map<number, Starting>();

  /**
   * Starts a program in its own process group from the worker, so this thread does not pay the
   * fork; resolves once it runs (or rejects as spawn() would: ENOENT, EACCES…).
   */
  startDetached(program: string, args: readonly string[], options: DetachedOptions): Promise<DetachedChild> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const worker = this.ensure();
      this.detached.set(id, { program, resolve, reject, child: null });
      this.send(worker, { kind: 'spawn', id, program, args, ...options });
    });
  }

  run(program: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const worker = this.ensure();
      this.waiting.set(id, { program, resolve, reject });
      this.send(worker, {
        kind: 'run',
        id,
        program,
        args,
        cwd: options.cwd,
        env: options.env ?? process.env,
        maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER,
        maxStderr: MAX_STDERR,
        timeoutMs: options.timeoutMs,
        input: options.input,
      });
    });
  }

  /**
   * Ends the worker now, as a crash of it would: what it was running is reported as lost (see
   * ensure()); the next call starts a new worker.
   */
  async stop(): Promise<void> {
    await this.worker?.terminate();
  }

  private send(worker: Worker, request: RunnerRequest): void {
    this.refresh(worker);
    worker.postMessage(request);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(import.meta.url, 'processRunner.worker', { name: 'switchyard process runner' });
    worker.unref();
    worker.on('message', (reply: RunnerReply) => {
      const d = this.detached.get(reply.id);
      if (d) return this.onDetached(worker, reply.id, d, reply);
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      this.refresh(worker);
      if (reply.kind === 'result') w.resolve(reply.result);
      else if (reply.kind === 'failed') w.reject(new ExecError(`${w.program} could not be started: ${reply.error}`, null, reply.errno));
    });
    const stopped = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      // Whatever it was running is lost with it; say so rather than hang. The next call starts a new one.
      for (const [id, w] of this.waiting) {
        this.waiting.delete(id);
        w.reject(new ExecError(`${w.program} could not be run: the process runner stopped (${why})`, null));
      }
      // Their exits can no longer be seen: report them as ended, so that their owners stop the
      // process groups (which is what an owner does after any exit) instead of waiting forever.
      for (const [id, d] of this.detached) {
        this.detached.delete(id);
        if (d.child) d.child.exited(null, null);
        else d.reject(Object.assign(new Error(`the process runner stopped (${why})`), { code: 'ECHILD' }));
      }
    };
    worker.on('error', (e) => stopped(e.message));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private onDetached(worker: Worker, id: number, d: Starting, reply: RunnerReply): void {
    if (reply.kind === 'started') {
      d.child = new DetachedChild(reply.pid);
      d.resolve(d.child);
    } else if (reply.kind === 'exited') {
      this.detached.delete(id);
      this.refresh(worker);
      d.child?.exited(reply.code, reply.signal);
    } else if (reply.kind === 'failed') {
      this.detached.delete(id);
      this.refresh(worker);
      d.reject(Object.assign(new Error(reply.error), { code: reply.errno }));
    }
  }

  /** Pending work and running programs keep the process alive, as child processes of its own would. */
  private refresh(worker: Worker): void {
    if (this.waiting.size + this.detached.size > 0) worker.ref();
    else worker.unref();
  }
}

/** The application's process runner: every execFile and agent start goes through it. */
export const processRunner = new ProcessRunner();

/** Resolves with the result whatever the exit code; rejects only if the program could not run. */
export function execFile(program: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return processRunner.run(program, args, options);
}
