// Cancel during each kind of stage: afterwards no process of the workflow is alive (checked in
// /proc by the workflow marker), within the grace period plus one second.
import { afterEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../testing/harness';
import { FilePipelineSource } from './filePipelineSource';
import { ProcessExecutor } from './processExecutor';
import { agent, eventsOf, makeRepo, markedAlive, waitForEvent } from '../testing/pipelineFixtures';

const GRACE_MS = 300;
let h: Harness<ProcessExecutor>;
afterEach(async () => h?.cleanup());

const plan = { name: 'plan', agent: 'architect', run: agent('plan.mjs'), captureAs: 'plan' };
const approve = { name: 'approve', approval: true };
const stubborn = (...extra: string[]) => agent('stubborn.mjs', ...extra);

const cases: { kind: string; stages: unknown[]; approveFirst?: boolean; gate?: boolean }[] = [
  { kind: 'a plan stage (captureAs)', stages: [{ ...plan, run: stubborn() }, approve] },
  { kind: 'an implement stage', stages: [plan, approve, { name: 'implement', agent: 'developer', run: stubborn() }], approveFirst: true },
  {
    kind: 'a review stage',
    stages: [
      { name: 'implement', agent: 'developer', run: agent('edit.mjs', '--say', 'done') },
      { name: 'review', agent: 'reviewer', run: stubborn(), review: { onChangesRequested: 'implement' } },
    ],
  },
  { kind: 'a stage whose grandchild left the process group (setsid)', stages: [{ name: 'daemon', agent: 'developer', run: stubborn('--escape') }] },
  { kind: 'the approval gate', stages: [plan, approve, { name: 'implement', agent: 'developer', run: stubborn() }], gate: true },
];

describe('cancel', () => {
  for (const c of cases) {
    it(`during ${c.kind} leaves no process alive within grace + 1 s`, async () => {
      h = makeHarness({ executor: new ProcessExecutor(), pipelines: new FilePipelineSource() });
      h.orch.updateSettings({ killGraceMs: GRACE_MS });
      const repo = await makeRepo(h.dir, {}, { pipelines: { default: { stages: c.stages } } });
      const wf = await h.orch.start({ worktreePath: repo, issueId: 'CANCEL-1' });
      if (c.approveFirst || c.gate) {
        await h.waitFor(wf.id, 'blocked');
        if (c.approveFirst) h.orch.approve(wf.id);
      }
      if (!c.gate) {
        // Both the agent and its SIGTERM-ignoring grandchild are running.
        await waitForEvent(h.orch, wf.id, (e) => e.type === 'agent_output' && e.message.includes('ready parent='));
        expect((await markedAlive(wf.id)).length).toBeGreaterThanOrEqual(2);
      }
      const t0 = performance.now();
      const cancelled = await h.orch.cancel(wf.id, 'test cancel');
      const elapsed = performance.now() - t0;
      expect(cancelled.status).toBe('cancelled');
      expect(await markedAlive(wf.id)).toEqual([]);
      expect(elapsed).toBeLessThan(GRACE_MS + 1000);
      const events = eventsOf(h.orch, wf.id);
      // Nothing is written after the cancellation.
      expect(events[events.length - 1]!.type).toBe('workflow_cancelled');
      expect(h.orch.get(wf.id).status).toBe('cancelled');
    });
  }

  it('on shutdown (close) kills the running stage too', async () => {
    h = makeHarness({ executor: new ProcessExecutor(), pipelines: new FilePipelineSource() });
    h.orch.updateSettings({ killGraceMs: GRACE_MS });
    const repo = await makeRepo(h.dir, {}, { pipelines: { default: { stages: [{ name: 'x', agent: 'developer', run: stubborn() }] } } });
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'CLOSE-1' });
    await waitForEvent(h.orch, wf.id, (e) => e.type === 'agent_output' && e.message.includes('ready parent='));
    const t0 = performance.now();
    await h.orch.close();
    expect(performance.now() - t0).toBeLessThan(GRACE_MS + 1000);
    expect(await markedAlive(wf.id)).toEqual([]);
  });
});
