// The budget watch over one stage, without an orchestrator: what it records, when it stops, what it warns.
import { describe, expect, it } from 'vitest';
import type { EventDraft, Usage } from '../../shared/events';
import { StageBudget, addUsage, budgetExceeded, budgetOf } from './budget';

const u = (inputTokens: number, outputTokens: number, cachedTokens: number, costUsd: number | null): Usage => ({ inputTokens, outputTokens, cachedTokens, costUsd });

function watch(budgetUsd: number | null, before: Usage, signal = new AbortController().signal) {
  const recorded: Usage[] = [];
  const warnings: EventDraft[] = [];
  let stops = 0;
  const budget = new StageBudget(budgetUsd, before, 'implement', signal, {
    record: (t) => recorded.push(t),
    stop: () => stops++,
    warn: (d) => warnings.push(d),
  });
  return { budget, recorded, warnings, stops: () => stops };
}

describe('budgets', () => {
  it('take the pipeline’s own budget before the setting', () => {
    expect(budgetOf({ name: 'p', stages: [], budgetUsd: 2 }, 5)).toBe(2);
    expect(budgetOf({ name: 'p', stages: [] }, 5)).toBe(5);
    expect(budgetOf({ name: 'p', stages: [] }, null)).toBeNull();
  });

  it('are exceeded only past the budget, and say by how much', () => {
    expect(budgetExceeded(1, 1)).toBeNull();
    expect(budgetExceeded(null, 1)).toBeNull();
    expect(budgetExceeded(5, null)).toBeNull();
    expect(budgetExceeded(1.5, 1)).toMatch(/^budget exceeded: \$1\.50* of \$1\.00*$/);
  });

  it('add usage, keeping an unknown cost unknown only when both are', () => {
    expect(addUsage(u(1, 2, 3, null), u(10, 20, 30, null))).toEqual(u(11, 22, 33, null));
    expect(addUsage(u(1, 2, 3, 0.5), u(10, 20, 30, null))).toEqual(u(11, 22, 33, 0.5));
  });
});

describe('StageBudget', () => {
  it('records each report on top of the totals before the stage, and says what is left', () => {
    const w = watch(1, u(100, 10, 0, 0.25));
    expect(w.budget.remainingUsd()).toBe(0.75);
    w.budget.report(u(5, 1, 0, 0.1));
    w.budget.report(u(10, 2, 0, 0.2)); // the stage's totals so far: replaces the first
    expect(w.recorded).toEqual([u(105, 11, 0, 0.35), u(110, 12, 0, 0.45)]);
    expect(w.stops()).toBe(0);
    expect(w.budget.stoppedReason()).toBeNull();
  });

  it('stops the stage once past the budget and ignores what comes after', () => {
    const w = watch(0.5, u(0, 0, 0, 0.1));
    w.budget.report(u(1, 1, 0, 0.3));
    w.budget.report(u(2, 2, 0, 0.6)); // 0.7 > 0.5
    w.budget.report(u(3, 3, 0, 0.9));
    expect(w.recorded).toHaveLength(2);
    expect(w.stops()).toBe(1);
    expect(w.budget.stoppedReason()).toMatch(/^budget exceeded: .* \(stage implement was stopped\)$/);
  });

  it('refuses to start a stage when the workflow is already past its budget', () => {
    expect(watch(0.5, u(0, 0, 0, 0.6)).budget.exceededBefore()).toMatch(/^budget exceeded/);
    expect(watch(0.5, u(0, 0, 0, 0.5)).budget.exceededBefore()).toBeNull();
    expect(watch(null, u(0, 0, 0, 99)).budget.exceededBefore()).toBeNull();
  });

  it('warns once when a budget is set but the CLI reports no cost', () => {
    const w = watch(1, u(0, 0, 0, null));
    w.budget.report(u(1, 0, 0, null));
    w.budget.report(u(2, 0, 0, null));
    expect(w.warnings).toHaveLength(1);
    expect(w.warnings[0]).toMatchObject({ type: 'system_warning', data: { stage: 'implement', reason: 'budget_unenforceable', budgetUsd: 1 } });
    const unbounded = watch(null, u(0, 0, 0, null));
    unbounded.budget.report(u(1, 0, 0, null));
    expect(unbounded.warnings).toHaveLength(0);
  });

  it('no longer counts reports once the run is cancelled', () => {
    const cancel = new AbortController();
    const w = watch(1, u(0, 0, 0, 0), cancel.signal);
    cancel.abort();
    w.budget.report(u(1, 1, 0, 5));
    expect(w.recorded).toEqual([]);
    expect(w.stops()).toBe(0);
  });
});
