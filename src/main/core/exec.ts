// Runs a program with an argv array — never a shell — and collects its output.
import { spawn } from 'node:child_process';

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

/** Resolves with the result whatever the exit code; rejects only if the program could not run. */
export function execFile(program: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const maxBuffer = options.maxBuffer ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      if (outBytes >= maxBuffer) {
        truncated = true;
        return;
      }
      const room = maxBuffer - outBytes;
      if (chunk.length > room) truncated = true;
      out.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      outBytes += Math.min(chunk.length, room);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (errBytes < 1024 * 1024) {
        err.push(chunk);
        errBytes += chunk.length;
      }
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : null;
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      reject(new ExecError(`${program} could not be started: ${e.message}`, null, e.code));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), truncated });
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}
