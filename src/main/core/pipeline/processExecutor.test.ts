// The pipeline runner end to end: real fixture agents in real temporary git repositories,
// driven by the orchestrator.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processRunner } from '../process/processRunner';
import { makeHarness, type Harness } from '../testing/harness';
import { FilePipelineSource } from './filePipelineSource';
import { ProcessExecutor } from './processExecutor';
import { agent, eventsOf, makeRepo, markedAlive, typeSequence, waitForEvent } from '../testing/pipelineFixtures';

let h: Harness<ProcessExecutor>;
afterEach(async () => h?.cleanup());

function harness(options: ConstructorParameters<typeof ProcessExecutor>[0] = {}): Harness<ProcessExecutor> {
  h = makeHarness({ executor: new ProcessExecutor({ scanIntervalMs: 60_000, ...options }), pipelines: new FilePipelineSource() });
  h.orch.updateSettings({ killGraceMs: 300 });
  return h;
}

const pipeline = (stages: unknown[]) => ({ pipelines: { default: { stages } } });

describe('ProcessExecutor in a workflow', () => {
  it('runs plan → approve → implement → review (one revision) → completed, with the exact events', async () => {
    harness();
    const reviewState = join(h.dir, 'review-state');
    const repo = await makeRepo(
      h.dir,
      { 'old.txt': 'old\n' },
      pipeline([
        { name: 'plan', agent: 'architect', run: agent('plan.mjs'), captureAs: 'plan' },
        { name: 'approve', approval: true },
        {
          name: 'implement',
          agent: 'developer',
          run: agent('edit.mjs', '--append', 'README.md=change', '--write', 'src/new.txt=feedback:{feedback}', '--delete', 'old.txt', '--say', 'implemented'),
        },
        { name: 'review', agent: 'reviewer', run: agent('review.mjs', '--state', reviewState), review: { onChangesRequested: 'implement', maxRevisions: 2 } },
      ]),
    );
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'ISSUE-1', title: 'Add things' });
    await h.waitFor(wf.id, 'blocked');
    const gate = eventsOf(h.orch, wf.id).find((e) => e.type === 'approval_required')!;
    expect(gate.data?.plan).toContain('# Plan for ISSUE-1: Add things');
    expect(gate.data?.planFile).toBeNull();
    h.orch.approve(wf.id);
    const done = await h.waitFor(wf.id, ['completed', 'failed']);
    expect(done.failureReason).toBeNull();
    expect(done.status).toBe('completed');

    const events = eventsOf(h.orch, wf.id);
    expect(typeSequence(events)).toEqual([
      'workflow_started',
      'stage_started', // plan
      'agent_output',
      'stage_completed',
      'approval_required',
      'approval_granted',
      'stage_started', // implement
      'agent_output',
      'file_modified:README.md',
      'file_deleted:old.txt',
      'file_created:src/new.txt',
      'stage_completed',
      'stage_started', // review
      'review_requested',
      'agent_output',
      'stage_completed',
      'revision_requested',
      'stage_started', // implement again, with the feedback
      'agent_output',
      'file_modified:README.md',
      'file_modified:src/new.txt',
      'stage_completed',
      'stage_started', // review again: approved
      'review_requested',
      'agent_output',
      'stage_completed',
      'review_completed',
      'workflow_completed',
    ]);
    const revision = events.find((e) => e.type === 'revision_requested')!;
    expect(revision.data?.feedback).toContain('Please add tests (round 1)');
    expect(readFileSync(join(repo, 'src/new.txt'), 'utf8')).toContain('feedback:Looked at the diff.\nPlease add tests (round 1)');
    const output = events.filter((e) => e.type === 'agent_output');
    expect(output.map((e) => e.message).join('')).toContain('implemented');
    expect(output.find((e) => e.data?.stream === 'stderr')?.message).toBe('planning...\n');
    for (const e of output) expect(e.agent).toMatch(/architect|developer|reviewer/);
    expect(await markedAlive(wf.id)).toEqual([]);
  });

  it('fails a stage that exits non-zero, with the exit code and the last stderr lines', async () => {
    harness();
    const repo = await makeRepo(h.dir, {}, pipeline([{ name: 'build', agent: 'developer', run: agent('fail.mjs', '--code', '7', '--message', 'compiler exploded') }]));
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'F-1' });
    const done = await h.waitFor(wf.id, ['completed', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.failureReason).toBe('Stage build exited with code 7: compiler exploded');
    expect(typeSequence(eventsOf(h.orch, wf.id))).toEqual(['workflow_started', 'stage_started', 'agent_output', 'workflow_failed']);
  });

  it('fails a stage that runs past timeoutSeconds, and leaves no process', async () => {
    harness();
    const repo = await makeRepo(h.dir, {}, pipeline([{ name: 'slow', agent: 'developer', run: agent('stubborn.mjs'), timeoutSeconds: 1 }]));
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'T-1' });
    const done = await h.waitFor(wf.id, ['completed', 'failed']);
    expect(done.failureReason).toBe('Stage slow timed out after 1 s');
    expect(await markedAlive(wf.id)).toEqual([]);
  });

  it('fails the stage and stops its processes if the process runner that started it dies', async () => {
    harness();
    const repo = await makeRepo(h.dir, {}, pipeline([{ name: 'work', agent: 'developer', run: agent('stubborn.mjs') }]));
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'R-1' });
    await waitForEvent(h.orch, wf.id, (e) => e.type === 'agent_output' && e.message.includes('ready parent='));
    await processRunner.stop();
    const done = await h.waitFor(wf.id, ['completed', 'failed']);
    expect(done.failureReason).toMatch(/^Stage work lost its exit status \(the process runner stopped\) and was stopped/);
    expect(await markedAlive(wf.id)).toEqual([]);
    // The next stage start gets a new runner.
    const again = await makeRepo(h.dir, {}, pipeline([{ name: 'quick', agent: 'developer', run: agent('edit.mjs', '--say', 'ok') }]));
    const wf2 = await h.orch.start({ worktreePath: again, issueId: 'R-2' });
    expect((await h.waitFor(wf2.id, ['completed', 'failed'])).status).toBe('completed');
  });

  for (const output of ['claude-stream-json', 'codex-json']) {
    it(`a ${output} stage whose process runner dies says it lost its exit status, not "killed by null"`, async () => {
      harness();
      const repo = await makeRepo(h.dir, {}, pipeline([{ name: 'work', agent: 'developer', run: agent('stubborn.mjs'), output }]));
      const wf = await h.orch.start({ worktreePath: repo, issueId: 'R-3' });
      await waitForEvent(h.orch, wf.id, (e) => e.type === 'agent_output' && e.message.includes('ready parent='));
      await processRunner.stop();
      const done = await h.waitFor(wf.id, ['completed', 'failed']);
      expect(done.failureReason).toMatch(/^Stage work lost its exit status \(the process runner stopped\) and was stopped; last output: ready parent=/);
      expect(await markedAlive(wf.id)).toEqual([]);
    });
  }

  it('a structured stage killed by a signal names the signal', async () => {
    harness();
    const repo = await makeRepo(h.dir, {}, pipeline([{ name: 'work', agent: 'developer', run: agent('hang.mjs'), output: 'codex-json' }]));
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'S-1' });
    await waitForEvent(h.orch, wf.id, (e) => e.type === 'agent_output' && e.message.includes('hanging'));
    for (const pid of await markedAlive(wf.id)) process.kill(pid, 'SIGKILL');
    const done = await h.waitFor(wf.id, ['completed', 'failed']);
    expect(done.failureReason).toBe('Stage work was killed by SIGKILL; last output: hanging');
  });

  it('captures the plan from a file (captureFrom) and gives {plan} and {planFile} to later stages', async () => {
    harness();
    const seen = join(h.dir, 'seen.json');
    const repo = await makeRepo(
      h.dir,
      {},
      pipeline([
        { name: 'plan', agent: 'architect', run: agent('plan.mjs', '--file', 'PLAN.md'), captureAs: 'plan', captureFrom: 'PLAN.md' },
        { name: 'approve', approval: true },
        { name: 'implement', agent: 'developer', run: agent('echo-args.mjs', '--out', seen, '{planFile}', '{plan}') },
      ]),
    );
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'P-1', title: 'Plan in a file' });
    await h.waitFor(wf.id, 'blocked');
    const events = eventsOf(h.orch, wf.id);
    const gate = events.find((e) => e.type === 'approval_required')!;
    expect(gate.data?.planFile).toBe(join(repo, 'PLAN.md'));
    expect(gate.data?.plan).toMatch(/^# Plan for P-1: Plan in a file\n1\. Change README.md/);
    expect(typeSequence(events)).toContain('file_created:PLAN.md');
    h.orch.approve(wf.id);
    expect((await h.waitFor(wf.id, ['completed', 'failed'])).failureReason).toBeNull();
    const got = JSON.parse(readFileSync(seen, 'utf8')) as { argv: string[]; env: Record<string, string> };
    expect(got.argv.slice(2)).toEqual([join(repo, 'PLAN.md'), gate.data?.plan]);
    expect(got.env.SWITCHYARD_PLAN_FILE).toBe(join(repo, 'PLAN.md'));
    expect(got.env.SWITCHYARD_PLAN).toBe(gate.data?.plan);
  });

  it('fails a captureFrom stage that did not write its file', async () => {
    harness();
    const repo = await makeRepo(h.dir, {}, pipeline([{ name: 'plan', agent: 'architect', run: agent('plan.mjs'), captureAs: 'plan', captureFrom: 'PLAN.md' }]));
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'P-2' });
    const done = await h.waitFor(wf.id, ['completed', 'failed']);
    expect(done.failureReason).toBe('Stage plan exited 0 but the stage did not write its plan file PLAN.md');
  });

  it('treats a review marker line on exit 0 as changes requested (agent CLIs cannot pick exit codes)', async () => {
    harness();
    const state = join(h.dir, 'marker-state');
    const repo = await makeRepo(
      h.dir,
      {},
      pipeline([
        { name: 'implement', agent: 'developer', run: agent('edit.mjs', '--write', 'x.txt={feedback}') },
        { name: 'review', agent: 'reviewer', run: agent('review.mjs', '--state', state, '--marker'), review: { onChangesRequested: 'implement', changesRequestedMarker: 'CHANGES REQUESTED' } },
      ]),
    );
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'M-1' });
    expect((await h.waitFor(wf.id, ['completed', 'failed'])).failureReason).toBeNull();
    const types = eventsOf(h.orch, wf.id).map((e) => e.type);
    expect(types.filter((t) => t === 'revision_requested')).toHaveLength(1);
    expect(readFileSync(join(repo, 'x.txt'), 'utf8')).toContain('CHANGES REQUESTED: please add tests (round 1)');
  });

  it('fails after maxRevisions reviews that still request changes', async () => {
    harness();
    const state = join(h.dir, 'always');
    const repo = await makeRepo(
      h.dir,
      {},
      pipeline([
        { name: 'implement', agent: 'developer', run: agent('edit.mjs', '--say', 'ok') },
        { name: 'review', agent: 'reviewer', run: agent('review.mjs', '--state', state, '--rounds', '99'), review: { onChangesRequested: 'implement', maxRevisions: 1 } },
      ]),
    );
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'R-1' });
    const done = await h.waitFor(wf.id, ['completed', 'failed']);
    expect(done.failureReason).toMatch(/^Review review still requested changes after 1 revision: Looked at the diff\.\nPlease add tests \(round 2\)$/);
  });

  it('waits for the exit, not the closed stdout, and kills what the agent left running', async () => {
    harness();
    const repo = await makeRepo(h.dir, {}, pipeline([{ name: 'sneaky', agent: 'developer', run: agent('detach-stdout.mjs') }]));
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'D-1' });
    expect((await h.waitFor(wf.id, ['completed', 'failed'])).failureReason).toBeNull();
    const types = typeSequence(eventsOf(h.orch, wf.id));
    expect(types).toEqual(['workflow_started', 'stage_started', 'agent_output', 'file_created:after-close.txt', 'stage_completed', 'workflow_completed']);
    expect(await markedAlive(wf.id)).toEqual([]);
  });

  it('reports file changes while the stage runs, including a second edit of a modified file', async () => {
    harness({ scanIntervalMs: 50 });
    const go1 = join(h.dir, 'go1');
    const go2 = join(h.dir, 'go2');
    const repo = await makeRepo(
      h.dir,
      {},
      pipeline([{ name: 'edit', agent: 'developer', run: agent('edit.mjs', '--write', 'a.txt=one', '--wait-for', go1, '--append', 'a.txt=two', '--wait-for', go2, '--append', 'README.md=x') }]),
    );
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'W-1' });
    await waitForEvent(h.orch, wf.id, (e) => e.type === 'file_created' && e.data?.path === 'a.txt');
    writeFileSync(go1, '');
    await waitForEvent(h.orch, wf.id, (e) => e.type === 'file_modified' && e.data?.path === 'a.txt');
    expect(h.orch.get(wf.id).status).toBe('in_progress');
    writeFileSync(go2, '');
    expect((await h.waitFor(wf.id, ['completed', 'failed'])).failureReason).toBeNull();
    // A scan may catch a.txt between its creation and its first write: fold repeats.
    expect(typeSequence(eventsOf(h.orch, wf.id)).filter((t, i, all) => t !== all[i - 1])).toEqual([
      'workflow_started',
      'stage_started',
      'file_created:a.txt',
      'file_modified:a.txt',
      'file_modified:README.md',
      'stage_completed',
      'workflow_completed',
    ]);
  });

  it('reports a change that the agent committed itself', async () => {
    harness();
    const repo = await makeRepo(h.dir, { 'keep.txt': 'k\n' }, pipeline([{ name: 'commit', agent: 'developer', run: ['git', 'rm', '-q', 'keep.txt'] }]));
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'C-1' });
    expect((await h.waitFor(wf.id, ['completed', 'failed'])).failureReason).toBeNull();
    expect(typeSequence(eventsOf(h.orch, wf.id))).toContain('file_deleted:keep.txt');
  });

  it('runs in a worktree that is not a git checkout, with one warning per workflow', async () => {
    harness();
    const plain = h.worktree('plain');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(plain, '.switchyard'));
    writeFileSync(
      join(plain, '.switchyard/pipelines.json'),
      JSON.stringify(pipeline([
        { name: 'one', agent: 'developer', run: agent('edit.mjs', '--write', 'a.txt=1') },
        { name: 'two', agent: 'developer', run: agent('edit.mjs', '--write', 'b.txt=2') },
      ])),
    );
    const wf = await h.orch.start({ worktreePath: plain, issueId: 'G-1' });
    expect((await h.waitFor(wf.id, ['completed', 'failed'])).failureReason).toBeNull();
    const warnings = eventsOf(h.orch, wf.id).filter((e) => e.type === 'system_warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('is not a git checkout');
    expect(existsSync(join(plain, 'b.txt'))).toBe(true);
  });

  it('fails clearly when the program vanished between the check and the start', async () => {
    harness();
    const repo = await makeRepo(h.dir, { 'tool.sh': '#!/bin/sh\nexit 0\n' }, pipeline([{ name: 'x', agent: 'developer', run: ['./tool.sh'] }]));
    const { chmodSync, rmSync } = await import('node:fs');
    chmodSync(join(repo, 'tool.sh'), 0o755);
    const executor = new ProcessExecutor();
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'V-1' });
    expect((await h.waitFor(wf.id, ['completed', 'failed'])).failureReason).toBeNull();
    rmSync(join(repo, 'tool.sh'));
    const outcome = await executor.run({
      workflow: h.orch.get(wf.id),
      stage: { name: 'x', agent: 'developer', run: ['./tool.sh'] },
      stageIndex: 0,
      vars: { plan: null, planFile: null, feedback: null },
      settings: h.orch.settings(),
      signal: new AbortController().signal,
      emit: async (d) => ({ ...d, id: '', workflowId: wf.id, sequence: 0, timestamp: '' }),
      processStarted: () => undefined,
      processExited: () => undefined,
    });
    expect(outcome).toEqual({ kind: 'failed', reason: 'Stage x could not start `./tool.sh`: not found' });
  });
});
