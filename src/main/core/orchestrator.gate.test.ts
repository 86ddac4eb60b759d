// Rules 5 and 6: the approval gate, rejection and replanning, and the approve/reject/cancel race.
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../shared/events';
import { canTransition, type WorkflowStatus } from '../../shared/status';
import { MAX_REPLANS } from './pipelineWalker';
import { makeHarness, type Harness } from './testing/harness';
import { hang } from './testing/inProcessExecutor';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

const types = (events: WorkflowEvent[]) => events.map((e) => e.type);

async function blockedWorkflow(harness: Harness, name = 'a') {
  const w = await harness.orch.start({ worktreePath: harness.worktree(name), issueId: `ISSUE-${name}` });
  await harness.waitFor(w.id, 'blocked');
  return w;
}

describe('approval gate (rule 6)', () => {
  it('blocks with the plan, and approve continues the pipeline with the gate event as correlationId', async () => {
    h = makeHarness();
    h.executor.set('plan', () => ({ kind: 'completed', plan: { text: 'Step 1: do it', file: 'PLAN.md' } }));
    const w = await blockedWorkflow(h);
    const blocked = h.orch.get(w.id);
    expect(blocked.currentStage).toBe('approve');
    const required = h.orch.listEvents({ workflowId: w.id }).find((e) => e.type === 'approval_required')!;
    expect(required.data).toMatchObject({ plan: 'Step 1: do it', planFile: 'PLAN.md' });

    const approved = h.orch.approve(w.id);
    expect(approved.status).toBe('in_progress');
    await h.waitFor(w.id, 'completed');
    const events = h.orch.listEvents({ workflowId: w.id });
    const granted = events.find((e) => e.type === 'approval_granted')!;
    expect(granted.correlationId).toBe(required.id);
    expect(types(events)).toEqual([
      'workflow_started',
      'stage_started',
      'stage_completed',
      'approval_required',
      'approval_granted',
      'stage_started',
      'stage_completed',
      'stage_started',
      'review_requested',
      'stage_completed',
      'review_completed',
      'workflow_completed',
    ]);
    expect(h.executor.calls.map((c) => c.stage)).toEqual(['plan', 'implement', 'review']);
    expect(h.executor.calls[1]!.plan).toBe('Step 1: do it');
  });

  it('a cancel in the same turn as the approve stops the run before its next stage starts', async () => {
    // The run launched by approve makes its abort signal only once it starts (after the answer):
    // an abort before that must still reach it.
    h = makeHarness();
    h.executor.set('implement', hang);
    const w = await blockedWorkflow(h);
    h.orch.approve(w.id);
    await h.orch.cancel(w.id);
    expect(h.orch.get(w.id).status).toBe('cancelled');
    expect(h.executor.calls.map((c) => c.stage)).toEqual(['plan']);
    expect(types(h.orch.listEvents({ workflowId: w.id })).slice(-2)).toEqual(['approval_granted', 'workflow_cancelled']);
  });

  it('reject fails the workflow with the feedback as its reason', async () => {
    h = makeHarness();
    const w = await blockedWorkflow(h);
    const required = h.orch.listEvents({ workflowId: w.id }).find((e) => e.type === 'approval_required')!;
    const rejected = h.orch.reject(w.id, 'Too risky: touches billing');
    expect(rejected).toMatchObject({ status: 'failed', failureReason: 'Too risky: touches billing' });
    const events = h.orch.listEvents({ workflowId: w.id });
    expect(types(events).slice(-2)).toEqual(['approval_rejected', 'workflow_failed']);
    expect(events.at(-2)!.correlationId).toBe(required.id);
    expect(events.at(-1)!.data).toEqual({ reason: 'Too risky: touches billing' });
    expect(h.orch.byWorktree(w.worktreePath)).toBeNull();
  });

  it('requires feedback to reject, and changes nothing without it', async () => {
    h = makeHarness();
    const w = await blockedWorkflow(h);
    const before = h.orch.listEvents({ workflowId: w.id }).length;
    expect(() => h.orch.reject(w.id, '   ')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(h.orch.get(w.id).status).toBe('blocked');
    expect(h.orch.listEvents({ workflowId: w.id })).toHaveLength(before);
  });

  it('replan sends the workflow back to the planning stage with the feedback, at most 3 times', async () => {
    h = makeHarness();
    const w = await blockedWorkflow(h);
    for (let i = 1; i <= MAX_REPLANS; i++) {
      const next = h.orch.reject(w.id, `Revise ${i}`, true);
      expect(next.status).toBe('in_progress');
      await h.waitFor(w.id, 'blocked');
      expect(h.executor.calls.at(-1)).toMatchObject({ stage: 'plan', feedback: `Revise ${i}` });
    }
    const events = h.orch.listEvents({ workflowId: w.id });
    const rejected = events.filter((e) => e.type === 'approval_rejected');
    expect(rejected).toHaveLength(MAX_REPLANS);
    const afterFirst = events.slice(events.indexOf(rejected[0]!));
    expect(types(afterFirst).slice(0, 2)).toEqual(['approval_rejected', 'revision_requested']);
    expect(afterFirst[1]!.data).toMatchObject({ feedback: 'Revise 1' });

    expect(() => h.orch.reject(w.id, 'Once more', true)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(h.orch.get(w.id).status).toBe('blocked');
    h.orch.approve(w.id);
    await h.waitFor(w.id, 'completed');
    // Each gate is answered with its own id: the newest approval_required, not a remembered older one.
    const all = h.orch.listEvents({ workflowId: w.id });
    const required = all.filter((e) => e.type === 'approval_required');
    expect(required).toHaveLength(MAX_REPLANS + 1);
    expect(all.filter((e) => e.type === 'approval_rejected').map((e) => e.correlationId)).toEqual(required.slice(0, -1).map((e) => e.id));
    expect(all.find((e) => e.type === 'approval_granted')!.correlationId).toBe(required.at(-1)!.id);
  });

  it('approve and reject of a workflow that is not blocked are INVALID_STATE', async () => {
    h = makeHarness();
    h.executor.set('plan', hang);
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    await h.waitFor(w.id, 'in_progress');
    expect(() => h.orch.approve(w.id)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(() => h.orch.reject(w.id, 'no')).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(() => h.orch.approve('missing')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('review loop', () => {
  it('jumps back to the named stage with the feedback, then fails past maxRevisions', async () => {
    h = makeHarness();
    h.executor.set('review', () => ({ kind: 'changes_requested', feedback: 'rename foo' }));
    const w = await blockedWorkflow(h);
    h.orch.approve(w.id);
    const failed = await h.waitFor(w.id, 'failed');
    expect(failed.failureReason).toMatch(/still requested changes after 2 revisions/);
    expect(h.executor.calls.map((c) => c.stage)).toEqual(['plan', 'implement', 'review', 'implement', 'review', 'implement', 'review']);
    expect(h.executor.calls[3]!.feedback).toBe('rename foo');
    const revisions = h.orch.listEvents({ workflowId: w.id }).filter((e) => e.type === 'revision_requested');
    expect(revisions.map((e) => e.data?.feedback)).toEqual(['rename foo', 'rename foo']);
  });

  it('a failing stage fails the workflow with its reason', async () => {
    h = makeHarness();
    h.executor.set('plan', () => ({ kind: 'failed', reason: 'exit code 1: no API key' }));
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    const failed = await h.waitFor(w.id, 'failed');
    expect(failed.failureReason).toBe('exit code 1: no API key');
    expect(h.orch.listEvents({ workflowId: w.id }).at(-1)).toMatchObject({ type: 'workflow_failed', data: { reason: 'exit code 1: no API key' } });
  });

  it('an executor that throws fails the workflow with a system_error and the app lives on', async () => {
    h = makeHarness();
    h.executor.set('plan', () => {
      throw new Error('spawn exploded');
    });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'A' });
    const failed = await h.waitFor(w.id, 'failed');
    expect(failed.failureReason).toContain('spawn exploded');
    expect(types(h.orch.listEvents({ workflowId: w.id }))).toContain('system_error');
    h.executor.set('plan', () => ({ kind: 'completed' }));
    const next = await h.orch.start({ worktreePath: h.worktree('b'), issueId: 'B' });
    await h.waitFor(next.id, 'blocked');
  });
});

/** Replays a workflow's status path from its events and checks every step is allowed. */
function statusPath(events: WorkflowEvent[]): WorkflowStatus[] {
  const path: WorkflowStatus[] = ['pending'];
  const to: Partial<Record<WorkflowEvent['type'], WorkflowStatus>> = {
    workflow_started: 'in_progress',
    approval_required: 'blocked',
    approval_granted: 'in_progress',
    workflow_completed: 'completed',
    workflow_failed: 'failed',
    workflow_cancelled: 'cancelled',
  };
  for (const e of events) {
    const next = e.type === 'revision_requested' && path.at(-1) === 'blocked' ? 'in_progress' : to[e.type];
    if (next) path.push(next);
  }
  return path;
}

describe('approve, reject and cancel racing on one blocked workflow (rule 5)', () => {
  it('over 200 trials never lets approve and reject both win, and every outcome is a legal path', async () => {
    h = makeHarness();
    h.orch.updateSettings({ maxConcurrent: 100 });
    h.executor.set('implement', hang);
    const tally = new Map<string, number>();
    for (let trial = 0; trial < 200; trial++) {
      const w = await blockedWorkflow(h, `t${trial}`);
      const ops = [
        { name: 'approve', run: async () => h.orch.approve(w.id) },
        { name: 'reject', run: async () => h.orch.reject(w.id, 'no') },
        { name: 'cancel', run: () => h.orch.cancel(w.id, 'race') },
      ];
      const settled = await Promise.all(
        ops.map(async (op) => {
          for (let i = Math.floor(Math.random() * 4); i > 0; i--) await null; // shuffle the interleaving
          try {
            await op.run();
            return [op.name, true] as const;
          } catch (e) {
            expect(e).toMatchObject({ code: 'INVALID_STATE' });
            return [op.name, false] as const;
          }
        }),
      );
      const won = new Map(settled);
      expect(won.get('approve') && won.get('reject')).toBe(false);
      expect(won.get('approve') || won.get('reject') || won.get('cancel')).toBe(true);
      if (won.get('reject')) expect(won.get('cancel')).toBe(false); // a failed workflow cannot be cancelled

      const final = h.orch.get(w.id);
      const path = statusPath(h.orch.listEvents({ workflowId: w.id }));
      expect(path.at(-1)).toBe(final.status);
      for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
      const key = `${[...won].filter(([, ok]) => ok).map(([n]) => n).join('+')} -> ${final.status}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
      if (final.status === 'in_progress') await h.orch.cancel(w.id);
    }
    // Every allowed outcome, and only those.
    for (const key of tally.keys()) {
      expect(['approve -> in_progress', 'approve+cancel -> cancelled', 'reject -> failed', 'cancel -> cancelled']).toContain(key);
    }
  });
});
