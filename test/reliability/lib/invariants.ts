// The invariants every scenario checks against the database: each returns a list of problems
// (empty = the invariant held), so a scenario can print exactly what broke.
import { ACTIVE_STATUSES, RUNNING_STATUSES, TRANSITIONS, canTransition, isTerminal, type WorkflowStatus } from '../../../src/shared/status';
import type { Workflow } from '../../../src/shared/domain';
import type { Ack, Client } from './client';
import type { EventRow, Snapshot } from './db';

const short = (id: string) => id.slice(0, 8);

/** Rule 3: each workflow's sequences are exactly 1..n. */
export function gaplessSequences(s: Snapshot): string[] {
  const problems: string[] = [];
  for (const [id, list] of s.events) {
    list.forEach((e, i) => {
      if (e.sequence !== i + 1 && problems.length < 20) problems.push(`workflow ${short(id)}: sequence ${e.sequence} at position ${i + 1}`);
    });
  }
  return problems;
}

/** Rule 1: at most one active workflow per worktree. */
export function oneActivePerWorktree(s: Snapshot): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const w of s.workflows.values()) {
    if (!(ACTIVE_STATUSES as readonly string[]).includes(w.status)) continue;
    const other = seen.get(w.worktree_path);
    if (other) problems.push(`${w.worktree_path}: ${short(other)} and ${short(w.id)} are both active`);
    seen.set(w.worktree_path, w.id);
  }
  return problems;
}

/** Rule 2: pending + in_progress + blocked ≤ limit. */
export function runningWithinLimit(statuses: Iterable<WorkflowStatus>, limit: number): string[] {
  let n = 0;
  for (const st of statuses) if ((RUNNING_STATUSES as readonly string[]).includes(st)) n++;
  return n > limit ? [`${n} workflows running, limit ${limit}`] : [];
}

const EFFECT: Partial<Record<string, WorkflowStatus>> = {
  workflow_started: 'in_progress',
  approval_required: 'blocked',
  approval_granted: 'in_progress',
  revision_requested: 'in_progress',
  workflow_completed: 'completed',
  workflow_failed: 'failed',
  workflow_cancelled: 'cancelled',
};

/**
 * Rule 5: replaying a workflow's events through the state machine must be a legal path that
 * ends in the status the database holds. queued -> pending has no event (allowed implicitly);
 * recovery fails a pending workflow through in_progress in one step ("interrupted").
 */
export function statusFromEvents(status: WorkflowStatus, events: EventRow[]): string | null {
  let state: WorkflowStatus = 'pending';
  const gates = new Set<string>();
  const answeredGates = new Set<string>();
  for (const e of events) {
    if (e.type === 'approval_required') gates.add(e.id);
    if (e.type === 'approval_granted' || e.type === 'approval_rejected') {
      if (!e.correlation_id || !gates.has(e.correlation_id)) return `#${e.sequence} ${e.type} does not name an approval_required event`;
      if (answeredGates.has(e.correlation_id)) return `#${e.sequence} ${e.type}: the gate ${short(e.correlation_id)} was already answered`;
      answeredGates.add(e.correlation_id);
    }
    const to = EFFECT[e.type];
    if (!to) continue;
    if (isTerminal(state)) return `#${e.sequence} ${e.type} after the workflow ended (${state})`;
    if (to === state && to === 'in_progress') continue; // a review loop's revision_requested
    const interrupted = state === 'pending' && to === 'failed' && (e.message.includes('interrupted') || (e.data_json ?? '').includes('interrupted'));
    if (!canTransition(state, to) && !interrupted) return `#${e.sequence} ${e.type}: ${state} -> ${to} is not a transition of the state machine`;
    state = to;
  }
  if (state === status) return null;
  if (state === 'pending' && (status === 'queued' || status === 'pending')) return null;
  return `events lead to ${state}, the row says ${status}`;
}

export function statusesReachable(s: Snapshot): string[] {
  const problems: string[] = [];
  for (const w of s.workflows.values()) {
    const p = statusFromEvents(w.status, s.events.get(w.id) ?? []);
    if (p) problems.push(`workflow ${short(w.id)}: ${p}`);
  }
  return problems;
}

function reachable(from: WorkflowStatus, to: WorkflowStatus): boolean {
  const seen = new Set<WorkflowStatus>([from]);
  const todo: WorkflowStatus[] = [from];
  while (todo.length) {
    const s = todo.pop()!;
    if (s === to) return true;
    for (const n of TRANSITIONS[s]) {
      if (seen.has(n)) continue;
      seen.add(n);
      todo.push(n);
    }
  }
  return false;
}

