// The process runner's thread (processRunner.ts says why it exists): starts programs with an argv
// array, never a shell, and answers each request as processRunnerProtocol.ts says. A worker entry:
// it imports only Node's built-ins and its protocol.
import { spawn, type ChildProcess } from 'node:child_process';
import { parentPort } from 'node:worker_threads';
import type { RunnerReply, RunnerRequest, RunRequest, SpawnRequest } from './processRunnerProtocol';

const port = parentPort;
if (!port) throw new Error('processRunner.worker runs only as a worker thread');
const reply = (message: RunnerReply) => port.postMessage(message);
const failed = (id: number, e: unknown): RunnerReply => ({ kind: 'failed', id, error: (e as Error).message, errno: (e as NodeJS.ErrnoException).code });

port.on('message', (r: RunnerRequest) => (r.kind === 'spawn' ? startDetached(r) : run(r)));

// An agent: detached in its own process group, writing into descriptors the main thread opened
// (they belong to the process, not to a thread). Its exit is reported when it happens.
function startDetached(r: SpawnRequest): void {
  let child: ChildProcess;
  try {
    child = spawn(r.program, r.args, { cwd: r.cwd, env: r.env, detached: true, stdio: [r.stdin ?? 'ignore', r.stdout, r.stderr], windowsHide: true });
  } catch (e) {
    return reply(failed(r.id, e));
  }
  child.once('spawn', () => reply({ kind: 'started', id: r.id, pid: child.pid! }));
  child.once('error', (e) => {
    if (child.pid === undefined) reply(failed(r.id, e));
  });
  child.once('exit', (code, signal) => reply({ kind: 'exited', id: r.id, code, signal }));
}

function run(r: RunRequest): void {
  let child: ChildProcess;
  try {
    child = spawn(r.program, r.args, { cwd: r.cwd, env: r.env, stdio: [r.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true });
  } catch (e) {
    return reply(failed(r.id, e));
  }
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outBytes = 0;
  let errBytes = 0;
  let truncated = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (outBytes >= r.maxBuffer) {
      truncated = true;
      return;
    }
    const room = r.maxBuffer - outBytes;
    if (chunk.length > room) truncated = true;
    out.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    outBytes += Math.min(chunk.length, room);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    if (errBytes < r.maxStderr) {
      err.push(chunk);
      errBytes += chunk.length;
    }
  });
  const timer = r.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), r.timeoutMs) : null;
  let answered = false;
  const answer = (message: RunnerReply) => {
    if (timer) clearTimeout(timer);
    if (answered) return;
    answered = true;
    reply(message);
  };
  child.on('error', (e) => answer(failed(r.id, e)));
  child.on('close', (code, signal) =>
    answer({
      kind: 'result',
      id: r.id,
      result: { code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), truncated },
    }),
  );
  if (r.input !== undefined) {
    child.stdin!.on('error', () => {}); // a program that exits without reading its input
    child.stdin!.end(r.input);
  }
}
