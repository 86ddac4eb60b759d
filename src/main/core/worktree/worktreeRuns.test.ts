// Rule 13 over real git worktrees and real processes: setup steps (npm ci), a failing step, a
// workflow queued behind a running setup, ports, and the run command's life.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../../shared/errors';
import { commitFile, sh, write } from '../testing/gitFixture';
import { mkdirSync } from 'node:fs';
import { Client } from '../../../../test/reliability/lib/client';
import { ServerProcess } from '../../../../test/reliability/lib/serverProcess';
import { createCore } from '../createCore';
import { commitSetup, PORT_SERVER, setupEnded, setupWorld, waitForEvent, type SetupWorld } from '../testing/worktreeFixtures';

const PORT_BASE = 43_100 + (process.pid % 50) * 20;
let w: SetupWorld;
beforeAll(() => {
  w = setupWorld(PORT_BASE);
});
afterAll(() => w.cleanup());

async function repoWith(name: string, setup: unknown): Promise<string> {
  const repo = await w.box.repo(name);
  await commitSetup(repo, setup);
  return repo;
}

async function refused(p: Promise<unknown>): Promise<SwitchyardError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SwitchyardError);
  return e as SwitchyardError;
}

describe('setup steps', () => {
  it('installs with npm ci and sees the SWITCHYARD_* variables and its ports; events are live and gapless', async () => {
    const repo = await repoWith('npm', {
      version: 1,
      steps: [
        { name: 'install', run: ['npm', 'ci', '--offline', '--no-audit', '--no-fund'] },
        { name: 'env', run: ['node', '-e', 'require("fs").writeFileSync("env.txt", process.env.SWITCHYARD_PORT_BASE + " " + process.env.SWITCHYARD_WORKTREE)'] },
      ],
    });
    write(join(repo, 'package.json'), JSON.stringify({ name: 'tiny', version: '1.0.0', private: true }));
    write(
      join(repo, 'package-lock.json'),
      JSON.stringify({ name: 'tiny', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'tiny', version: '1.0.0' } } }),
    );
    await commitFile(repo, '.gitignore', 'env.txt\nnode_modules/\n.env\n');
    await commitFile(repo, '.worktreeinclude', '.env\n');
    write(join(repo, '.env'), 'TOKEN=local\n');
    await commitFile(repo, 'package.json', readFileSync(join(repo, 'package.json'), 'utf8'));
    await commitFile(repo, 'package-lock.json', readFileSync(join(repo, 'package-lock.json'), 'utf8'));
    const core = w.core;
    const r = await core.repos.add(repo);
    const wt = await core.repos.createWorktree({ repoId: r.id, branch: 'npm-wt' });
    expect(wt.setup?.status).toBe('running');
    expect(wt.portBase).toBeGreaterThanOrEqual(PORT_BASE);

    const end = await setupEnded(core, wt.setup!.id);
    expect(end.type).toBe('setup_completed');
    expect(readFileSync(join(wt.path, 'env.txt'), 'utf8')).toBe(`${wt.portBase} ${wt.path}`);
    expect(readFileSync(join(wt.path, '.env'), 'utf8')).toBe('TOKEN=local\n');
    const events = core.worktreeRuns.listEvents({ workflowId: wt.setup!.id });
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'stage_completed').map((e) => e.data?.stage)).toEqual(['install', 'env']);
    expect(events[0]!.type).toBe('setup_started');
    expect(core.worktreeRuns.latest(wt.path, 'setup')?.status).toBe('completed');
  });

  it('a failing step says which and why, leaves the worktree, and refuses workflows until a re-run succeeds', async () => {
    const repo = await repoWith('fails', {
      version: 1,
      steps: [
        { name: 'fine', run: ['node', '-e', ''] },
        { name: 'broken', run: ['node', '-e', 'if (!require("fs").existsSync("fixed")) { console.error("config.local is missing"); process.exit(2) }'] },
      ],
    });
    const core = w.core;
    const r = await core.repos.add(repo);
    const wt = await core.repos.createWorktree({ repoId: r.id, branch: 'fails-wt' });
    const end = await setupEnded(core, wt.setup!.id);
    expect(end.type).toBe('setup_failed');
    expect(end.message).toContain('broken');
    expect(end.message).toContain('config.local is missing');
    expect(existsSync(wt.path)).toBe(true);
    const run = core.worktreeRuns.latest(wt.path, 'setup')!;
    expect(run).toMatchObject({ status: 'failed', failedStep: 'broken' });
    // Said as a setup's step, not as a workflow's stage.
    expect(run.failureReason).toMatch(/^exited with code 2: config\.local is missing/);
    expect(end.message).toMatch(/^Setup failed at step broken: exited with code 2: config\.local is missing/);

    const e = await refused(core.orchestrator.start({ worktreePath: wt.path, issueId: 'X-1' }));
    expect(e.code).toBe('INVALID_STATE');
    expect(e.message).toContain('step broken');
    expect(core.orchestrator.byWorktree(wt.path)).toBeNull();

    write(join(wt.path, 'fixed'), '');
    const again = await core.repos.rerunSetup(wt.path);
    expect((await setupEnded(core, again.id)).type).toBe('setup_completed');
    const wf = await core.orchestrator.start({ worktreePath: wt.path, issueId: 'X-1' });
    expect(wf.status).toBe('pending');
    // Never under an agent's feet: a re-run waits until no workflow is active there.
    expect((await refused(core.repos.rerunSetup(wt.path))).code).toBe('WORKTREE_CONFLICT');
    await core.orchestrator.cancel(wf.id);
  });

  it('a workflow started while setup runs is queued behind it and starts when it completes; one queued behind a failure is cancelled', async () => {
    const waitFor = 'const f = process.argv[1]; const t = setInterval(() => { if (require("fs").existsSync(f)) { clearInterval(t); process.exit(require("fs").readFileSync(f, "utf8") === "fail" ? 1 : 0) } }, 10)';
    const release = join(w.box.dir, 'release-setup');
    const repo = await repoWith('queued', { version: 1, steps: [{ name: 'slow', run: ['node', '-e', waitFor, release] }] });
    const core = w.core;
    const r = await core.repos.add(repo);
    const wt = await core.repos.createWorktree({ repoId: r.id, branch: 'queued-wt' });
    const wf = await core.orchestrator.start({ worktreePath: wt.path, issueId: 'Q-1' });
    expect(wf.status).toBe('queued');
    expect((await refused(core.repos.rerunSetup(wt.path))).code).toBe('INVALID_STATE'); // already running
    const started = new Promise<string>((res) => {
      const off = core.orchestrator.bus.on('workflow', (x) => {
        if (x.id === wf.id && x.status !== 'queued') {
          off();
          res(x.status);
        }
      });
    });
    write(release, 'ok');
    expect(await started).not.toBe('cancelled');
    await core.orchestrator.cancel(wf.id);

    const release2 = join(w.box.dir, 'release-setup-2');
    await commitSetup(repo, { version: 1, steps: [{ name: 'slow', run: ['node', '-e', waitFor, release2] }] });
    const wt2 = await core.repos.createWorktree({ repoId: r.id, branch: 'queued-wt2' });
    const wf2 = await core.orchestrator.start({ worktreePath: wt2.path, issueId: 'Q-2' });
    expect(wf2.status).toBe('queued');
    write(release2, 'fail');
    await setupEnded(core, wt2.setup!.id);
    const after = core.orchestrator.get(wf2.id);
    expect(after.status).toBe('cancelled');
    const cancelled = core.orchestrator.listEvents({ workflowId: wf2.id }).find((e) => e.type === 'workflow_cancelled');
    expect(cancelled?.message ?? '').toContain('setup failed');

    // Cut short by quitting: the setup counts as failed at the next start, and what was queued
    // behind it is cancelled rather than started on a half-ready worktree.
    await commitSetup(repo, { version: 1, steps: [{ name: 'slow', run: ['node', '-e', waitFor, join(w.box.dir, 'never')] }] });
    const wt3 = await core.repos.createWorktree({ repoId: r.id, branch: 'queued-wt3' });
    const wf3 = await core.orchestrator.start({ worktreePath: wt3.path, issueId: 'Q-3' });
    expect(wf3.status).toBe('queued');
    await core.close();
    const reopened = w.open();
    expect(reopened.worktreeRuns.latest(wt3.path, 'setup')?.status).toBe('failed');
    expect(reopened.orchestrator.get(wf3.id).status).toBe('cancelled');
  });

  it('reports an invalid setup.json with its line and column and keeps the worktree', async () => {
    const repo = await w.box.repo('invalid');
    await commitFile(repo, '.switchyard/setup.json', '{\n  "version": 1,\n  "steps": [{ "name": "x", "run": [] }]\n}\n');
    const core = w.core;
    const r = await core.repos.add(repo);
    const wt = await core.repos.createWorktree({ repoId: r.id, branch: 'invalid-wt' });
    const end = await setupEnded(core, wt.setup!.id);
    expect(end.type).toBe('setup_failed');
    expect(end.message).toContain('setup.json: invalid setup file: line 3 column 35, at steps[0].run: run needs at least the program');
  });
});