/**
 * Rule 9: every event a client was pushed is in the database with the same id and sequence;
 * every status a client was told (answer or push) is the database's or an earlier step of it;
 * every acknowledged command left its mark.
 */
export function acknowledgedPresent(s: Snapshot, clients: readonly Client[], acks: readonly Ack[]): string[] {
  const problems: string[] = [];
  const add = (p: string) => problems.length < 30 && problems.push(p);
  for (const c of clients) {
    for (const [wid, byseq] of c.events) {
      const stored = s.events.get(wid) ?? [];
      for (const [seq, e] of byseq) {
        const row = stored[seq - 1];
        if (!row || row.id !== e.id) add(`pushed event ${short(wid)}#${seq} (${e.type}) is missing from the database`);
      }
    }
    for (const w of c.workflowPushes) checkTold(w, 'push');
  }
  function checkTold(w: Workflow, how: string) {
    const row = s.workflows.get(w.id);
    if (!row) return add(`${how}: workflow ${short(w.id)} is missing from the database`);
    if (!reachable(w.status, row.status) && !(w.status === 'pending' && row.status === 'failed')) {
      add(`${how}: workflow ${short(w.id)} was ${w.status}, the database says ${row.status}`);
    }
  }
  const has = (wid: string, type: string) => (s.events.get(wid) ?? []).some((e) => e.type === type);
  for (const a of acks) {
    if (!a.answer.ok) continue;
    const r = (a.answer as { result: unknown }).result;
    const wid = (a.params as { workflowId?: string } | undefined)?.workflowId;
    switch (a.method) {
      case 'workflows.start':
        checkTold(r as Workflow, 'start answer');
        break;
      case 'workflows.approve':
        checkTold(r as Workflow, 'approve answer');
        if (wid && !has(wid, 'approval_granted')) add(`approve of ${short(wid)} was acknowledged, no approval_granted stored`);
        break;
      case 'workflows.reject':
        checkTold(r as Workflow, 'reject answer');
        if (wid && !has(wid, 'approval_rejected')) add(`reject of ${short(wid)} was acknowledged, no approval_rejected stored`);
        break;
      case 'workflows.cancel':
        checkTold(r as Workflow, 'cancel answer');
        if (wid && s.workflows.get(wid)?.status !== 'cancelled') add(`cancel of ${short(wid)} was acknowledged, it is ${s.workflows.get(wid)?.status}`);
        break;
      case 'workflows.cancelAll':
        for (const id of (r as { cancelled: string[] }).cancelled) {
          if (s.workflows.get(id)?.status !== 'cancelled') add(`cancelAll acknowledged ${short(id)}, it is ${s.workflows.get(id)?.status}`);
        }
        break;
    }
  }
  return problems;
}

/**
 * Never two successes for conflicting operations on one workflow: approve + reject, reject +
 * cancel (a reject fails the workflow, a cancel after it must fail), two approves of one gate
 * (pipelines here have one gate and no replan), two cancels.
 */
export function noConflictingSuccesses(acks: readonly Ack[], s: Snapshot): string[] {
  const wins = new Map<string, { approve: number; reject: number; cancel: number }>();
  const get = (id: string) => {
    let w = wins.get(id);
    if (!w) wins.set(id, (w = { approve: 0, reject: 0, cancel: 0 }));
    return w;
  };
  for (const a of acks) {
    if (!a.answer.ok) continue;
    const wid = (a.params as { workflowId?: string } | undefined)?.workflowId;
    if (a.method === 'workflows.approve' && wid) get(wid).approve++;
    if (a.method === 'workflows.reject' && wid) get(wid).reject++;
    if (a.method === 'workflows.cancel' && wid) get(wid).cancel++;
    if (a.method === 'workflows.cancelAll') for (const id of (a.answer as { result: { cancelled: string[] } }).result.cancelled) get(id).cancel++;
  }
  const problems: string[] = [];
  for (const [id, w] of wins) {
    const status = s.workflows.get(id)?.status;
    if (w.approve + w.reject > 1) problems.push(`${short(id)}: ${w.approve} approve and ${w.reject} reject succeeded on one gate`);
    if (w.cancel > 1) problems.push(`${short(id)}: cancelled ${w.cancel} times`);
    if (w.reject > 0 && w.cancel > 0) problems.push(`${short(id)}: both reject and cancel succeeded`);
    if (w.cancel > 0 && status !== 'cancelled') problems.push(`${short(id)}: cancel succeeded but it is ${status}`);
    if (w.reject > 0 && status !== 'failed') problems.push(`${short(id)}: reject succeeded but it is ${status}`);
  }
  return problems;
}
