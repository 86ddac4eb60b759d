// Port ranges: never overlapping, whatever first base they were allocated under.
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { RUNS_KEPT, WorktreeRunStore } from './worktreeRunStore';

const open = () => new WorktreeRunStore(openDatabase(':memory:'));
const AT = '2026-01-01T00:00:00.000Z';

describe('WorktreeRunStore ports', () => {
  it('allocates the lowest free range, stable per worktree, never overlapping, and frees it on removal', () => {
    const s = open();
    expect(s.allocatePorts('/a', 40_000, AT)).toBe(40_000);
    expect(s.allocatePorts('/b', 40_000, AT)).toBe(40_010);
    expect(s.allocatePorts('/a', 40_000, AT)).toBe(40_000);
    // The first base changed to a misaligned one: the new range skips every overlap.
    expect(s.allocatePorts('/c', 40_005, AT)).toBe(40_020);
    expect(s.allocatePorts('/d', 39_995, AT)).toBe(40_030);
    s.forgetWorktree('/b');
    expect(s.portBase('/b')).toBeNull();
    expect(s.allocatePorts('/e', 40_000, AT)).toBe(40_010);
    const bases = ['/a', '/c', '/d', '/e'].map((p) => s.portBase(p)!).sort((x, y) => x - y);
    for (let i = 1; i < bases.length; i++) expect(bases[i]! - bases[i - 1]!).toBeGreaterThanOrEqual(10);
  });

  it('refuses when no range of 10 fits below 65536', () => {
    const s = open();
    expect(s.allocatePorts('/a', 65_526, AT)).toBe(65_526);
    expect(() => s.allocatePorts('/b', 65_526, AT)).toThrow(/no free range/);
  });
});

describe('WorktreeRunStore runs', () => {
  it('keeps the last few ended runs per worktree and kind, with their events, and never a running one', () => {
    const s = open();
    const at = (i: number) => `2026-01-01T00:00:0${i}.000Z`;
    const event = (runId: string) => ({ id: `e-${runId}`, workflowId: runId, sequence: 1, timestamp: AT, agent: 'run', type: 'agent_output' as const, message: 'x' });
    s.insertRun('run-0', '/w', 'run', at(0)); // still running: never pruned
    for (let i = 1; i <= RUNS_KEPT + 2; i++) {
      s.insertRun(`run-${i}`, '/w', 'run', at(i));
      s.events.insert(event(`run-${i}`));
      s.finish(`run-${i}`, 'stopped', at(i));
    }
    s.insertRun('setup-1', '/w', 'setup', at(9));
    s.insertRun('run-x', '/other', 'run', at(9));
    s.insertRun('run-last', '/w', 'run', at(9));
    const kept = ['run-0', ...Array.from({ length: RUNS_KEPT + 2 }, (_, i) => `run-${i + 1}`), 'run-last'].filter((id) => s.run(id));
    expect(kept).toEqual(['run-0', 'run-4', 'run-5', 'run-last']);
    expect(s.events.maxSequence('run-1')).toBe(0); // its events went with it
    expect(s.events.maxSequence('run-5')).toBe(1);
    expect(s.run('setup-1')).not.toBeNull();
    expect(s.run('run-x')).not.toBeNull();
  });
});
