// The transitions against SQLite, without an orchestrator: a lost race writes nothing, a win
// writes its events in the same commit, and the bookkeeping runs only after a commit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workflow } from '../../shared/domain';
import { EventLog } from './eventLog';
import { openStorage, type Storage } from './store/storage';
import { EMPTY_RUN_STATE, type WorkflowRecord } from './store/workflowStore';
import { Transitions } from './transitions';

let dir: string;
let storage: Storage;
let log: EventLog;
let transitions: Transitions;
let changed: Workflow[];
let n = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-tr-'));
  storage = openStorage(dir, { checkpointWorker: false });
  changed = [];
  log = new EventLog(storage.db, storage.events, () => undefined);
  transitions = new Transitions(log, storage.workflows, () => new Date(), (w) => changed.push(w));
});
afterEach(async () => {
  log.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

function running(): WorkflowRecord {
  const id = `w${++n}`;
  const base = { id, issueId: id, title: '', description: '', worktreePath: `/tmp/${id}`, worktreeName: id, createdAt: new Date().toISOString() };
  const rec = transitions.create({ ...base, pipeline: { name: 'p', stages: [] } }, () => 'pending');
  return transitions.begin(rec)!;
}

const types = (id: string) => storage.events.list(id, 0, 100).map((e) => e.type);

describe('Transitions', () => {
  it('writes a transition and its events in one commit, then tells of it', () => {
    const rec = running();
    expect(types(rec.workflow.id)).toEqual(['workflow_started']);
    const failed = transitions.fail(rec, 'stage x exited 1')!;
    expect(failed.workflow).toMatchObject({ status: 'failed', failureReason: 'stage x exited 1' });
    expect(types(rec.workflow.id)).toEqual(['workflow_started', 'workflow_failed']);
    expect(changed.map((w) => w.status)).toEqual(['pending', 'in_progress', 'failed']);
  });

  it('returns null and writes nothing when it lost the race', () => {
    const rec = running();
    transitions.cancel(rec, 'by the user');
    const before = changed.length;
    expect(transitions.complete(rec, EMPTY_RUN_STATE)).toBeNull();
    expect(transitions.fail(rec, 'late')).toBeNull();
    expect(types(rec.workflow.id)).toEqual(['workflow_started', 'workflow_cancelled']);
    expect(changed).toHaveLength(before);
  });

  it('rolls back the approval_required event when the gate lost the race', () => {
    const rec = running();
    transitions.cancel(rec, 'by the user');
    expect(transitions.blockAtGate(rec, { name: 'approve', index: 1 }, EMPTY_RUN_STATE)).toBeNull();
    expect(types(rec.workflow.id)).toEqual(['workflow_started', 'workflow_cancelled']);
    expect(storage.workflows.get(rec.workflow.id)!.workflow.status).toBe('cancelled');
  });

  it('keeps the blocked row while it waits at the gate, and correlates the answer with the gate event', () => {
    const rec = running();
    const blocked = transitions.blockAtGate(rec, { name: 'approve', index: 1 }, { ...EMPTY_RUN_STATE, plan: 'p' })!;
    expect(transitions.atGate(rec.workflow.id)).toBe(blocked);
    const gateEvent = storage.events.list(rec.workflow.id, 0, 100).find((e) => e.type === 'approval_required')!;
    expect(blocked.runState.gateEventId).toBe(gateEvent.id);
    transitions.approve(blocked);
    expect(transitions.atGate(rec.workflow.id)).toBeUndefined();
    const granted = storage.events.list(rec.workflow.id, 0, 100).find((e) => e.type === 'approval_granted')!;
    expect(granted.correlationId).toBe(gateEvent.id);
  });

  it('fails an interrupted pending workflow by way of in_progress, in one transaction', () => {
    const id = `w${++n}`;
    const rec = transitions.create(
      { id, issueId: id, title: '', description: '', worktreePath: `/tmp/${id}`, worktreeName: id, pipeline: { name: 'p', stages: [] }, createdAt: new Date().toISOString() },
      () => 'pending',
    );
    const failed = transitions.interrupt(rec, 'interrupted: the application stopped during stage (not started)')!;
    expect(failed.workflow.status).toBe('failed');
    expect(types(id)).toEqual(['workflow_failed']);
  });

  it('records a crash’s system_error even when the workflow already ended', () => {
    const rec = running();
    transitions.cancel(rec, 'by the user');
    expect(transitions.crash(rec, 'internal error: boom')).toBeNull();
    expect(types(rec.workflow.id)).toEqual(['workflow_started', 'workflow_cancelled', 'system_error']);
  });
});
