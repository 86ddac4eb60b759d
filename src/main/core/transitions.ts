// Every write that moves a workflow, in one place (rules 5, 6, 8). Each operation is one
// transaction: the compare-and-set on the row (`UPDATE … WHERE id = ? AND status IN (…)`), the
// events that announce it, and after the commit the bookkeeping (the rows waiting at a gate, and
// `onChanged` for the orchestrator's map and the bus). An operation that lost a race returns null
// and writes nothing. Operations called inside an open transaction join it (EventLog is re-entrant).
//
// Every change of a workflow's status commits durably (`DURABLE`: the WAL is synced before the
// operation returns, so before anything is answered; docs/reliability.md, "Power loss"): a
// person's approve, reject or cancel and the run's own moves alike. Progress inside a status
// (enterStage, leaveStage, recordUsage) stays at synchronous=NORMAL, as agent events do: rule 8
// fails a run that a power cut interrupted whatever its last stage was.
import { SwitchyardError } from '../../shared/errors';
import type { Workflow } from '../../shared/domain';
import type { EventDraft, Usage } from '../../shared/events';
import type { CommandStage } from '../../shared/pipeline';
import { ACTIVE_STATUSES, type WorkflowStatus } from '../../shared/status';
import type { EventLog, TransactionOptions, Tx } from './eventLog';
import type { PermissionRow, PermissionStore } from './store/permissionStore';
import { MAX_REPLANS, stageStartEvents, type Decision } from './pipelineWalker';
import { EMPTY_RUN_STATE, type NewWorkflow, type RunState, type TransitionChanges, type WorkflowRecord, type WorkflowStore } from './store/workflowStore';

/** The commit of a status change: synced before it returns. */
const DURABLE: TransactionOptions = { durable: true };

export class Transitions {
  /**
   * The committed row of each workflow waiting at its gate, as the transition to `blocked`
   * returned it, so approve and reject need not read it again. Exact while blocked: only a
   * transition (which replaces or drops the entry) can change a blocked row. After a restart it
   * holds the rows read at start-up, so approving there does not read them again either.
   */
  private readonly gated = new Map<string, WorkflowRecord>();

  constructor(
    private readonly log: EventLog,
    private readonly workflows: WorkflowStore,
    private readonly now: () => Date,
    /** After a commit that changed a workflow's row. */
    private readonly onChanged: (workflow: Workflow) => void,
    /** Rule 11: the requests, and who is told (after the commit) that requests were decided. */
    private readonly permissions?: { store: PermissionStore; decided(outcomes: PermissionOutcome[]): void },
  ) {}

  // Tool approvals (rule 11) ---------------------------------------------------------------

  /**
   * A tool request waits for the person: its row and `permission_requested` in one commit; false
   * (nothing written) unless the workflow is in_progress.
   */
  requestPermission(row: Omit<PermissionRow, 'status' | 'reason'>, event: EventDraft): boolean {
    const store = this.permissions!.store;
    return this.log.transaction((tx) => {
      if (this.workflows.get(row.workflowId)?.workflow.status !== 'in_progress') return false;
      store.insert(row);
      tx.append(row.workflowId, event);
      const rec = this.workflows.get(row.workflowId)!;
      tx.afterCommit(() => this.onChanged(rec.workflow));
      return true;
    });
  }

  /**
   * A decision on one waiting request: the compare-and-set on its status, its event, and the rule
   * it remembers, in one commit. False (nothing written) if the request no longer waits.
   */
  decidePermission(o: PermissionOutcome, event: EventDraft, remember?: { repoPath: string; rule: string }): boolean {
    const store = this.permissions!.store;
    return this.log.transaction((tx) => {
      if (!store.decide(o.requestId, o.workflowId, o.allow ? 'allowed' : 'denied', o.allow ? null : o.reason, this.now().toISOString())) return false;
      tx.append(o.workflowId, event);
      if (remember) store.addRule(remember.repoPath, remember.rule, this.now().toISOString());
      const rec = this.workflows.get(o.workflowId);
      tx.afterCommit(() => {
        this.permissions!.decided([o]);
        if (rec) this.onChanged(rec.workflow);
      });
      return true;
    }, DURABLE); // a person's decision: on disk before it is answered
  }

