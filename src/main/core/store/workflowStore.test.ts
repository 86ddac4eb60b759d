// The compare-and-set of rule 5, table-driven over every (from, to) pair, against SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_STATUSES, canTransition, sourcesOf, type WorkflowStatus } from '../../../shared/status';
import { openDatabase } from './database';
import { WorkflowStore } from './workflowStore';

let dir: string;
let db: Database.Database;
let store: WorkflowStore;
let n = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-wf-'));
  db = openDatabase(join(dir, 'switchyard.db'));
  store = new WorkflowStore(db);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function rowIn(status: WorkflowStatus): string {
  const id = `w${++n}`;
  store.insert({
    id,
    issueId: id,
    title: '',
    description: '',
    worktreePath: `/tmp/worktree-${id}`,
    worktreeName: id,
    pipeline: { name: 'p', stages: [] },
    status: 'pending',
    createdAt: new Date().toISOString(),
  });
  db.prepare('UPDATE workflows SET status = ? WHERE id = ?').run(status, id);
  return id;
}

describe('transition compare-and-set', () => {
  for (const from of WORKFLOW_STATUSES) {
    for (const to of WORKFLOW_STATUSES) {
      const sources = sourcesOf(to);
      it(`${from} -> ${to}: ${canTransition(from, to) ? 'moves' : 'stays'}`, () => {
        const id = rowIn(from);
        if (sources.length === 0) {
          expect(() => store.transition(store.get(id)!, [from], to)).toThrow(/state machine forbids/);
          return;
        }
        const result = store.transition(store.get(id)!, sources, to);
        expect(result?.workflow.status ?? null).toBe(canTransition(from, to) ? to : null);
        expect(store.get(id)!.workflow.status).toBe(canTransition(from, to) ? to : from);
      });
    }
  }

  it('refuses to be asked for a move the state machine forbids', () => {
    const id = rowIn('completed');
    expect(() => store.transition(store.get(id)!, ['completed'], 'in_progress')).toThrow(/state machine forbids/);
    expect(store.get(id)!.workflow.status).toBe('completed');
  });

  it('returns the row as stored, even from a record read before other changes to it', () => {
    const id = rowIn('pending');
    const stale = store.get(id)!;
    store.setUsage(id, { inputTokens: 7, outputTokens: 3, cachedTokens: 1, costUsd: 0.25 });
    store.updateProgress(id, 'pending', 'plan', 2, { ...stale.runState, plan: 'p' });
    const moved = store.transition(stale, ['pending'], 'in_progress', { startedAt: '2026-12-01T00:00:00.000Z', currentStage: 'implement' });
    expect(moved).toEqual(store.get(id));
    expect(moved!.workflow).toMatchObject({ currentStage: 'implement', usage: { inputTokens: 7, costUsd: 0.25 } });
    expect(moved!.runState.plan).toBe('p');
    expect(moved!.stageIndex).toBe(2);
  });

  it('lets exactly one of two racing moves from the same state win', () => {
    const id = rowIn('blocked');
    const rec = store.get(id)!;
    const approve = store.transition(rec, ['blocked'], 'in_progress');
    const reject = store.transition(rec, ['blocked'], 'failed');
    expect(approve?.workflow.status).toBe('in_progress');
    expect(reject).toBeNull();
  });
});

describe('one active workflow per worktree (rule 1, the database backstop)', () => {
  it('refuses a second active row for a worktree, allows any number of ended ones', () => {
    const insert = (id: string, status: WorkflowStatus) =>
      db
        .prepare(
          `INSERT INTO workflows (id, issue_id, title, description, worktree_path, worktree_name, pipeline_json, status, created_at)
           VALUES (?, 'i', '', '', '/tmp/shared-worktree', 'x', '{}', ?, '')`,
        )
        .run(id, status);
    insert('done1', 'completed');
    insert('done2', 'failed');
    insert('done3', 'cancelled');
    insert('live', 'queued');
    for (const status of ['queued', 'pending', 'in_progress', 'blocked'] as const) {
      expect(() => insert(`second-${status}`, status)).toThrow(/UNIQUE/);
    }
  });
});

describe('pipelines read back', () => {
  it('equal what was stored, parsed once and frozen since every record of the workflow shares them', () => {
    const stages = [{ name: 'build', agent: 'developer', run: ['make', '{issueId}'] }];
    const id = `w${++n}`;
    store.insert({
      id,
      issueId: id,
      title: '',
      description: '',
      worktreePath: `/tmp/worktree-${id}`,
      worktreeName: id,
      pipeline: { name: 'shared', stages },
      status: 'pending',
      createdAt: new Date().toISOString(),
    });
    const a = store.get(id)!.workflow.pipeline;
    const b = store.transition(store.get(id)!, ['pending'], 'in_progress')!.workflow.pipeline;
    expect(a).toEqual({ name: 'shared', stages });
    expect(b).toBe(a);
    expect(Object.isFrozen(a.stages[0])).toBe(true);
    expect(() => (a.stages as unknown[]).push({})).toThrow(TypeError);
  });
});
