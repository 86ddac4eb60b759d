// Port ranges: never overlapping, whatever first base they were allocated under.
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { WorktreeRunStore } from './worktreeRunStore';

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
