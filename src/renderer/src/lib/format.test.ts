import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../shared/domain';
import { WORKFLOW_STATUSES } from '../../../shared/status';
import { baseName, elapsedMs, formatClock, formatCount, formatDuration, sandboxOf, STATUS_LABEL, stepsOf } from './format';

const pipeline: Workflow['pipeline'] = {
  name: 'default',
  stages: [
    { name: 'plan', agent: 'architect', run: ['p'], captureAs: 'plan' },
    { name: 'approve', approval: true },
    { name: 'implement', agent: 'developer', run: ['i'] },
  ],
};
const states = (status: Workflow['status'], currentStage: string | null) => stepsOf({ pipeline, status, currentStage }).map((s) => s.state);

describe('format', () => {
  it('has a distinct word for every status', () => {
    const labels = WORKFLOW_STATUSES.map((s) => STATUS_LABEL[s]);
    expect(new Set(labels).size).toBe(WORKFLOW_STATUSES.length);
  });
  it('formats durations compactly', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(65_000)).toBe('1m 05s');
    expect(formatDuration(3_725_000)).toBe('1h 02m');
  });
  it('measures elapsed time to now while active and to completion when ended', () => {
    const base = { createdAt: '2025-01-01T00:00:00Z', startedAt: '2025-01-01T00:00:10Z', completedAt: null };
    expect(elapsedMs({ ...base, status: 'in_progress' }, Date.parse('2025-01-01T00:01:10Z'))).toBe(60_000);
    expect(elapsedMs({ ...base, status: 'completed', completedAt: '2025-01-01T00:00:40Z' }, Date.now())).toBe(30_000);
  });
  it('marks the stage stepper against status and current stage', () => {
    expect(states('queued', null)).toEqual(['todo', 'todo', 'todo']);
    expect(states('in_progress', 'plan')).toEqual(['current', 'todo', 'todo']);
    expect(states('blocked', 'approve')).toEqual(['done', 'waiting', 'todo']);
    expect(states('failed', 'implement')).toEqual(['done', 'done', 'failed']);
    expect(states('completed', 'implement')).toEqual(['done', 'done', 'done']);
  });
  it('takes the last path segment', () => {
    expect(baseName('/tmp/repo.worktrees/feature-a/')).toBe('feature-a');
  });
});

describe('formatClock', () => {
  const local = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour12: false });
  it('prints the local time of day to the second, as toLocaleTimeString does', () => {
    for (const iso of ['2026-12-01T13:05:09.120Z', '2026-12-01T13:05:09.999Z', '2026-12-01T13:05:10.000Z', '2026-12-01T13:05:09.500Z', '2026-06-30T23:59:59.001+02:00']) {
      expect(formatClock(iso), iso).toBe(local(iso));
    }
  });
  it('returns an unreadable timestamp as it is', () => {
    expect(formatClock('not a time')).toBe('not a time');
    expect(formatClock('2026-12-01T13:05:09.120Z')).toBe(local('2026-12-01T13:05:09.120Z'));
  });
});

describe('formatCount', () => {
  it('prints what toLocaleString prints', () => {
    for (const n of [0, 7, 1234, 1234567, 100000]) expect(formatCount(n)).toBe(n.toLocaleString());
  });
});

describe('sandboxOf (rule 11: a CLI that cannot ask shows its sandbox)', () => {
  const started = (stage: string, sequence: number, sandbox?: string) =>
    ({ id: String(sequence), workflowId: 'w', sequence, timestamp: '', agent: 'developer', type: 'stage_started', message: '', data: { stage, ...(sandbox ? { sandbox } : {}) } }) as const;
  it('reads the latest stage_started of the current stage', () => {
    type Started = ReturnType<typeof started>;
    const inOrder = (events: Started[]) => (match: (e: Started) => boolean) => [...events].reverse().find(match);
    const events = [started('plan', 1, 'read-only'), started('implement', 2, 'workspace-write')];
    expect(sandboxOf(inOrder(events), 'implement')).toBe('workspace-write');
    expect(sandboxOf(inOrder(events), 'plan')).toBe('read-only');
    expect(sandboxOf(inOrder([...events, started('implement', 3)]), 'implement')).toBeNull();
    expect(sandboxOf(inOrder(events), null)).toBeNull();
    expect(sandboxOf(undefined, 'plan')).toBeNull();
  });
});