describe('ports', () => {
  it('gives each worktree its own stable range of 10; removal frees it', async () => {
    const repo = await w.box.repo('ports');
    const core = w.core;
    const r = await core.repos.add(repo);
    const a = await core.repos.createWorktree({ repoId: r.id, branch: 'pa' });
    const b = await core.repos.createWorktree({ repoId: r.id, branch: 'pb' });
    expect(a.portBase).not.toBeNull();
    expect(b.portBase).not.toBeNull();
    expect(Math.abs(a.portBase! - b.portBase!)).toBeGreaterThanOrEqual(10);
    // Stable: listed again, and asked again, the same.
    const listed = await core.repos.worktrees(r.id);
    expect(listed.find((x) => x.path === a.path)?.portBase).toBe(a.portBase);
    expect(core.worktreeRuns.ports(a.path)).toBe(a.portBase);

    await core.repos.removeWorktree({ worktreePath: a.path });
    expect(core.worktreeRuns.portBase(a.path)).toBeNull();
    const c = await core.repos.createWorktree({ repoId: r.id, branch: 'pc' });
    expect(c.portBase).toBe(a.portBase); // the freed range is reused
    expect(c.portBase).not.toBe(b.portBase);
  });

  it('skips a range when another program on the machine holds one of its ports', async () => {
    const repo = await w.box.repo('busyports');
    const core = w.core;
    const r = await core.repos.add(repo);
    const next = core.worktreeRuns.store.freeBase(PORT_BASE);
    const squatter = createServer();
    await new Promise<void>((res) => squatter.listen({ port: next + 7, host: '127.0.0.1' }, res));
    try {
      const wt = await core.repos.createWorktree({ repoId: r.id, branch: 'busy' });
      expect(wt.portBase).not.toBe(next);
      expect(wt.portBase).toBeGreaterThanOrEqual(next + 10);
      // The busy range stays unrecorded: once the program lets go, the next worktree gets it.
      expect(core.worktreeRuns.store.freeBase(PORT_BASE)).toBe(next);
    } finally {
      await new Promise<void>((res) => squatter.close(() => res()));
    }
    const after = await core.repos.createWorktree({ repoId: r.id, branch: 'busy-freed' });
    expect(after.portBase).toBe(next);
  });

  it('agents see SWITCHYARD_PORT_BASE through the stage run', async () => {
    const repo = await w.box.repo('agentports');
    const core = w.core;
    const r = await core.repos.add(repo);
    const wt = await core.repos.createWorktree({ repoId: r.id, branch: 'ap' });
    // No run command declared, nothing to stop, and never the main worktree.
    expect((await refused(core.repos.startRun(wt.path))).message).toContain('declares no "run" command');
    expect((await refused(core.repos.stopRun(wt.path))).code).toBe('INVALID_STATE');
    expect((await refused(core.repos.startRun(repo))).code).toBe('INVALID_INPUT');
    expect((await refused(core.repos.rerunSetup(repo))).code).toBe('INVALID_INPUT');
    const seen = new Promise<number | null | undefined>((res) => w.executor.set('plan', (run) => (res(run.portBase), { kind: 'completed', plan: { text: 'p', file: null } })));
    const wf = await core.orchestrator.start({ worktreePath: wt.path, issueId: 'P-1' });
    expect(await seen).toBe(wt.portBase);
    await core.orchestrator.cancel(wf.id);
  });
});

