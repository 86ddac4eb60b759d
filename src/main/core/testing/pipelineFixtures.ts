// Test support for the pipeline runner: temporary git repositories, the fixture agents of
// test/fixtures/agents, and waiting on real signals (events on the bus, /proc).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowEvent } from '../../../shared/events';
import { execFile } from '../process/processRunner';
import type { Orchestrator } from '../orchestrator';
import { scanProcesses } from '../process/procScan';

export const FIXTURE_AGENTS = fileURLToPath(new URL('../../../../test/fixtures/agents/', import.meta.url));

/** argv running a fixture agent with this Node: `agent('plan.mjs', '--file', 'PLAN.md')`. */
export function agent(script: string, ...args: string[]): string[] {
  return [process.execPath, join(FIXTURE_AGENTS, script), ...args];
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await execFile('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, env: GIT_ENV });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A new git repository under `parent` with `files` committed (`pipelines` becomes .switchyard/pipelines.json). */
export async function makeRepo(parent: string, files: Record<string, string> = {}, pipelines?: unknown): Promise<string> {
  const repo = mkdtempSync(join(parent, 'repo-'));
  await git(repo, 'init', '-q');
  const all: Record<string, string> = { 'README.md': '# test repository\n', ...files };
  if (pipelines !== undefined) all['.switchyard/pipelines.json'] = JSON.stringify(pipelines, null, 2);
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', 'initial');
  return repo;
}

export function tempDir(prefix = 'switchyard-pipeline-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every event of a workflow as committed, in order. */
export function eventsOf(orch: Orchestrator, workflowId: string): WorkflowEvent[] {
  const all: WorkflowEvent[] = [];
  for (;;) {
    const page = orch.listEvents({ workflowId, afterSequence: all.length, limit: 5000 });
    all.push(...page);
    if (page.length < 5000) return all;
  }
}

/** Resolves with the first event of the workflow (already stored or still to come) that matches. */
export function waitForEvent(orch: Orchestrator, workflowId: string, match: (e: WorkflowEvent) => boolean): Promise<WorkflowEvent> {
  return new Promise((resolve) => {
    const off = orch.bus.on('events', ({ workflowId: id, events }) => {
      if (id !== workflowId) return;
      const hit = events.find(match);
      if (hit) {
        off();
        resolve(hit);
      }
    });
    const stored = eventsOf(orch, workflowId).find(match);
    if (stored) {
      off();
      resolve(stored);
    }
  });
}

/** Live processes (any process group) that carry the workflow's marker. */
export async function markedAlive(workflowId: string): Promise<number[]> {
  const scan = await scanProcesses(-1, workflowId);
  if (!scan) throw new Error('these tests need /proc');
  return [...scan.inGroup, ...scan.escaped];
}

/** Event types in order, with the path of file events (`file_created:src/a.txt`) and runs of agent_output folded into one. */
export function typeSequence(events: WorkflowEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const label = e.type.startsWith('file_') ? `${e.type}:${String(e.data?.path)}` : e.type;
    if (label === 'agent_output' && out[out.length - 1] === 'agent_output') continue;
    out.push(label);
  }
  return out;
}
