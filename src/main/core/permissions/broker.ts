// Rule 11: where an agent's tool requests are decided. A request is matched against the stage's
// rules (deny first), then the repository's remembered ones; a match is decided at once. Else,
// with `ask: "deny"` it is denied, and with `ask: "human"` it waits as a row of
// permission_requests until the person decides (one compare-and-set in transitions.ts), the
// timeout (`permissionTimeoutSeconds`) passes, or the workflow stops; the stage waiting on it
// gets the answer through the promise `ask` returned.
import { randomUUID } from 'node:crypto';
import type { Workflow } from '../../../shared/domain';
import { invalidInput, invalidState, notFound } from '../../../shared/errors';
import type { EventDraft } from '../../../shared/events';
import { PermissionRuleSchema, StagePermissionsSchema, type RememberedRule, type StagePermissions } from '../../../shared/permissions';
import type { CommandStage } from '../../../shared/pipeline';
import { toolCallSummary, truncateValue } from '../agents/summaries';
import type { PermissionAnswer, PermissionGate, ToolAsk } from '../runner';
import type { PermissionRow, PermissionStore } from '../store/permissionStore';
import { permissionDeniedEvent, type PermissionOutcome, type Transitions } from '../transitions';
import { firstMatch, ruleFor } from './rules';

export const RESTART_REASON = 'Switchyard restarted while the request waited';
const STAGE_ENDED = 'the stage ended before the request was answered';
const DENIED_BY_PERSON = 'Denied by the user';

interface Waiter {
  workflowId: string;
  repoPath: string | null;
  request: ToolAsk & { cwd: string };
  resolve(answer: PermissionAnswer): void;
  timer: NodeJS.Timeout;
}

export interface BrokerDeps {
  store: PermissionStore;
  transitions: () => Transitions;
  emit(workflowId: string, draft: EventDraft): Promise<unknown>;
  now(): Date;
  timeoutSeconds(): number;
  /** The repository (main worktree path) a repoId names; NOT_FOUND if none. */
  repoPath(repoId: string): string;
}

export class PermissionBroker {
  private readonly waiters = new Map<string, Waiter>();

  constructor(private readonly deps: BrokerDeps) {}

  /** Called by transitions after a commit that decided requests: the stages waiting get the answer. */
  decided(outcomes: PermissionOutcome[]): void {
    for (const o of outcomes) {
      const w = this.waiters.get(o.requestId);
      if (!w) continue;
      this.waiters.delete(o.requestId);
      clearTimeout(w.timer);
      w.resolve(o.allow ? { allow: true } : { allow: false, message: o.reason });
    }
  }

  /** The gate of one stage run; `close` denies what it left waiting (the stage ended, the budget stopped it). */
  gate(workflow: Workflow, stage: CommandStage, repository: () => Promise<string | null>): PermissionGate & { close(reason?: string): void } {
    const options: StagePermissions = stage.permissions ?? StagePermissionsSchema.parse({});
    const mine = new Set<string>();
    let closedWith: string | null = null;
    const answered = new Set<string>(); // tool_use ids this gate decided: not shown again from the CLI's list
    const cwd = workflow.worktreePath;
    const base = (req: ToolAsk, requestId: string) => {
      const summary = toolCallSummary(req.tool, req.input, cwd);
      return { requestId, stage: stage.name, tool: req.tool, summary };
    };
    return {
      ask: async (req) => {
        if (req.toolUseId) answered.add(req.toolUseId);
        const requestId = randomUUID();
        const b = base(req, requestId);
        const repoPath = await repository();
        if (closedWith !== null) return { allow: false, message: closedWith }; // asked as the stage ended
        const r = { ...req, cwd };
        const denyRule = firstMatch(options.deny, r);
        if (denyRule) {
          await this.note(workflow.id, permissionDeniedEvent({ id: requestId, ...b }, `stage rule ${denyRule}`, 'rule', denyRule));
          return { allow: false, message: `Denied by the rule ${denyRule}` };
        }
        const allowRule = firstMatch(options.allow, r) ?? (repoPath ? firstMatch(this.deps.store.rules(repoPath).map((x) => x.rule), r) : null);
        if (allowRule) {
          await this.note(workflow.id, grantedEvent(b, allowRule, 'rule'));
          return { allow: true };
        }
        if (options.ask === 'deny') {
          const reason = `stage ${stage.name} does not ask a person (permissions.ask is "deny")`;
          await this.note(workflow.id, permissionDeniedEvent({ id: requestId, ...b }, reason, 'stage'));
          return { allow: false, message: `Denied: ${reason}` };
        }
        return new Promise<PermissionAnswer>((resolve) => {
          const timeout = this.deps.timeoutSeconds();
          const timer = setTimeout(() => this.denySafely(workflow.id, requestId, `no answer within ${timeout} s`, 'timeout'), timeout * 1000);
          this.waiters.set(requestId, { workflowId: workflow.id, repoPath, request: r, resolve, timer });
          mine.add(requestId);
          const input = truncateValue(req.input ?? null);
          let ok: boolean;
          try {
            ok = this.deps.transitions().requestPermission(
              { id: requestId, workflowId: workflow.id, stage: stage.name, tool: req.tool, toolUseId: req.toolUseId, summary: b.summary, input, createdAt: this.deps.now().toISOString() },
              { agent: stage.agent, type: 'permission_requested', message: `Asks to run ${b.summary}`, data: { ...b, input, toolUseId: req.toolUseId } },
            );
          } catch (e) {
            // Not recorded (the disk refused): nothing waits; the agent is denied with the reason.
            ok = false;
            console.error('switchyard: could not record a tool request', e);
          }
          if (!ok) {
            this.waiters.delete(requestId);
            clearTimeout(timer);
            resolve({ allow: false, message: 'Denied: the request could not be put to a person (the workflow is no longer running, or it could not be recorded)' });
          }
        });
      },
      refusedByCli: (req) => {
        if (req.toolUseId && answered.has(req.toolUseId)) return;
        const b = base(req, randomUUID());
        void this.note(workflow.id, permissionDeniedEvent({ id: b.requestId, ...b }, 'refused by the CLI (its permission mode does not allow it)', 'cli'));
      },
      close: (reason = STAGE_ENDED) => {
        closedWith = reason;
        for (const id of mine) if (this.waiters.has(id)) this.denySafely(workflow.id, id, reason, 'stop');
      },
    };
  }

