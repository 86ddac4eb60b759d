import { describe, expect, it } from 'vitest';
import { nextTailWindow, WHOLE_LIST, type TailWindow } from './tailWindow';

// A list whose row i has key 100 + i and is 26 px tall, laid out by a virtualizer holding `window`.
const list = (count: number, laidOutWith: TailWindow, laidOutCount = count, firstKey = 100) => ({
  count,
  keyAt: (i: number) => firstKey + i,
  startOf: (i: number) => (i >= laidOutWith.base && i < laidOutCount ? laidOutWith.start + (i - laidOutWith.base) * 26 : undefined),
  keep: 10,
});

describe('nextTailWindow', () => {
  it('holds the whole list until it has twice the rows it keeps', () => {
    expect(nextTailWindow(WHOLE_LIST, { ...list(20, WHOLE_LIST), following: true })).toBe(WHOLE_LIST);
  });

  it('then moves to the last `keep` rows, laid out after the height of the rows before them', () => {
    const w = nextTailWindow(WHOLE_LIST, { ...list(21, WHOLE_LIST), following: true });
    expect(w).toEqual({ base: 11, start: 11 * 26, key: 111 });
    // Growing within twice `keep` keeps it; beyond, it moves on from where it is.
    expect(nextTailWindow(w, { ...list(31, w), following: true })).toBe(w);
    const next = nextTailWindow(w, { ...list(32, w), following: true });
    expect(next).toEqual({ base: 22, start: 22 * 26, key: 122 });
  });

  it('waits a render when the new first row is not laid out yet (a batch larger than the window)', () => {
    const w: TailWindow = { base: 11, start: 286, key: 111 };
    // Laid out with 21 rows; 60 arrived at once: row 50 has no position yet.
    expect(nextTailWindow(w, { ...list(60, w, 21), following: true })).toBe(w);
  });

  it('goes back to the whole list when the list leaves the tail', () => {
    const w: TailWindow = { base: 11, start: 286, key: 111 };
    expect(nextTailWindow(w, { ...list(21, w), following: false })).toBe(WHOLE_LIST);
    expect(nextTailWindow(WHOLE_LIST, { ...list(500, WHOLE_LIST), following: false })).toBe(WHOLE_LIST);
  });

  it('goes back to the whole list when the list changed under the window', () => {
    const w: TailWindow = { base: 11, start: 286, key: 111 };
    // Older events put in front: row 11 is another event now.
    expect(nextTailWindow(w, { ...list(25, w, 25, 90), following: true })).toBe(WHOLE_LIST);
    // A filter left fewer rows than the window's base.
    expect(nextTailWindow(w, { ...list(5, w), following: true })).toBe(WHOLE_LIST);
  });
});
