import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../shared/domain';
import { WORKFLOW_STATUSES } from '../../../shared/status';
import { baseName, elapsedMs, formatDuration, STATUS_LABEL, stepsOf } from './format';

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