  /** permissions.decide: one compare-and-set; a second decision, or one for a request that no longer waits, is INVALID_STATE. */
  decide(workflowId: string, requestId: string, decision: 'allow' | 'deny', o: { remember?: 'repository'; message?: string } = {}): void {
    const row = this.deps.store.get(requestId);
    if (!row || row.workflowId !== workflowId) throw notFound(`No tool request ${requestId} in workflow ${workflowId}`, { workflowId, requestId });
    const message = o.message?.trim();
    if (decision === 'allow' && message) throw invalidInput('A message goes with a denial only', { requestId });
    if (decision === 'deny' && o.remember) throw invalidInput('Only an allow can be remembered for the repository', { requestId });
    const waiter = this.waiters.get(requestId);
    if (row.status !== 'pending' || !waiter) throw notWaiting(row);
    let remember: { repoPath: string; rule: string } | undefined;
    if (o.remember) {
      if (!waiter.repoPath) throw invalidState(`The worktree of workflow ${workflowId} is not in a git repository: nothing to remember the rule for`, { workflowId });
      const rule = ruleFor(waiter.request);
      if (!rule) throw invalidInput(`${row.summary} cannot be remembered as a rule as narrow as itself; allow it once instead`, { requestId });
      remember = { repoPath: waiter.repoPath, rule };
    }
    const allow = decision === 'allow';
    const reason = allow ? '' : message || DENIED_BY_PERSON;
    const b = { requestId, stage: row.stage, tool: row.tool, summary: row.summary };
    const event = allow ? grantedEvent(b, remember?.rule ?? null, 'person', remember !== undefined) : permissionDeniedEvent(row, reason, 'person');
    if (!this.deps.transitions().decidePermission({ workflowId, requestId, allow, reason }, event, remember)) throw notWaiting(this.deps.store.get(requestId) ?? row);
  }

  rules(repoId: string): RememberedRule[] {
    return this.deps.store.rules(this.deps.repoPath(repoId));
  }

  forget(repoId: string, rule: string): RememberedRule[] {
    const parsed = PermissionRuleSchema.safeParse(rule);
    if (!parsed.success) throw invalidInput(`Not a rule: ${rule}`, { rule });
    const path = this.deps.repoPath(repoId);
    if (!this.deps.store.forget(path, rule)) throw notFound(`The repository has no remembered rule ${rule}`, { repoId, rule });
    return this.deps.store.rules(path);
  }

  /** Rule 8 at start-up: every request left waiting by the previous process is denied. */
  denyLeftOver(): number {
    const byWorkflow = new Set(this.deps.store.allPending().map((r) => r.workflowId));
    let n = 0;
    for (const id of byWorkflow) n += this.deps.transitions().denyOpenPermissions(id, RESTART_REASON, 'restart').length;
    return n;
  }

  /**
   * The orchestrator closes: the timers stop (a request still waiting stays pending in the
   * database, as after a crash, and the next start denies it).
   */
  shutdown(): void {
    for (const w of this.waiters.values()) clearTimeout(w.timer);
    this.waiters.clear();
  }

  /** From a timer: a storage error must not escape as an uncaught exception; the stage still gets its denial. */
  private denySafely(workflowId: string, requestId: string, reason: string, by: string): void {
    try {
      this.deny(workflowId, requestId, reason, by);
    } catch (e) {
      console.error('switchyard: could not record a timed-out tool request', e);
      this.waiters.get(requestId)?.resolve({ allow: false, message: reason });
      this.waiters.delete(requestId);
    }
  }

  private deny(workflowId: string, requestId: string, reason: string, by: string): void {
    const row = this.deps.store.get(requestId);
    if (!row) return;
    if (!this.deps.transitions().decidePermission({ workflowId, requestId, allow: false, reason }, permissionDeniedEvent(row, reason, by))) {
      // Decided meanwhile by someone else: the waiter was told then.
      this.waiters.get(requestId)?.resolve({ allow: false, message: reason });
      this.waiters.delete(requestId);
    }
  }

  private async note(workflowId: string, draft: EventDraft): Promise<void> {
    await this.deps.emit(workflowId, draft).catch(() => undefined);
  }
}

function grantedEvent(b: { requestId: string; stage: string; tool: string; summary: string }, rule: string | null, by: string, remembered = false): EventDraft {
  const how = by === 'rule' ? ` (rule ${rule})` : remembered ? ` (remembered for the repository as ${rule})` : '';
  return { agent: 'system', type: 'permission_granted', message: `Allowed ${b.summary}${how}`, data: { ...b, rule, by, remembered } };
}

function notWaiting(row: PermissionRow) {
  const status = row.status === 'pending' ? 'no longer waited on by a running stage' : row.status;
  return invalidState(`Tool request ${row.id} is ${status}, not waiting for a decision`, { requestId: row.id, status: row.status });
}
