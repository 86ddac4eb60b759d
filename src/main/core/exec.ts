// Starts programs with an argv array — never a shell — from one worker thread (the process
// runner): `execFile` collects a program's output; `processRunner.startDetached` starts an agent
// in its own process group, writing into descriptors this process opened.
//
// Why a worker: starting a process forks this one, and the fork copies the page tables of the
// whole application: 6–20 ms here during which the thread that called spawn() is stopped (up to
// 40 under load, more with a bigger heap). git runs at every stage start and end and once a
// second per running stage, so on the main thread each call was a visible stall of the event loop
// (P6 in docs/performance.md). The worker pays the fork instead. Signals still go to an agent's
// process group from the main thread; only its start and its exit pass through the worker.
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes of stdout kept; beyond it the output is cut and `truncated` is set. */
  maxBuffer?: number;
  timeoutMs?: number;
  input?: string;
}

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
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

interface Request {
  id: number;
  program: string;
  args: readonly string[];
  cwd: string | undefined;
  env: NodeJS.ProcessEnv;
  maxBuffer: number;
  maxStderr: number;
  timeoutMs: number | undefined;
  input: string | undefined;
}

type Reply =
  | { id: number; result: ExecResult }
  | { id: number; error: string; errno?: string }
  | { id: number; pid: number }
  | { id: number; exit: true; code: number | null; signal: NodeJS.Signals | null };

/** Where a detached program writes: descriptors opened by this process (e.g. FIFO write ends). */
export interface DetachedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: number;
  stderr: number;
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

// Plain CommonJS evaluated in the worker (no bundled file of its own, so it runs the same from
// tsx, Vitest and the Electron build); it needs only Node's built-in modules.
const WORKER_SOURCE = `
const { spawn } = require('node:child_process');
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (r) => (r.kind === 'spawn' ? startDetached(r) : run(r)));

// An agent: detached in its own process group, writing into descriptors the main thread opened
// (they belong to the process, not to a thread). Its exit is reported when it happens.
function startDetached(r) {
  let child;
  try {
    child = spawn(r.program, r.args, { cwd: r.cwd, env: r.env, detached: true, stdio: ['ignore', r.stdout, r.stderr], windowsHide: true });
  } catch (e) {
    parentPort.postMessage({ id: r.id, error: e.message, errno: e.code });
    return;
  }
  child.once('spawn', () => parentPort.postMessage({ id: r.id, pid: child.pid }));
  child.once('error', (e) => {
    if (child.pid === undefined) parentPort.postMessage({ id: r.id, error: e.message, errno: e.code });
  });
  child.once('exit', (code, signal) => parentPort.postMessage({ id: r.id, exit: true, code, signal }));
}

function run(r) {
  let child;
  try {
    child = spawn(r.program, r.args, {
      cwd: r.cwd,
      env: r.env,
      stdio: [r.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (e) {
    parentPort.postMessage({ id: r.id, error: e.message, errno: e.code });
    return;
  }
  const out = [];
  const err = [];
  let outBytes = 0;
  let errBytes = 0;
  let truncated = false;
  child.stdout.on('data', (chunk) => {
    if (outBytes >= r.maxBuffer) {
      truncated = true;
      return;
    }
    const room = r.maxBuffer - outBytes;
    if (chunk.length > room) truncated = true;
    out.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    outBytes += Math.min(chunk.length, room);
  });
  child.stderr.on('data', (chunk) => {
    if (errBytes < r.maxStderr) {
      err.push(chunk);
      errBytes += chunk.length;
    }
  });
  const timer = r.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), r.timeoutMs) : null;
  let answered = false;
  child.on('error', (e) => {
    if (timer) clearTimeout(timer);
    if (answered) return;
    answered = true;
    parentPort.postMessage({ id: r.id, error: e.message, errno: e.code });
  });
  child.on('close', (code, signal) => {
    if (timer) clearTimeout(timer);
    if (answered) return;
    answered = true;
    const result = { code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), truncated };
    parentPort.postMessage({ id: r.id, result });
  });
  if (r.input !== undefined) {
    child.stdin.on('error', () => {}); // a program that exits without reading its input
    child.stdin.end(r.input);
  }
}
`;

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

/** The worker that runs every execFile; started on first use, restarted if it ever stops. */
class ProcessRunner {
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
      this.refresh(worker);
      worker.postMessage({ kind: 'spawn', id, program, args, ...options });
    });
  }

  run(program: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const worker = this.ensure();
      this.waiting.set(id, { program, resolve, reject });
      this.refresh(worker);
      const request: Request = {
        id,
        program,
        args,
        cwd: options.cwd,
        env: options.env ?? process.env,
        maxBuffer: options.maxBuffer ?? DEFAULT_MAX_BUFFER,
        maxStderr: MAX_STDERR,
        timeoutMs: options.timeoutMs,
        input: options.input,
      };
      worker.postMessage(request);
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const d = this.detached.get(reply.id);
      if (d) return this.onDetached(worker, reply.id, d, reply);
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      this.refresh(worker);
      if ('result' in reply) w.resolve(reply.result);
      else if ('error' in reply) w.reject(new ExecError(`${w.program} could not be started: ${reply.error}`, null, reply.errno));
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

  private onDetached(worker: Worker, id: number, d: Starting, reply: Reply): void {
    if ('pid' in reply) {
      d.child = new DetachedChild(reply.pid);
      d.resolve(d.child);
    } else if ('exit' in reply) {
      this.detached.delete(id);
      this.refresh(worker);
      d.child?.exited(reply.code, reply.signal);
    } else if ('error' in reply) {
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

  /** Stops the worker (tests: what a crash of it does). */
  async stopForTest(): Promise<void> {
    await this.worker?.terminate();
  }
}

export const processRunner = new ProcessRunner();

/** Resolves with the result whatever the exit code; rejects only if the program could not run. */
export function execFile(program: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return processRunner.run(program, args, options);
}
