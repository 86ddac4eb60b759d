// The real headless server as a separate process: `node --import tsx src/main/serve.ts`, as
// `npm run serve` starts it. Ready when it prints its one "Switchyard listening on" line.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { trackPid, onCleanup } from './cleanup';
import { alive, rssKb } from './proc';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TOKEN = 'reliability-token-0123456789abcdef';
/** The entry `npm run serve` runs (`tsx src/main/serve.ts`). */
const SERVE_ENTRY = 'src/main/serve.ts';
const LISTENING = /^Switchyard listening on (http:\/\/127\.0\.0\.1:(\d+))\/\?token=(\S+)$/;

export interface StartOptions {
  dataDir: string;
  repos?: string[];
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class StartFailed extends Error {
  constructor(
    message: string,
    readonly exit: Exit | null,
    readonly output: string,
  ) {
    super(`${message}${output.trim() ? `; it printed: ${output.trim().slice(-2000)}` : ''}`);
  }
}

export class ServerProcess {
  readonly exited: Promise<Exit>;
  exit: Exit | null = null;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly token: string,
    exited: Promise<Exit>,
    private readonly outputOf: () => string,
  ) {
    this.exited = exited.then((e) => (this.exit = e));
  }

  /** Everything it printed on stdout and stderr (the last 64 kB). */
  get output(): string {
    return this.outputOf();
  }

  get pid(): number {
    return this.child.pid!;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.exit === null && alive(this.pid);
  }

  rssKb(): number | null {
    return rssKb(this.pid);
  }

  /** Starts the server and waits for its listening line; rejects with its output if it exits first. */
  static start(options: StartOptions): Promise<ServerProcess> {
    const args = ['--import', 'tsx', SERVE_ENTRY, '--port', '0', '--data-dir', options.dataDir];
    for (const r of options.repos ?? []) args.push('--repo', r);
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, SWITCHYARD_TOKEN: TOKEN, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const untrack = trackPid(child.pid!);
    let out = '';
    const append = (s: string) => {
      out += s;
      if (out.length > 65536) out = out.slice(-65536);
    };
    const exited = new Promise<Exit>((res) =>
      child.once('exit', (code, signal) => {
        untrack();
        res({ code, signal });
      }),
    );
    const removeCleanup = onCleanup(`server ${child.pid}`, async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    });
    void exited.then(() => removeCleanup());
    child.stderr!.setEncoding('utf8').on('data', (s: string) => append(s));
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    return new Promise<ServerProcess>((res, rej) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        child.kill('SIGKILL');
        rej(new StartFailed(`the server printed no listening line within ${timeoutMs} ms`, null, out));
      }, timeoutMs);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        append(line + '\n');
        const m = LISTENING.exec(line.trim());
        if (m && !done) {
          done = true;
          clearTimeout(timer);
          res(new ServerProcess(child, Number(m[2]), decodeURIComponent(m[3]!), exited, () => out));
        }
      });
      void exited.then((e) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        rej(new StartFailed(`the server exited (code ${e.code}, signal ${e.signal}) before listening`, e, out));
      });
    });
  }

  /** kill -9, and wait until the process is gone. */
  async kill9(): Promise<Exit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** A clean stop (SIGTERM); SIGKILL if it is not gone within `graceMs`. */
  async stop(graceMs = 15_000): Promise<Exit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const e = await this.exited;
    clearTimeout(timer);
    return e;
  }
}
