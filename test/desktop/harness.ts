// Runs the BUILT desktop app (out/main/index.js, out/preload/index.cjs, out/renderer/) in this
// Node process, with the Electron stand-in in place of `electron` and the real core, git and
// agent processes. Each launch is a fresh instance of the bundle (its own module state), as if
// Electron had been started again.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Reply, SwitchyardBridge } from '../../src/shared/bridge';
import type { Push } from '../../src/shared/contract';
import { newestMtime } from '../../e2e/globalSetup';
import { MAIN_EXPORTS, StandInElectron, waitOn, type StandInBrowserWindow } from './electronStandIn';

export const root = resolve(import.meta.dirname, '../..');
export const OUT = {
  main: join(root, 'out/main/index.js'),
  preload: join(root, 'out/preload/index.cjs'),
  renderer: join(root, 'out/renderer/index.html'),
  /** The core's worker threads, each built as its own entry beside the main bundle. */
  processRunnerWorker: join(root, 'out/main/processRunner.worker.js'),
  checkpointWorker: join(root, 'out/main/checkpoint.worker.js'),
};

/** Builds out/ (npx electron-vite build) when any bundle is missing or older than src/ or the build config. */
export function ensureBuilt(): void {
  const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'electron.vite.config.ts')).mtimeMs);
  const stale = Object.values(OUT).some((f) => !existsSync(f) || statSync(f).mtimeMs < sources);
  if (!stale) return;
  execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

const REGISTRY = Symbol.for('switchyard.electronStandIns');
type Registry = Map<string, Record<string, unknown>>;
const registry = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= new Map()) as Registry;
let hookRegistered = false;
let launches = 0;

export interface LaunchOptions {
  /** Electron's userData folder (Switchyard's database lives there). */
  userData: string;
  /** Extra environment for this launch (set while the app starts, restored after). */
  env?: Record<string, string | undefined>;
  /** Accelerators another application holds (globalShortcut.register returns false). */
  takenAccelerators?: string[];
}

/** One running instance of the built app. */
export class AppInstance {
  readonly pushes: Push[] = [];
  readonly navigations: string[] = [];
  private readonly signalListeners: { signal: NodeJS.Signals; listener: (...args: unknown[]) => void }[] = [];

  constructor(
    readonly electron: StandInElectron,
    readonly userData: string,
  ) {}

  get window(): StandInBrowserWindow {
    const w = this.electron.windows.find((x) => !x.isDestroyed());
    if (!w) throw new Error('the app has no window');
    return w;
  }

  /** `window.switchyard`, as the preload exposed it in the page. */
  get api(): SwitchyardBridge {
    const api = this.window.webContents.mainWorld.get('switchyard');
    if (!api) throw new Error(`the page has no window.switchyard (preload error: ${this.window.webContents.preloadError?.message ?? 'none'})`);
    return api as SwitchyardBridge;
  }

  /** Calls a contract method through the preload's API and unwraps the reply. */
  async call<T>(group: string, method: string, params: unknown): Promise<T> {
    const fn = (this.api as unknown as Record<string, Record<string, (p: unknown) => Promise<Reply<T>>>>)[group]?.[method];
    if (!fn) throw new Error(`window.switchyard.${group}.${method} does not exist`);
    const reply = await fn(params);
    if ('error' in reply) throw new Error(`${group}.${method}: ${reply.error.code} ${reply.error.message}`);
    return reply.result;
  }

  /** Listens to pushes and navigation requests the way the renderer does, through the preload. */
  listen(): void {
    this.api.subscribe((push) => {
      this.pushes.push(push);
      this.electron.emit('record');
    });
    this.api.onNavigate((id) => {
      this.navigations.push(id);
      this.electron.emit('record');
    });
  }

  /** Waits for a `workflow` push with this status (the window's view of the workflow). */
  async waitForStatus(workflowId: string, status: string, timeoutMs = 30_000): Promise<void> {
    const seen = () => this.pushes.some((p) => p.push === 'workflow' && p.data.id === workflowId && p.data.status === status);
    await this.electron.waitFor(`workflow ${workflowId} to become ${status}`, seen, timeoutMs);
  }

  /** Waits for an agent_output event of the workflow whose message matches. */
  waitForOutput(workflowId: string, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return this.electron.waitFor(`output ${pattern} from ${workflowId}`, () => {
      for (const p of this.pushes) {
        if (p.push !== 'events' || p.data.workflowId !== workflowId) continue;
        for (const e of p.data.events) {
          const m = e.message.match(pattern);
          if (m) return m;
        }
      }
      return undefined;
    }, timeoutMs);
  }

  trackSignals(before: Map<NodeJS.Signals, unknown[]>): void {
    for (const [signal, old] of before) {
      for (const listener of process.listeners(signal)) if (!old.includes(listener)) this.signalListeners.push({ signal, listener: listener as (...args: unknown[]) => void });
    }
  }

  /** Delivers a signal to the app as the OS would: runs the handlers the app installed for it. */
  signal(signal: NodeJS.Signals): void {
    const mine = this.signalListeners.filter((l) => l.signal === signal);
    if (mine.length === 0) throw new Error(`the app installed no ${signal} handler`);
    for (const { listener } of mine) {
      process.off(signal, listener); // installed with process.once
      listener(signal);
    }
  }

