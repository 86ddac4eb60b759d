// Usage totals and budgets: what a workflow may spend, and the watch over one running stage's
// reports that stops it once the workflow is past its budget.
import type { EventDraft, Usage } from '../../shared/events';
import { formatCost } from '../../shared/format';
import type { Pipeline } from '../../shared/pipeline';

/** The budget a workflow's pipeline runs under: its own `budgetUsd`, else the setting; null = none. */
export function budgetOf(pipeline: Pipeline, settingUsd: number | null): number | null {
  return pipeline.budgetUsd ?? settingUsd;
}

/** "budget exceeded: $0.0123 of $0.0100" when `cost` is past `budget`, else null. */
export function budgetExceeded(costUsd: number | null, budgetUsd: number | null): string | null {
  if (budgetUsd === null || costUsd === null || costUsd <= budgetUsd) return null;
  return `budget exceeded: ${formatCost(costUsd)} of ${formatCost(budgetUsd)}`;
}

/** A workflow's totals after a stage: the totals before it plus the stage's so far. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    costUsd: a.costUsd === null && b.costUsd === null ? null : (a.costUsd ?? 0) + (b.costUsd ?? 0),
  };
}

/** What a watch does with what it learns; the orchestrator wires these to the store, the stage and the log. */
export interface StageBudgetSinks {
  /** The workflow's new totals. */
  record(total: Usage): void;
  /** Stops the stage (like a cancel: its processes are killed). */
  stop(): void;
  warn(draft: EventDraft): void;
}

/**
 * One command stage's usage against the workflow's budget. Each report (the stage's totals so far)
 * becomes the workflow's totals; past the budget the stage is stopped and later reports are
 * ignored. A CLI that reports tokens but no cost is warned about once: the budget cannot be
 * enforced while it runs.
 */
export class StageBudget {
  private over: string | null = null;
  private warned = false;

  constructor(
    private readonly budgetUsd: number | null,
    /** The workflow's totals before the stage. */
    private readonly before: Usage,
    private readonly stage: string,
    /** The run's signal: once it is aborted (a cancel), reports no longer count. */
    private readonly signal: AbortSignal,
    private readonly sinks: StageBudgetSinks,
  ) {}

  /** Why the stage must not start at all: the workflow is already past its budget. */
  exceededBefore(): string | null {
    return budgetExceeded(this.before.costUsd, this.budgetUsd);
  }

  /** What is left of the budget (null: no budget); a CLI with its own cap gets it. */
  remainingUsd(): number | null {
    return this.budgetUsd === null ? null : this.budgetUsd - (this.before.costUsd ?? 0);
  }

  report(totals: Usage): void {
    if (this.signal.aborted || this.over) return;
    const total = addUsage(this.before, totals);
    this.sinks.record(total);
    this.over = budgetExceeded(total.costUsd, this.budgetUsd);
    if (this.over) this.sinks.stop();
    if (this.budgetUsd !== null && totals.costUsd === null && !this.warned) {
      this.warned = true;
      this.sinks.warn({
        agent: 'system',
        type: 'system_warning',
        message: `The budget of ${formatCost(this.budgetUsd)} cannot be enforced during stage ${this.stage}: its CLI reports tokens but no cost`,
        data: { stage: this.stage, reason: 'budget_unenforceable', budgetUsd: this.budgetUsd },
      });
    }
  }

  /** The workflow's failure reason if the watch stopped the stage, else null. */
  stoppedReason(): string | null {
    return this.over ? `${this.over} (stage ${this.stage} was stopped)` : null;
  }
}
