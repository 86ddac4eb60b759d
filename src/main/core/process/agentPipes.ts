// An agent's stdout and stderr, each read into one buffer that is reused for every read.
//
// Why: from a 'pipe' stdio stream Node allocates a fresh buffer (64 KiB) for every read, so an
// agent printing 100 MB leaves ~100 MB of short-lived memory outside the JavaScript heap behind
// it. Node 20's V8 reclaimed such young buffers with a scavenge once they reached 32 MiB; Node
// 24's V8 (13.6) leaves them to a full collection that starts only when external memory has
// grown by ~64 MiB, so the peak memory of a flood came to depend on when the collector ran.
// Reading into a buffer we own (net.Socket's `onread`) makes a flood allocate nothing at all.
//
// Node cannot make an anonymous pipe, so each stream is a FIFO created by `mkfifo` in a private
// temporary directory and unlinked as soon as both ends are open: for the agent it is an
// ordinary pipe (S_ISFIFO; /dev/stdout works). Where that fails, plain 'pipe' stdio is used;
// consumers copy what they keep either way, so both behave the same.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { execFile, processRunner } from './processRunner';
import type { OutputStream } from '../pipeline/outputCollector';

/** One read's worth: the size of a pipe's kernel buffer, what Node reads at most anyway. */
export const READ_BUFFER_BYTES = 64 * 1024;

/** Gets each read's bytes, valid only during the call (the buffer is reused): copy what you keep. */
export type OnOutput = (stream: OutputStream, bytes: Buffer) => void;

export interface Attached {
  /** stdout and stderr, for pause/resume (backpressure) and destroy. */
  streams: Readable[];
  /** The agent's stdin, when opened with `{ stdin: true }` (a CLI that reads answers there); end() closes it. */
  input: Writable | null;
  /** Resolves once both are closed (every writer gone and everything read, or destroyed). */
  closed: Promise<void>;
}

