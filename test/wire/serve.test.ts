// `npm run serve` as a child process (docs/design.md §4.2): the one printed line, the contract over the
// WebSocket, a clean SIGTERM (exit 0, data kept), and start-up failures as one line and exit 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../src/main/core/testing/gitFixture';
import { makeHarness } from '../../src/main/core/testing/harness';
import { repoServiceFor } from '../../src/main/core/createCore';
import { parseServeArgs } from '../../src/main/server/args';
import { StartupError, startServe, type ServeCore } from '../../src/main/server/serveRuntime';
import { RawClient } from './helpers';
import buildWindowIfStale from '../../e2e/globalSetup';

const TOKEN = 'child-token-0123456789abcdef';
const LINE = /^Switchyard listening on http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)$/;

let tmp: string;
let box: Sandbox;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'switchyard-serve-'));
  box = sandbox();
  // On a fresh clone `npm run serve` builds the window first and says so on stderr; build it here
  // so the runs under test start from a built window and their stderr is theirs alone.
  buildWindowIfStale();
}, 180_000);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  box.cleanup();
});

interface Child {
  proc: ChildProcess;
  stdout: string[];
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, detached = false): Child {
  const proc = spawn(cmd, args, { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached });
  const child: Child = {
    proc,
    stdout: [],
    stderr: '',
    exit: new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  let buf = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    const lines = buf.split('\n');
    buf = lines.pop()!;
    child.stdout.push(...lines);
  });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (child.stderr += d));
  return child;
}

/** Resolves with the port and token of the printed line (or fails with the child's stderr). */
function ready(child: Child): Promise<{ port: number; token: string; line: string }> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = child.stdout.find((l) => LINE.test(l));
      if (line) {
        const m = LINE.exec(line)!;
        resolve({ port: Number(m[1]), token: decodeURIComponent(m[2]!), line });
        return true;
      }
      return false;
    };
    child.proc.stdout!.on('data', () => setImmediate(check));
    void child.exit.then(({ code }) => reject(new Error(`serve exited (${code}) before it was ready: ${child.stderr}`)));
    check();
  });
}

/** `npm run serve` in its own process group, stopped the way a terminal or service manager does. */
const npmServe = (args: string[], env: NodeJS.ProcessEnv = {}) => run('npm', ['run', '--silent', 'serve', '--', ...args], env, true);
const tsxServe = (args: string[], env: NodeJS.ProcessEnv = {}) => run(process.execPath, ['--import', 'tsx', 'src/main/serve.ts', ...args], env);
const wrapperServe = (args: string[], env: NodeJS.ProcessEnv = {}) => run(process.execPath, ['scripts/serve.mjs', ...args], env);

