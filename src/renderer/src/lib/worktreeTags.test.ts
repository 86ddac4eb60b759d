import { describe, expect, it } from 'vitest';
import type { WorktreeRun } from '../../../shared/domain';
import { worktreeTags } from './worktreeTags';

const run = (kind: WorktreeRun['kind'], status: WorktreeRun['status'], failure: Partial<WorktreeRun> = {}): WorktreeRun => ({
  id: `${kind}-1`, worktreePath: '/w', kind, status, failedStep: null, failureReason: null, startedAt: 't', endedAt: null, ...failure,
});

describe('worktreeTags', () => {
  it('names each state of rule 13 with its reason, and nothing for a plain worktree', () => {
    expect(worktreeTags({ setup: null, run: null, portBase: 41_000, stale: false })).toEqual([]);
    expect(worktreeTags({ setup: run('setup', 'running'), run: null, portBase: 41_000 }).map((t) => t.text)).toEqual(['setting up']);
    const failed = worktreeTags({ setup: run('setup', 'failed', { failedStep: 'install', failureReason: 'exit code 1' }), run: run('run', 'running'), portBase: 41_000, stale: true });
    expect(failed.map((t) => [t.text, t.bad])).toEqual([['setup failed', true], ['running', false], ['merged', false]]);
    expect(failed[0]!.title).toBe('Setup failed at step install: exit code 1 (U re-runs it)');
    expect(failed[1]!.title).toBe('The run command is running on ports 41000–41009 (X stops it)');
  });
});
