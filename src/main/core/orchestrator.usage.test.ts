// Usage totals, budgets and session continuity, as the orchestrator carries them between stages.
import { afterEach, describe, expect, it } from 'vitest';
import type { Usage } from '../../shared/events';
import type { Pipeline } from '../../shared/pipeline';
import type { PipelineSource, StageRun } from './runner';
import { makeHarness, type Harness } from './testing/harness';
import { InProcessExecutor } from './testing/inProcessExecutor';
import { STANDARD_STAGES } from './testing/staticPipelines';
import { eventsOf } from './testing/pipelineFixtures';

const u = (inputTokens: number, outputTokens: number, cachedTokens: number, costUsd: number | null): Usage => ({ inputTokens, outputTokens, cachedTokens, costUsd });

/** The standard stages, structured (so they may continue sessions), with an optional budget. */
function source(budgetUsd?: number): PipelineSource {
  const stages = structuredClone(STANDARD_STAGES).map((s) => ('approval' in s ? s : { ...s, output: 'claude-stream-json' as const }));
  const pipeline = (name: string): Pipeline => ({ name, ...(budgetUsd !== undefined ? { budgetUsd } : {}), stages: structuredClone(stages) });
  return { list: async () => [], resolve: async (_w, name) => pipeline(name) };
}