/** What the executor needs of a running agent (a ChildProcess, or one the process runner started). */
export interface AgentProcess {
  readonly pid: number;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

export interface StartOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface AgentPipes {
  /** True when output is read into reused buffers; false on the plain-pipe fallback. */
  readonly reusesBuffers: boolean;
  /**
   * Starts the agent in its own process group with these pipes as stdout and stderr. Rejects as
   * spawn() would (the error's `code`: ENOENT, EACCES…); then call abandon().
   */
  start(program: string, args: readonly string[], options: StartOptions): Promise<AgentProcess>;
  /** Call once after start resolved: starts reading. */
  attach(onOutput: OnOutput): Attached;
  /** Call instead of attach if start failed: closes every descriptor. */
  abandon(): void;
}

const STREAMS: readonly OutputStream[] = ['stdout', 'stderr'];

export async function openAgentPipes(o: { stdin?: boolean } = {}): Promise<AgentPipes> {
  const fifos = await openFifos().catch(() => null);
  const input = fifos && o.stdin ? await openInputFifo().catch(() => null) : null;
  if (fifos && (input || !o.stdin)) return fifoPipes(fifos, input);
  if (fifos) fifos.forEach((f) => (closeSync(f.read), closeSync(f.write)));
  return plainPipes(o.stdin ?? false);
}

/**
 * The agent's stdin as a FIFO: its read end for the agent (blocking, as a program expects), the
 * write end ours. Opening the read end non-blocking first lets the write end open at once; a
 * second, blocking read end is then opened for the agent and the first closed.
 */
async function openInputFifo(): Promise<Fifo> {
  const [fifo] = await makeFifos('switchyard-in-', ['stdin'], (path, fds) => {
    const probe = fds.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const write = fds.open(path, constants.O_WRONLY);
    const read = fds.open(path, constants.O_RDONLY);
    fds.close(probe);
    return { read, write };
  });
  return fifo!;
}

interface Fifo {
  read: number;
  write: number;
}

/** The agent's stdout and stderr as FIFOs. */
function openFifos(): Promise<Fifo[]> {
  return makeFifos('switchyard-out-', STREAMS, (path, fds) => {
    // The read end first and non-blocking, so that opening the write end does not wait; the
    // write end blocking, as an agent expects its stdout to be.
    const read = fds.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const write = fds.open(path, constants.O_WRONLY);
    return { read, write };
  });
}

/**
 * Owner-only FIFOs in a fresh folder, each opened by `open`; the folder is removed at once (the
 * descriptors keep the FIFOs alive, so nothing else can open them). On any failure every
 * descriptor opened so far is closed.
 */
async function makeFifos(prefix: string, names: readonly string[], open: (path: string, fds: Descriptors) => Fifo): Promise<Fifo[]> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const opened = new Set<number>();
  const fds: Descriptors = {
    open: (path, flags) => {
      const fd = openSync(path, flags);
      opened.add(fd);
      return fd;
    },
    close: (fd) => {
      closeSync(fd);
      opened.delete(fd);
    },
  };
  try {
    const paths = names.map((n) => join(dir, n));
    const made = await execFile('mkfifo', ['-m', '600', ...paths]);
    if (made.code !== 0) throw new Error(`mkfifo: ${made.stderr.trim()}`);
    return paths.map((path) => open(path, fds));
  } catch (e) {
    for (const fd of opened) closeSync(fd);
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Descriptors {
  open(path: string, flags: number): number;
  close(fd: number): void;
}

function fifoPipes(fifos: Fifo[], input: Fifo | null): AgentPipes {
  const closeWriteEnds = () => {
    fifos.forEach((f) => closeSync(f.write));
    if (input) closeSync(input.read); // the agent's end of its stdin
  };
  return {
    reusesBuffers: true,
    // From the process runner's worker: forking this (large) process stops the forking thread
    // for 6–40 ms, and that should not be the event loop. The FIFOs' write ends are descriptors
    // of the process, so the worker can hand them to the agent as they are.
    start: (program, args, options) =>
      processRunner.startDetached(program, args, { ...options, stdout: fifos[0]!.write, stderr: fifos[1]!.write, ...(input ? { stdin: input.read } : {}) }),
    attach(onOutput) {
      // The child has its copies now; ours must go, or the reader would never see the end.
      closeWriteEnds();
      const streams = fifos.map((f, i) => {
        const stream = STREAMS[i]!;
        const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
        return new Socket({
          fd: f.read,
          readable: true,
          writable: false,
          onread: {
            buffer,
            callback: (n: number) => {
              onOutput(stream, buffer.subarray(0, n));
              return true; // pausing is the collector's call (socket.pause), not this one's
            },
          },
        });
      });
      streams.forEach((s) => s.on('error', () => undefined));
      const closed = Promise.all(streams.map((s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.once('close', () => resolve()))))).then(
        () => undefined,
      );
      let writer: Socket | null = null;
      if (input) {
        writer = new Socket({ fd: input.write, readable: false, writable: true });
        writer.on('error', () => undefined); // the agent exited without reading: nothing to tell it any more
      }
      return { streams, closed, input: writer };
    },
    abandon() {
      closeWriteEnds();
      fifos.forEach((f) => closeSync(f.read));
      if (input) closeSync(input.write);
    },
  };
}

function plainPipes(stdin: boolean): AgentPipes {
  let child: ChildProcess | null = null;
  return {
    reusesBuffers: false,
    start(program, args, options) {
      return new Promise((resolve, reject) => {
        const c = spawn(program, args, { ...options, detached: true, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true });
        c.once('spawn', () => {
          child = c;
          resolve(c as AgentProcess);
        });
        c.once('error', (e) => {
          if (c.pid === undefined) reject(e);
        });
      });
    },
    attach(onOutput) {
      if (!child) throw new Error('attach() before start() resolved');
      const c = child;
      const streams = [c.stdout!, c.stderr!];
      streams.forEach((s, i) => {
        const stream = STREAMS[i]!;
        s.on('data', (chunk: Buffer) => onOutput(stream, chunk));
        s.on('error', () => undefined);
      });
      const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
      c.stdin?.on('error', () => undefined);
      return { streams, closed, input: c.stdin ?? null };
    },
    abandon() {},
  };
}