  /** Once the app exited: removes the signal handlers it installed on this (shared) process. */
  forget(): void {
    for (const { signal, listener } of this.signalListeners) process.off(signal, listener);
    this.signalListeners.length = 0;
  }

  /** Quits (answering "Cancel all and quit" if asked) and waits for app.exit. */
  async shutdown(): Promise<number> {
    if (this.electron.app.exitCode === null) {
      this.electron.app.quit();
      // With nothing active the app quits without asking.
      const box = await this.electron.waitFor('the quit question or the exit', () => (this.electron.app.exitCode !== null ? 'exited' : this.electron.messageBoxes[0]));
      if (box !== 'exited') await box.clickButton('Cancel all and quit');
    }
    const code = await this.electron.app.exited;
    this.forget();
    return code;
  }
}

/**
 * Starts a fresh instance of out/main/index.js with a new stand-in: imports the bundle (which runs
 * runDesktopApp), then fires app 'ready'. Resolves once the app got as far as it goes: the window
 * finished loading, or the app exited (second instance).
 */
export async function launch(options: LaunchOptions): Promise<AppInstance> {
  if (!hookRegistered) {
    register(new URL('./electronHook.mjs', import.meta.url), { data: { exportNames: [...MAIN_EXPORTS] } });
    hookRegistered = true;
  }
  const id = `app${++launches}`;
  const electron = new StandInElectron();
  electron.app.setPath('userData', options.userData);
  for (const a of options.takenAccelerators ?? []) electron.takenAccelerators.add(a);
  registry.set(id, electron.exports());
  const instance = new AppInstance(electron, options.userData);

  const saved = new Map<string, string | undefined>();
  const env = { ELECTRON_RENDERER_URL: undefined, SWITCHYARD_USER_DATA_DIR: undefined, ...options.env };
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const signals = new Map<NodeJS.Signals, unknown[]>((['SIGINT', 'SIGTERM'] as const).map((s) => [s, process.listeners(s)]));
  try {
    await import(`${pathToFileURL(OUT.main).href}?standIn=${id}`);
    electron.app.fireReady();
    await waitOn(electron, 'record', 'the window to load, or the app to exit', () => {
      if (electron.app.exitCode !== null) return true;
      const w = electron.windows[0];
      if (!w) return undefined;
      return w.webContents.getURL() !== '' || w.webContents.preloadError ? true : undefined;
    }, 20_000);
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    instance.trackSignals(signals);
  }
  return instance;
}

/** A temporary folder for one test. */
export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `switchyard-shell-${name}-`));
}

/**
 * A git repository whose pipelines run real processes: `tree` starts an agent that starts a child
 * (a process tree) and prints both pids, then runs until stopped; `gated` plans, waits at the
 * approval gate, then runs the tree; `failing` exits 3; `quick` completes at once.
 */
export function makeRepo(dir: string): void {
  mkdirSync(join(dir, '.switchyard'), { recursive: true });
  const node = process.execPath;
  const tree = [
    node,
    '-e',
    "const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log('pids ' + process.pid + ' ' + c.pid); setInterval(() => {}, 1000);",
  ];
  const pipelines = {
    pipelines: {
      tree: { stages: [{ name: 'work', agent: 'developer', run: tree }] },
      gated: {
        stages: [
          { name: 'plan', agent: 'architect', run: [node, '-e', "console.log('the plan: do it')"], captureAs: 'plan' },
          { name: 'approve', approval: true },
          { name: 'work', agent: 'developer', run: tree },
        ],
      },
      failing: { stages: [{ name: 'work', agent: 'developer', run: [node, '-e', "console.error('it broke'); process.exit(3)"] }] },
      quick: { stages: [{ name: 'work', agent: 'developer', run: [node, '-e', "console.log('done')"] }] },
      // Rule 11: an agent that asks before `npm test`, speaking Claude Code's stdio permission protocol.
      asks: {
        stages: [
          {
            name: 'work',
            agent: 'developer',
            run: [node, resolve(import.meta.dirname, '../fixtures/agents/claude-asks.mjs'), '-p', 'test it', '--ask', 'npm test'],
            output: 'claude-stream-json',
            permissions: { ask: 'human' },
          },
        ],
      },
    },
  };
  writeFileSync(join(dir, '.switchyard', 'pipelines.json'), JSON.stringify(pipelines, null, 2));
  writeFileSync(join(dir, 'README.md'), '# test repo\n');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=shell@example.com', '-c', 'user.name=shell', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
}

/** Is the process still there and not a zombie (a zombie has exited; only its entry remains)? */
export function isRunning(pid: number): boolean {
  if (!existsSync('/proc/self/stat')) {
    // No /proc (macOS, Windows): signal 0 tells whether the pid exists.
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * Waits until none of the pids runs. Processes outside this one's children cannot be awaited, so
 * this re-reads /proc at each turn of the event loop's timers until they are gone or time is up.
 */
export async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isRunning);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((r) => setTimeout(r, 25));
  }
}