describe('usage, budgets and sessions across stages', () => {
  let h: Harness;
  afterEach(async () => h?.cleanup());

  it('adds each stage’s totals to Workflow.usage, pushes every change and keeps it across a restart', async () => {
    const executor = new InProcessExecutor({
      plan: (r) => {
        r.usage?.(u(100, 10, 50, 0.01));
        r.usage?.(u(200, 20, 60, 0.02)); // the stage's totals so far: replaces the first figure
        return { kind: 'completed', plan: { text: 'p', file: null } };
      },
      implement: (r) => {
        r.usage?.(u(1000, 100, 0, null)); // a CLI without cost
        return { kind: 'completed' };
      },
    });
    h = makeHarness({ executor, pipelines: source() });
    const pushed: Usage[] = [];
    h.orch.bus.on('workflow', (w) => pushed.push(w.usage));
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'U-1' });
    expect((await h.waitFor(w.id, 'blocked')).usage).toEqual(u(200, 20, 60, 0.02));
    h.orch.approve(w.id);
    const done = await h.waitFor(w.id, 'completed');
    expect(done.usage).toEqual(u(1200, 120, 60, 0.02));
    expect(pushed).toContainEqual(u(100, 10, 50, 0.01));
    await h.orch.close();
    expect(h.reopen().get(w.id).usage).toEqual(u(1200, 120, 60, 0.02));
  });

  it('stops the running stage like a cancel once the cost passes workflowBudgetUsd, and fails with the figures', async () => {
    let aborted = false;
    const executor = new InProcessExecutor({
      plan: (r) =>
        new Promise((resolve) => {
          r.signal.addEventListener('abort', () => {
            aborted = true;
            resolve({ kind: 'failed', reason: 'cancelled' });
          });
          r.usage?.(u(10, 1, 0, 0.4));
          r.usage?.(u(20, 2, 0, 0.6)); // past 0.5
          r.usage?.(u(30, 3, 0, 0.9)); // after the stop: not counted
        }),
    });
    h = makeHarness({ executor, pipelines: source() });
    h.orch.updateSettings({ workflowBudgetUsd: 0.5 });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'U-2' });
    const failed = await h.waitFor(w.id, 'failed');
    expect(aborted).toBe(true);
    expect(failed.failureReason).toBe('budget exceeded: $0.6000 of $0.5000 (stage plan was stopped)');
    expect(failed.usage.costUsd).toBe(0.6);
    expect(executor.calls.map((c) => c.stage)).toEqual(['plan']);
  });

  it('a pipeline’s budgetUsd overrides the setting; a stage does not start past it; the CLI is told what is left', async () => {
    const remaining: (number | null | undefined)[] = [];
    const executor = new InProcessExecutor({
      plan: (r) => {
        remaining.push(r.budgetRemainingUsd);
        r.usage?.(u(1, 1, 0, 2)); // exactly at the budget: not past it
        return { kind: 'completed', plan: { text: 'p', file: null } };
      },
      implement: (r) => {
        remaining.push(r.budgetRemainingUsd);
        r.usage?.(u(1, 1, 0, 0.5));
        return { kind: 'completed' };
      },
    });
    h = makeHarness({ executor, pipelines: source(2) });
    h.orch.updateSettings({ workflowBudgetUsd: 100 });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'U-3' });
    await h.waitFor(w.id, 'blocked');
    h.orch.approve(w.id);
    const failed = await h.waitFor(w.id, 'failed');
    expect(remaining).toEqual([2, 0]);
    expect(failed.failureReason).toBe('budget exceeded: $2.50 of $2.00 (stage implement was stopped)');
    expect(executor.calls.map((c) => c.stage)).toEqual(['plan', 'implement']);
  });

  it('fails before a stage when the workflow is already past its budget (the budget was lowered)', async () => {
    const executor = new InProcessExecutor({
      plan: (r) => {
        r.usage?.(u(1, 1, 0, 0.3));
        return { kind: 'completed', plan: { text: 'p', file: null } };
      },
    });
    h = makeHarness({ executor, pipelines: source() });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'U-4' });
    await h.waitFor(w.id, 'blocked');
    h.orch.updateSettings({ workflowBudgetUsd: 0.1 });
    h.orch.approve(w.id);
    const failed = await h.waitFor(w.id, 'failed');
    expect(failed.failureReason).toBe('budget exceeded: $0.3000 of $0.1000');
    expect(executor.calls.map((c) => c.stage)).toEqual(['plan']);
  });

  it('warns once per stage that a budget cannot be enforced when the CLI reports no cost', async () => {
    const executor = new InProcessExecutor({
      plan: (r) => {
        r.usage?.(u(1, 1, 0, null));
        r.usage?.(u(2, 2, 0, null));
        return { kind: 'completed', plan: { text: 'p', file: null } };
      },
    });
    h = makeHarness({ executor, pipelines: source(1) });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'U-5' });
    await h.waitFor(w.id, 'blocked');
    const warnings = eventsOf(h.orch, w.id).filter((e) => (e.data as { reason?: string } | undefined)?.reason === 'budget_unenforceable');
    expect(warnings.map((e) => e.message)).toEqual(['The budget of $1.00 cannot be enforced during stage plan: its CLI reports tokens but no cost']);
  });

  it('hands a continuing stage the session it continues: its own from an earlier run, else the named stage’s', async () => {
    const resumed: Record<string, (string | null | undefined)[]> = {};
    const resumeUsage: (Usage | null | undefined)[] = [];
    let review = 0;
    const seen = (r: StageRun) => (resumed[r.stage.name] ??= []).push(r.resumeSession);
    const executor = new InProcessExecutor({
      plan: (r) => (seen(r), { kind: 'completed', plan: { text: 'p', file: null }, sessionId: 'S-plan', sessionUsage: u(7, 7, 7, 0.7) }),
      implement: (r) => {
        seen(r);
        resumeUsage.push(r.resumeUsage);
        return { kind: 'completed', sessionId: `S-impl-${resumed.implement!.length}`, sessionUsage: u(9, 9, 9, 0.9) };
      },
      review: (r) => (seen(r), ++review === 1 ? { kind: 'changes_requested', feedback: 'more', sessionId: 'S-rev' } : { kind: 'completed' }),
    });
    const stages = structuredClone(STANDARD_STAGES).map((s) => {
      if ('approval' in s) return s;
      const out = { ...s, output: 'codex-json' as const };
      return s.name === 'implement' ? { ...out, continueFrom: 'plan' } : out;
    });
    h = makeHarness({ executor, pipelines: { list: async () => [], resolve: async (_w, name) => ({ name, stages }) } });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'U-6' });
    await h.waitFor(w.id, 'blocked');
    h.orch.approve(w.id);
    await h.waitFor(w.id, 'completed');
    // plan and review do not continue anything; implement first continues plan, then itself.
    expect(resumed).toEqual({ plan: [null], implement: ['S-plan', 'S-impl-1'], review: [null, null] });
    // With the session, what it had counted so far (the CLIs count a resumed session from its start).
    expect(resumeUsage).toEqual([u(7, 7, 7, 0.7), u(9, 9, 9, 0.9)]);
  });
});