  /** Denies every waiting request of a workflow with `reason` (inside the caller's transaction, if any). */
  denyOpenPermissions(workflowId: string, reason: string, by: string): PermissionOutcome[] {
    if (!this.permissions) return [];
    const store = this.permissions.store;
    return this.log.transaction((tx) => {
      const outcomes: PermissionOutcome[] = [];
      for (const row of store.pendingOf(workflowId)) {
        if (!store.decide(row.id, workflowId, 'denied', reason, this.now().toISOString())) continue;
        const o: PermissionOutcome = { workflowId, requestId: row.id, allow: false, reason };
        outcomes.push(o);
        tx.append(workflowId, permissionDeniedEvent(row, reason, by));
      }
      if (outcomes.length) tx.afterCommit(() => this.permissions!.decided(outcomes));
      return outcomes;
    });
  }

  /** The blocked row of a workflow waiting at its gate, if this process knows it. */
  atGate(workflowId: string): WorkflowRecord | undefined {
    return this.gated.get(workflowId);
  }

  /** At start-up: a blocked row read from the database. */
  restoreGate(rec: WorkflowRecord): void {
    if (rec.workflow.status === 'blocked') this.gated.set(rec.workflow.id, rec);
  }

  /**
   * Inserts a new workflow. `admit` runs in the same transaction, before the insert: it throws to
   * refuse and otherwise says the first status. The partial unique index (rule 1) is the backstop.
   */
  create(row: Omit<NewWorkflow, 'status'>, admit: () => NewWorkflow['status']): WorkflowRecord {
    return this.log.transaction((tx) => {
      const status = admit();
      try {
        this.workflows.insert({ ...row, status });
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new SwitchyardError('WORKTREE_CONFLICT', `Worktree ${row.worktreePath} already has an active workflow`, { worktreePath: row.worktreePath });
        }
        throw e;
      }
      const rec = this.workflows.get(row.id)!;
      tx.afterCommit(() => {
        this.log.prime([[row.id, 0]]); // a new workflow has no events yet
        this.onChanged(rec.workflow);
      });
      return rec;
    }, DURABLE);
  }

  /** Rule 2: a queued workflow takes a free slot. */
  dequeue(rec: WorkflowRecord): WorkflowRecord | null {
    return this.move(rec, ['queued'], 'pending', {}, []);
  }

  begin(rec: WorkflowRecord): WorkflowRecord | null {
    const { issueId, pipeline } = rec.workflow;
    return this.move(rec, ['pending'], 'in_progress', { startedAt: this.now().toISOString(), runState: { ...EMPTY_RUN_STATE } }, [
      {
        agent: 'system',
        type: 'workflow_started',
        message: `Workflow started for ${issueId} with pipeline ${pipeline.name}`,
        data: { issueId, pipeline: pipeline.name },
      },
    ]);
  }

  /** A command stage starts: progress and its announcement; null if the workflow left `in_progress`. */
  enterStage(workflowId: string, stage: CommandStage, index: number, state: RunState): WorkflowRecord | null {
    return this.log.transaction((tx) => {
      if (!this.workflows.updateProgress(workflowId, 'in_progress', stage.name, index, state)) return null;
      for (const e of stageStartEvents(stage)) tx.append(workflowId, e);
      const updated = this.workflows.get(workflowId)!;
      tx.afterCommit(() => this.onChanged(updated.workflow));
      return updated;
    });
  }

  /** A command stage ended: the walker's decision is recorded; false if the workflow left `in_progress`. */
  leaveStage(workflowId: string, stage: string, index: number, decision: Decision): boolean {
    return this.log.transaction((tx) => {
      if (!this.workflows.updateProgress(workflowId, 'in_progress', stage, index, decision.state)) return false;
      for (const e of decision.events) tx.append(workflowId, e);
      return true;
    });
  }

  /** The workflow's usage totals, while it is active. */
  recordUsage(workflowId: string, total: Usage): void {
    this.log.transaction((tx) => {
      const rec = this.workflows.setUsage(workflowId, total);
      if (rec) tx.afterCommit(() => this.onChanged(rec.workflow));
    });
  }

  /**
   * Rule 6: the workflow waits at its gate; the approval_required event's id is the answer's
   * correlationId. Its own transaction (never inside another): a lost race rolls the event back.
   */
  blockAtGate(rec: WorkflowRecord, gate: { name: string; index: number }, state: RunState): WorkflowRecord | null {
    try {
      return this.log.transaction((tx) => {
        const event = tx.append(rec.workflow.id, {
          agent: 'system',
          type: 'approval_required',
          message: `Approval required at ${gate.name}`,
          data: { plan: state.plan, planFile: state.planFile, stage: gate.name },
        });
        const changes = { currentStage: gate.name, stageIndex: gate.index, runState: { ...state, gateEventId: event.id } };
        const next = this.apply(tx, rec, ['in_progress'], 'blocked', changes, []);
        if (!next) throw new LostRace(); // rolls the event back with it
        return next;
      }, DURABLE);
    } catch (e) {
      if (e instanceof LostRace) return null;
      throw e;
    }
  }

  approve(rec: WorkflowRecord): WorkflowRecord | null {
    const gate = rec.runState.gateEventId;
    return this.move(rec, ['blocked'], 'in_progress', { runState: { ...rec.runState, gateEventId: null } }, [
      { agent: 'system', type: 'approval_granted', message: 'Plan approved', ...(gate ? { correlationId: gate } : {}) },
    ]);
  }

  /** Rule 6: rejected without a replan, the workflow fails with the feedback as its reason. */
  reject(rec: WorkflowRecord, feedback: string): WorkflowRecord | null {
    return this.move(rec, ['blocked'], 'failed', { completedAt: this.now().toISOString(), failureReason: feedback }, [
      rejected(rec, feedback, false),
      failed(feedback, `plan rejected: ${feedback}`),
    ]);
  }

  /** Rule 6: rejected with a replan, the workflow goes back to stage `target` with the feedback. */
  replan(rec: WorkflowRecord, feedback: string, target: number): WorkflowRecord | null {
    const runState: RunState = { ...rec.runState, feedback, replans: rec.runState.replans + 1, gateEventId: null };
    return this.move(rec, ['blocked'], 'in_progress', { runState, stageIndex: target }, [
      rejected(rec, feedback, true),
      {
        agent: 'system',
        type: 'revision_requested',
        message: `Replanning (${runState.replans} of ${MAX_REPLANS}) with the reviewer's feedback`,
        data: { feedback, target: rec.workflow.pipeline.stages[target]?.name ?? null },
      },
    ]);
  }

  /** Rule 7, from any active state. */
  cancel(rec: WorkflowRecord, reason: string): WorkflowRecord | null {
    return this.leaving(rec, `workflow cancelled: ${reason}`, 'cancel', () =>
      this.move(rec, ACTIVE_STATUSES, 'cancelled', { completedAt: this.now().toISOString() }, [
        { agent: 'system', type: 'workflow_cancelled', message: `Workflow cancelled: ${reason}`, data: { reason } },
      ]),
    );
  }

  complete(rec: WorkflowRecord, state: RunState): WorkflowRecord | null {
    return this.move(rec, ['in_progress'], 'completed', { completedAt: this.now().toISOString(), currentStage: null, runState: state }, [
      { agent: 'system', type: 'workflow_completed', message: 'Workflow completed' },
    ]);
  }

  /** A running workflow fails (a stage failed, a review gave up, the budget ran out). */
  fail(rec: WorkflowRecord, reason: string, state?: RunState): WorkflowRecord | null {
    return this.leaving(rec, `workflow failed: ${reason}`, 'stop', () =>
      this.move(rec, ['in_progress'], 'failed', { completedAt: this.now().toISOString(), failureReason: reason, ...(state ? { runState: state } : {}) }, [
        failed(reason),
      ]),
    );
  }

  /**
   * Rule 11: a workflow that stops running denies its waiting tool requests with the reason, in
   * the same commit as the transition (a lost race rolls the denials back with it).
   */
  private leaving(rec: WorkflowRecord, reason: string, by: string, transition: () => WorkflowRecord | null): WorkflowRecord | null {
    if (!this.permissions) return transition();
    try {
      return this.log.transaction(() => {
        this.denyOpenPermissions(rec.workflow.id, reason, by);
        const next = transition();
        if (!next) throw new LostRace();
        return next;
      }, DURABLE);
    } catch (e) {
      if (e instanceof LostRace) return null;
      throw e;
    }
  }

  /** A bug or an I/O fault in the run itself: the system_error is recorded even if the fail lost a race. */
  crash(rec: WorkflowRecord, reason: string): WorkflowRecord | null {
    return this.log.transaction((tx) => {
      tx.append(rec.workflow.id, { agent: 'system', type: 'system_error', message: reason });
      return this.fail(rec, reason);
    }, DURABLE);
  }

  /**
   * Rule 8: a workflow left pending or running by a crash fails. pending may not go to failed
   * directly; pending -> in_progress -> failed is a path the state machine allows, taken in one
   * transaction.
   */
  interrupt(rec: WorkflowRecord, reason: string): WorkflowRecord | null {
    return this.log.transaction(() => {
      const running = rec.workflow.status === 'pending' ? this.workflows.transition(rec, ['pending'], 'in_progress', {}) : rec;
      return running && this.fail(running, reason);
    }, DURABLE);
  }

  /** One transition in its own durable transaction (or the caller's, if one is open). */
  private move(
    rec: WorkflowRecord,
    from: readonly WorkflowStatus[],
    to: WorkflowStatus,
    changes: TransitionChanges,
    events: EventDraft[],
  ): WorkflowRecord | null {
    return this.log.transaction((tx) => this.apply(tx, rec, from, to, changes, events), DURABLE);
  }

  /** The compare-and-set and its events in `tx`; the bookkeeping after its commit. */
  private apply(
    tx: Tx,
    rec: WorkflowRecord,
    from: readonly WorkflowStatus[],
    to: WorkflowStatus,
    changes: TransitionChanges,
    events: EventDraft[],
  ): WorkflowRecord | null {
    const next = this.workflows.transition(rec, from, to, changes);
    if (!next) return null;
    for (const e of events) tx.append(rec.workflow.id, e);
    tx.afterCommit(() => {
      if (next.workflow.status === 'blocked') this.gated.set(next.workflow.id, next);
      else this.gated.delete(next.workflow.id);
      this.onChanged(next.workflow);
    });
    return next;
  }
}

class LostRace extends Error {}

/** How a tool request was decided, for the stage waiting on it. */
export interface PermissionOutcome {
  workflowId: string;
  requestId: string;
  allow: boolean;
  /** Why it was denied: the person's message, the timeout, the stop (the agent reads it). */
  reason: string;
}

export function permissionDeniedEvent(row: Pick<PermissionRow, 'id' | 'tool' | 'summary' | 'stage'>, reason: string, by: string, rule: string | null = null): EventDraft {
  return {
    agent: 'system',
    type: 'permission_denied',
    message: `Denied ${row.summary}: ${reason}`,
    data: { requestId: row.id, stage: row.stage, tool: row.tool, summary: row.summary, rule, by, reason },
  };
}

function failed(reason: string, message = reason): EventDraft {
  return { agent: 'system', type: 'workflow_failed', message: `Workflow failed: ${message}`, data: { reason } };
}

function rejected(rec: WorkflowRecord, feedback: string, replan: boolean): EventDraft {
  const gate = rec.runState.gateEventId;
  return {
    agent: 'system',
    type: 'approval_rejected',
    message: replan ? 'Plan rejected; replanning' : 'Plan rejected',
    data: { feedback, replan },
    ...(gate ? { correlationId: gate } : {}),
  };
}