describe('worktree hygiene', () => {
  it('marks merged, clean, idle worktrees stale and removes exactly those in one step', async () => {
    const repo = await w.box.repo('hygiene');
    const core = w.core;
    const r = await core.repos.add(repo);
    const done = await core.repos.createWorktree({ repoId: r.id, branch: 'done' });
    await commitFile(done.path, 'feature.txt', 'shipped\n');
    const dirty = await core.repos.createWorktree({ repoId: r.id, branch: 'dirty' });
    await commitFile(dirty.path, 'other.txt', 'shipped too\n');
    await sh(repo, 'merge', '-q', '--no-edit', 'done');
    await sh(repo, 'merge', '-q', '--no-edit', 'dirty');
    write(join(dirty.path, 'wip.txt'), 'work in progress\n');
    const fresh = await core.repos.createWorktree({ repoId: r.id, branch: 'fresh' });
    const unmerged = await core.repos.createWorktree({ repoId: r.id, branch: 'unmerged' });
    await commitFile(unmerged.path, 'idea.txt', 'not merged\n');

    const stale = (await core.repos.worktrees(r.id)).filter((x) => x.stale).map((x) => x.branch);
    expect(stale).toEqual(['done']);
    const result = await core.repos.removeStale(r.id);
    expect(result).toEqual({ removed: [done.path], refused: [] });
    expect(existsSync(done.path)).toBe(false);
    expect([dirty.path, fresh.path, unmerged.path].every((p) => existsSync(p))).toBe(true);
  });
});

