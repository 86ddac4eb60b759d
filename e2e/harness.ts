// One Switchyard per test: a temp git repository with two extra worktrees and a
// .switchyard/pipelines.json whose stages run the fixture agents, a temp data dir, and
// `npm run serve` on a free port. Also a WebSocket client to compare the UI with the core.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import type { Method, ParamsIn, Result } from '../src/shared/contract';

const root = resolve(import.meta.dirname, '..');
const agents = join(root, 'test/fixtures/agents');
const node = process.execPath;

export interface Switchyard {
  url: string;
  port: number;
  token: string;
  dir: string;
  repo: string;
  worktrees: { a: string; b: string };
  /** A string unique to this test, passed to long-running agents so their processes can be found. */
  marker: string;
  /** A file path the `gated` pipeline's implement stage waits for ({issueId} substituted). */
  gate(issueId: string): string;
  rpc: Rpc;
  stop(): Promise<void>;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'pipe' });
}

function pipelines(dir: string, marker: string) {
  const plan = { name: 'plan', agent: 'architect', run: [node, join(agents, 'plan.mjs')], captureAs: 'plan' };
  const approve = { name: 'approve', approval: true };
  const implement = {
    name: 'implement',
    agent: 'developer',
    run: [node, join(agents, 'edit.mjs'), '--say', 'implementing {issueId}', '--write', 'README.md=# Changed by {issueId}', '--write', 'src/new.txt=new file', '--delete', 'old.txt', '--say', 'implementation done'],
  };
  const review = { name: 'review', agent: 'reviewer', run: [node, join(agents, 'review.mjs'), '--state', join(dir, 'review-{issueId}'), '--rounds', '0'] };
  return {
    pipelines: {
      default: { description: 'plan, approval, implement, review', stages: [plan, approve, implement, review] },
      gated: {
        description: 'implement waits for the test to open a gate',
        stages: [plan, approve, { ...implement, run: [node, join(agents, 'edit.mjs'), '--say', 'waiting for the gate', '--wait-for', join(dir, 'gate-{issueId}'), ...implement.run.slice(2)] }, review],
      },
      hang: { description: 'an agent that runs until it is killed', stages: [{ name: 'work', agent: 'developer', run: [node, join(agents, 'hang.mjs'), `${marker}-{issueId}`] }] },
      quick: { description: 'one short stage', stages: [{ name: 'note', agent: 'developer', run: [node, join(agents, 'edit.mjs'), '--say', 'done quickly'] }] },
      streamed: {
        description: 'stages that print Claude Code stream-json (e2e/fixtures/claude-stream.mjs)',
        stages: [
          { ...plan, run: [node, join(root, 'e2e/fixtures/claude-stream.mjs'), '--plan', '--cost', '0.0123'], output: 'claude-stream-json' },
          approve,
          {
            name: 'implement',
            agent: 'developer',
            run: [node, join(root, 'e2e/fixtures/claude-stream.mjs'), '--write', 'hello.txt=Hello', '--garbage', '--chatter', '80', '--wait-for', join(dir, 'gate-{issueId}'), '--cost', '0.5'],
            output: 'claude-stream-json',
          },
        ],
      },
      asks: {
        description: 'an agent that asks before two Bash commands (rule 11)',
        stages: [
          {
            name: 'implement',
            agent: 'developer',
            run: [node, join(agents, 'claude-asks.mjs'), '-p', 'implement {issueId}', '--ask', 'npm test', '--ask', 'make deploy'],
            output: 'claude-stream-json',
            permissions: { ask: 'human' },
          },
        ],
      },
      ticker: {
        description: 'steady output',
        stages: [{ name: 'stream', agent: 'developer', run: [node, join(root, 'e2e/fixtures/ticker.mjs'), '--count', '150', '--every', '15'] }],
      },
      long: {
        description: 'a fast stream of 2,400 messages (more rows than the event stream keeps in its tail window)',
        stages: [{ name: 'chatter', agent: 'developer', run: [node, join(root, 'e2e/fixtures/claude-stream.mjs'), '--chatter', '2400'], output: 'claude-stream-json' }],
      },
    },
  };
}

