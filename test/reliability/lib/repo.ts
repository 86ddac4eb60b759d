// A real git repository with worktrees, each carrying the suite's `.switchyard/pipelines.json`
// (committed, so every `git worktree add` has it). Agents are the fixture agents of
// test/fixtures/agents plus test/reliability/agents/ticker.mjs, run with this Node, argv only.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './serverProcess';

const node = process.execPath;
const fixture = (name: string) => join(ROOT, 'test', 'fixtures', 'agents', name);
const own = (name: string) => join(ROOT, 'test', 'reliability', 'agents', name);

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Pipelines every scenario uses; `stateDir` holds files agents keep outside the worktree. */
export function pipelines(stateDir: string): Record<string, { stages: unknown[] }> {
  return {
    // Crash: a plan printed line by line, a gate, then an implementation that edits steadily.
    default: {
      stages: [
        { name: 'plan', agent: 'architect', run: [node, own('ticker.mjs'), '--count', '40', '--every', '25', '--plan'], captureAs: 'plan' },
        { name: 'approve', approval: true },
        { name: 'implement', agent: 'developer', run: [node, own('ticker.mjs'), '--count', '80', '--every', '25', '--edit', 'edits.log'] },
      ],
    },
    // Races: cheap stages (no Node start-up), so hundreds of workflows fit in a short run.
    storm: {
      stages: [
        { name: 'plan', agent: 'architect', run: ['/bin/echo', 'Plan for {issueId}'], captureAs: 'plan' },
        { name: 'approve', approval: true },
        { name: 'implement', agent: 'developer', run: ['/bin/sleep', '0.3'] },
      ],
    },
    // A plan, a gate, and an implementation that writes one file.
    gate: {
      stages: [
        { name: 'plan', agent: 'architect', run: [node, fixture('plan.mjs')], captureAs: 'plan' },
        { name: 'approve', approval: true },
        { name: 'implement', agent: 'developer', run: [node, fixture('edit.mjs'), '--write', 'result.txt=implemented', '--say', 'implemented'] },
      ],
    },
    // An agent that edits forever, with a grandchild that left the process group.
    editForever: {
      stages: [{ name: 'implement', agent: 'developer', run: [node, own('ticker.mjs'), '--count', '0', '--every', '20', '--edit', 'edits.log'] }],
    },
    editEscape: {
      stages: [{ name: 'implement', agent: 'developer', run: [node, own('ticker.mjs'), '--count', '0', '--every', '20', '--edit', 'edits.log', '--escape'] }],
    },
    stubborn: { stages: [{ name: 'implement', agent: 'developer', run: [node, fixture('stubborn.mjs')] }] },
    stubbornEscape: { stages: [{ name: 'implement', agent: 'developer', run: [node, fixture('stubborn.mjs'), '--escape'] }] },
    flood: { stages: [{ name: 'implement', agent: 'developer', run: [node, fixture('flood.mjs'), '--mb', '100'] }] },
    exitMidStage: {
      stages: [
        { name: 'plan', agent: 'architect', run: [node, fixture('plan.mjs')], captureAs: 'plan' },
        { name: 'implement', agent: 'developer', run: [node, fixture('fail.mjs'), '--code', '1', '--message', 'compiler exploded'] },
        { name: 'review', agent: 'reviewer', run: [node, fixture('review.mjs'), '--state', join(stateDir, 'never-reached')] },
      ],
    },
    detachStdout: { stages: [{ name: 'implement', agent: 'developer', run: [node, fixture('detach-stdout.mjs')] }] },
    timeout: { stages: [{ name: 'implement', agent: 'developer', run: [node, fixture('hang.mjs')], timeoutSeconds: 1 }] },
  };
}

export interface TestRepo {
  repo: string;
  worktrees: string[];
  stateDir: string;
}

/** A repository under `dir` with `count` worktrees (wt-0 … wt-N). */
export function makeRepo(dir: string, count: number): TestRepo {
  const repo = join(dir, 'repo');
  const stateDir = join(dir, 'state');
  mkdirSync(join(repo, '.switchyard'), { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'rel@example.invalid');
  git(repo, 'config', 'user.name', 'Reliability');
  writeFileSync(join(repo, '.switchyard', 'pipelines.json'), JSON.stringify({ pipelines: pipelines(stateDir) }, null, 2));
  writeFileSync(join(repo, 'README.md'), '# test repo\n');
  writeFileSync(join(repo, 'old.txt'), 'old\n');
  // Agents' edit logs are not the point of the diff: keep `git status` small and fast.
  writeFileSync(join(repo, '.gitignore'), 'edits.log\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'init');
  const worktrees: string[] = [];
  for (let i = 0; i < count; i++) {
    const wt = join(dir, 'worktrees', `wt-${i}`);
    git(repo, 'worktree', 'add', '-q', '-b', `wt-${i}`, wt);
    worktrees.push(wt);
  }
  return { repo, worktrees, stateDir };
}