describe('the run command', () => {
  const get = async (port: number) => (await fetch(`http://127.0.0.1:${port}/`)).text();
  const unreachable = async (port: number) => {
    const e = await fetch(`http://127.0.0.1:${port}/`).then(
      () => null,
      (err: unknown) => err,
    );
    return e !== null;
  };

  it('binds its port, is reachable, and is gone after stop and after the worktree is removed', async () => {
    const repo = await repoWith('run', { version: 1, run: ['node', PORT_SERVER] });
    const core = w.core;
    const r = await core.repos.add(repo);
    const wt = await core.repos.createWorktree({ repoId: r.id, branch: 'run-wt' });
    await setupEnded(core, wt.setup!.id);

    const run = await core.repos.startRun(wt.path);
    await waitForEvent(core, run.id, (e) => e.type === 'agent_output' && e.message.includes('listening'));
    expect(await get(wt.portBase!)).toBe(`ok ${wt.path}`);
    expect((await refused(core.repos.startRun(wt.path))).code).toBe('INVALID_STATE');
    const stopped = await core.repos.stopRun(wt.path);
    expect(stopped.status).toBe('stopped');
    expect(await unreachable(wt.portBase!)).toBe(true);

    const again = await core.repos.startRun(wt.path);
    await waitForEvent(core, again.id, (e) => e.type === 'agent_output' && e.message.includes('listening'));
    expect(await get(wt.portBase!)).toContain('ok');
    await core.repos.removeWorktree({ worktreePath: wt.path });
    expect(await unreachable(wt.portBase!)).toBe(true);
    expect(core.worktreeRuns.portBase(wt.path)).toBeNull();
  });

  it('cannot start in a worktree being removed; one started alongside a removal does not outlive it', async () => {
    const repo = await repoWith('removing', { version: 1, run: ['node', PORT_SERVER] });
    const core = w.core;
    const r = await core.repos.add(repo);
    const wt = await core.repos.createWorktree({ repoId: r.id, branch: 'removing-wt' });
    await setupEnded(core, wt.setup!.id);

    // The start is under way (reading git and setup.json) when the removal takes the worktree.
    const starting = core.repos.startRun(wt.path);
    const release = core.orchestrator.reserveWorktree(wt.path, 'being removed');
    const e = await refused(starting);
    expect(e.code).toBe('WORKTREE_CONFLICT');
    expect(e.message).toBe(`Worktree ${wt.path} is being removed; its run command cannot start`);
    expect((await refused(core.repos.rerunSetup(wt.path))).code).toBe('WORKTREE_CONFLICT');
    expect(core.worktreeRuns.latest(wt.path, 'run')).toBeNull();
    release();

    // Started and removed at once: whichever wins, no server is left running in a deleted folder.
    const [run, removal] = await Promise.allSettled([core.repos.startRun(wt.path), core.repos.removeWorktree({ worktreePath: wt.path })]);
    expect(removal.status).toBe('fulfilled');
    if (run.status === 'rejected') expect((run.reason as SwitchyardError).code).toBe('WORKTREE_CONFLICT');
    expect(existsSync(wt.path)).toBe(false);
    expect(await unreachable(wt.portBase!)).toBe(true);
    expect((await refused(core.repos.stopRun(wt.path))).code).toBe('NOT_FOUND');
  });

  it('is stopped when the core closes', async () => {
    const repo = await repoWith('quit', { version: 1, run: ['node', PORT_SERVER] });
    let core = w.core;
    const r = await core.repos.add(repo);
    const wt = await core.repos.createWorktree({ repoId: r.id, branch: 'quit-wt' });
    await setupEnded(core, wt.setup!.id);
    const run = await core.repos.startRun(wt.path);
    await waitForEvent(core, run.id, (e) => e.type === 'agent_output' && e.message.includes('listening'));
    await core.close();
    expect(await unreachable(wt.portBase!)).toBe(true);
    core = w.open();
    expect(core.worktreeRuns.latest(wt.path, 'run')?.status).toBe('stopped');
  });

  it('one left by a kill -9 of the real server is reaped when it starts again (rule 8)', async () => {
    const repo = await repoWith('crash', { version: 1, run: ['node', PORT_SERVER] });
    const dataDir = join(w.box.dir, 'crash-data');
    mkdirSync(dataDir);
    const server = await ServerProcess.start({ dataDir, repos: [repo] });
    let client: Client | null = null;
    try {
      client = await Client.connect(server);
      const c = client;
      const [r] = await c.must<{ id: string }[]>('repos.list');
      await c.must('settings.set', { portBase: PORT_BASE + 500 });
      const wt = await c.must<{ path: string; portBase: number; setup: { id: string } }>('worktrees.create', { repoId: r!.id, branch: 'crash-wt' });
      expect(await c.waitEvent(wt.setup.id, (e) => e.type === 'setup_completed', 20_000)).not.toBeNull();
      // A run's id reads its own log through events.list, like a workflow's.
      const listed = await c.must<{ type: string }[]>('events.list', { workflowId: wt.setup.id });
      expect([listed[0]?.type, listed.at(-1)?.type]).toEqual(['setup_started', 'setup_completed']);
      const missing = await c.call('events.list', { workflowId: 'setup-00000000-0000-0000-0000-000000000000' });
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const run = await c.must<{ id: string }>('worktrees.runStart', { worktreePath: wt.path });
      expect(await c.waitEvent(run.id, (e) => e.message.includes('listening'), 20_000)).not.toBeNull();
      expect(await get(wt.portBase)).toContain('ok');
      await c.close();
      client = null;
      await server.kill9();
      expect(await get(wt.portBase)).toContain('ok'); // the crash left it running

      const core = createCore({ dataDir });
      try {
        expect(core.worktreeRuns.recovery.reapedProcessGroups).toBe(1);
        expect(await unreachable(wt.portBase)).toBe(true);
        expect(core.worktreeRuns.latest(wt.path, 'run')?.status).toBe('stopped');
      } finally {
        await core.close();
      }
    } finally {
      await client?.close();
      if (server.running) await server.kill9();
    }
  }, 60_000);
});
