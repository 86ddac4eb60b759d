// The messages between the process runner (processRunner.ts, on the main thread) and its worker
// (processRunner.worker.ts). Both sides type what they send and receive from these. Types only.

/** What a program run to its end gave. */
export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout was cut at maxBuffer. */
  truncated: boolean;
}

/** Run a program to its end and collect its output (execFile). */
export interface RunRequest {
  kind: 'run';
  id: number;
  program: string;
  args: readonly string[];
  cwd: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Bytes of stdout kept. */
  maxBuffer: number;
  /** Bytes of stderr kept. */
  maxStderr: number;
  /** SIGKILL after this long. */
  timeoutMs: number | undefined;
  /** Written to its stdin (else stdin is closed). */
  input: string | undefined;
}

/** Start an agent in its own process group, writing into descriptors the main thread opened. */
export interface SpawnRequest {
  kind: 'spawn';
  id: number;
  program: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: number;
  stderr: number;
  /** A descriptor to read stdin from (a FIFO's read end); absent: no stdin. */
  stdin?: number;
}

export type RunnerRequest = RunRequest | SpawnRequest;

/**
 * Each request is answered once with `result` (run) or `started` then `exited` (spawn), or with
 * `failed` if the program could not be started.
 */
export type RunnerReply =
  | { kind: 'result'; id: number; result: ExecResult }
  | { kind: 'failed'; id: number; error: string; errno: string | undefined }
  | { kind: 'started'; id: number; pid: number }
  | { kind: 'exited'; id: number; code: number | null; signal: NodeJS.Signals | null };