export function createRepo(dir: string, marker: string): { repo: string; a: string; b: string } {
  const repo = join(dir, 'acme');
  mkdirSync(join(repo, '.switchyard'), { recursive: true });
  writeFileSync(join(repo, 'README.md'), '# Acme\n');
  writeFileSync(join(repo, 'old.txt'), 'to be removed\n');
  writeFileSync(join(repo, '.switchyard/pipelines.json'), JSON.stringify(pipelines(dir, marker), null, 2));
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'e2e@example.com');
  git(repo, 'config', 'user.name', 'e2e');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'initial');
  const a = join(dir, 'acme-feature-a');
  const b = join(dir, 'acme-feature-b');
  git(repo, 'worktree', 'add', '-q', '-b', 'feature-a', a);
  git(repo, 'worktree', 'add', '-q', '-b', 'feature-b', b);
  return { repo, a, b };
}

export function waitForUrl(child: ChildProcess, log: string[]): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      log.push(chunk.toString());
      const m = /Switchyard listening on (http:\/\/\S+)/.exec(out);
      if (m) resolveUrl(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => log.push(c.toString()));
    child.once('exit', (code) => reject(new Error(`npm run serve exited (${code}) before listening:\n${log.join('')}`)));
  });
}

/** `env`: extra variables for the server (e.g. GH_TOKEN for the GitHub stand-in of github.spec.ts). */
export async function startSwitchyard(extraEnv: Record<string, string> = {}): Promise<Switchyard> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
  const marker = `sy-e2e-${randomUUID()}`;
  const { repo, a, b } = createRepo(dir, marker);
  const dataDir = join(dir, 'data');
  const log: string[] = [];
  const env = { ...process.env, ...extraEnv };
  delete env.SWITCHYARD_TOKEN;
  const child = spawn('npm', ['run', 'serve', '--', '--port', '0', '--data-dir', dataDir, '--repo', repo], {
    cwd: root,
    detached: true, // its own process group, so stop() ends npm, tsx and the server together
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await waitForUrl(child, log);
  const parsed = new URL(url);
  const port = Number(parsed.port);
  const token = parsed.searchParams.get('token')!;
  const rpc = await Rpc.connect(port, token);
  return {
    url,
    port,
    token,
    dir,
    repo,
    worktrees: { a, b },
    marker,
    gate: (issueId) => join(dir, `gate-${issueId}`),
    rpc,
    async stop() {
      rpc.close();
      const group = -child.pid!;
      try {
        process.kill(group, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(group, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 8000);
      await exited;
      clearTimeout(timer);
      for (const pid of pidsWith(marker)) {
        try {
          process.kill(pid, 'SIGKILL'); // an agent the server failed to end: never leave one behind
        } catch {
          /* gone */
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Ids of the processes whose command line contains `text` (Linux /proc). */
export function pidsWith(text: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) pids.push(Number(name));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

/** A minimal contract client over the server's WebSocket (token and Origin like a browser). */
export class Rpc {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { code: string; message: string } };
      if (typeof msg.id !== 'number') return;
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      if (msg.error) w.reject(new Error(`${msg.error.code}: ${msg.error.message}`));
      else w.resolve(msg.result);
    });
  }

  static connect(port: number, token: string): Promise<Rpc> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`, { origin: `http://127.0.0.1:${port}` });
    return new Promise((ok, fail) => {
      ws.once('open', () => ok(new Rpc(ws)));
      ws.once('error', fail);
    });
  }

  call<M extends Method>(method: M, params: ParamsIn<M>): Promise<Result<M>> {
    const id = this.next++;
    return new Promise((ok, fail) => {
      this.waiting.set(id, { resolve: ok as (v: unknown) => void, reject: fail });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Every event of a workflow, paged like any client. */
  async allEvents(workflowId: string) {
    const all: Result<'events.list'> = [];
    for (;;) {
      const page = await this.call('events.list', { workflowId, afterSequence: all.at(-1)?.sequence ?? 0, limit: 5000 });
      all.push(...page);
      if (page.length < 5000) return all;
    }
  }

  close(): void {
    this.ws.close();
  }
}