/** Resolves once no process of the group is left (process death has no event for non-children). */
async function groupGone(pgid: number, deadlineMs = 20_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  const alive = () =>
    readdirSync('/proc').some((name) => {
      if (!/^\d+$/.test(name)) return false;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid;
      } catch {
        return false;
      }
    });
  while (alive()) {
    if (Date.now() > deadline) throw new Error(`process group ${pgid} still alive after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('npm run serve (child process)', () => {
  it('prints one line, serves the contract, and shuts down cleanly on SIGTERM with its data kept', { timeout: 60_000 }, async () => {
    const dataDir = join(tmp, 'data');
    const repo = await box.repo('served');
    const child = npmServe(['--port', '0', '--data-dir', dataDir, '--repo', repo], { SWITCHYARD_TOKEN: TOKEN });
    const { port, token, line } = await ready(child);
    expect(token).toBe(TOKEN);
    expect(child.stdout).toEqual([line]);

    const origin = `http://127.0.0.1:${port}`;
    const server = { port, token, origin } as Parameters<typeof RawClient.open>[0];
    const c = await RawClient.open(server);
    const repos = await c.ok<{ id: string; path: string }[]>('repos.list', {});
    expect(repos.map((r) => r.path)).toEqual([repo]);
    const worktrees = await c.ok<{ path: string; isMain: boolean }[]>('worktrees.list', { repoId: repos[0]!.id });
    expect(worktrees).toMatchObject([{ path: repo, isMain: true }]);
    expect((await c.ok<{ name: string }[]>('pipelines.list', { worktreePath: repo })).length).toBeGreaterThan(0);
    expect(await c.ok('settings.set', { maxConcurrent: 3 })).toMatchObject({ maxConcurrent: 3 });
    expect(await c.call('workflows.get', { workflowId: 'nope' })).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await c.call('workflows.get', { workflowId: 7 })).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    await expect(RawClient.open(server, { origin: 'http://evil.example' }).then((r) => r.closed)).resolves.toMatchObject({ code: 1008 });

    // SIGTERM to the process group (npm, its shell and the server): the server closes every
    // connection with 1001 and the database cleanly (no WAL left behind), says nothing on stderr.
    // npm itself reports the signal its shell died of; the server's own exit code is checked below.
    const closed = c.closed;
    process.kill(-child.proc.pid!, 'SIGTERM');
    await child.exit;
    // npm exits at once; the server (its grandchild, same group) is still shutting down.
    await groupGone(child.proc.pid!);
    expect((await closed).code).toBe(1001);
    expect(child.stderr).toBe('');
    expect(existsSync(join(dataDir, 'switchyard.db-wal'))).toBe(false);

    // Started again on the same data (through the wrapper): what was acknowledged is still there.
    const again = wrapperServe(['--port', '0', '--data-dir', dataDir], { SWITCHYARD_TOKEN: TOKEN });
    const second = await ready(again);
    const c2 = await RawClient.open({ port: second.port, token: second.token, origin: `http://127.0.0.1:${second.port}` } as Parameters<typeof RawClient.open>[0]);
    expect(await c2.ok('settings.get', {})).toMatchObject({ maxConcurrent: 3 });
    expect((await c2.ok<unknown[]>('repos.list', {})).length).toBe(1);
    again.proc.kill('SIGTERM');
    expect(await again.exit).toEqual({ code: 0, signal: null });
  });

  it('a random token of at least 128 bits when SWITCHYARD_TOKEN is not set', { timeout: 30_000 }, async () => {
    const child = tsxServe(['--port', '0', '--data-dir', join(tmp, 'data-random')], { SWITCHYARD_TOKEN: '' });
    const { token } = await ready(child);
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    child.proc.kill('SIGINT');
    expect(await child.exit).toEqual({ code: 0, signal: null });
  });

  it.each([
    ['an unknown flag', ['--bogus'], /Unknown option '--bogus'/],
    ['a bad port', ['--port', 'http'], /--port must be a number/],
    ['a repository that is not one', ['--repo', '/'], /--repo \//],
  ])('fails to start with %s: one line on stderr, exit 1', { timeout: 30_000 }, async (_name, args, message) => {
    const child = tsxServe([...args, '--data-dir', join(tmp, 'data-fail')], { SWITCHYARD_TOKEN: TOKEN });
    expect((await child.exit).code).toBe(1);
    expect(child.stdout).toEqual([]);
    const lines = child.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('fails to start when the port is in use', { timeout: 30_000 }, async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const child = tsxServe(['--port', String(port), '--data-dir', join(tmp, 'data-busy')], { SWITCHYARD_TOKEN: TOKEN });
      expect((await child.exit).code).toBe(1);
      expect(child.stderr.trim()).toBe(`switchyard serve: Port ${port} on 127.0.0.1 is already in use; pick another with --port (0 = any free port)`);
    } finally {
      blocker.close();
    }
  });
});

describe('startServe (in process)', () => {
  const h = () => makeHarness();
  const coreOf = (harness: ReturnType<typeof makeHarness>): ServeCore => ({
    orchestrator: harness.orch,
    repos: repoServiceFor(harness.orch, harness.storage.db),
    close: () => harness.orch.close(),
  });

  it('git missing: a clear error, and the core is never opened', async () => {
    let opened = false;
    const err = await startServe({
      args: parseServeArgs([]),
      defaultDataDir: join(tmp, 'nogit'),
      token: TOKEN,
      staticDir: tmp,
      checkGit: () => Promise.reject(new Error('git was not found on PATH. Switchyard needs git 2.36.0 or newer')),
      createCore: () => {
        opened = true;
        throw new Error('unreachable');
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toMatch(/git was not found/);
    expect(opened).toBe(false);
  });

  it('refuses a short SWITCHYARD_TOKEN', async () => {
    await expect(
      startServe({ args: parseServeArgs([]), defaultDataDir: tmp, token: 'short', staticDir: tmp, checkGit: async () => ({}), createCore: () => coreOf(h()) }),
    ).rejects.toThrow(/at least 16 characters/);
  });

  it('--repo adds each repository; stop closes the server and then the core', async () => {
    const harness = h();
    const a = await box.repo('ra');
    const b = await box.repo('rb');
    const served = await startServe({
      args: parseServeArgs(['--port', '0', '--repo', a, '--repo', b]),
      defaultDataDir: join(tmp, 'default-data'),
      token: TOKEN,
      staticDir: tmp,
      checkGit: async () => ({}),
      createCore: () => coreOf(harness),
    });
    expect(served.dataDir).toBe(join(tmp, 'default-data'));
    expect(served.core.repos.list().map((r) => r.path).sort()).toEqual([a, b].sort());
    await served.stop();
    expect(harness.orch.isClosed).toBe(true);
    await harness.cleanup();
  });
});
