import { describe, expect, it } from 'vitest';
import { createExpandedStore } from './expanded';

describe('expanded rows', () => {
  it('opens and closes a row by id without touching the others', () => {
    const store = createExpandedStore();
    store.getState().toggle('a');
    store.getState().toggle('b');
    expect([...store.getState().open].sort()).toEqual(['a', 'b']);
    const before = store.getState().open;
    store.getState().toggle('a');
    expect([...store.getState().open]).toEqual(['b']);
    // A new set each time, so selectors see the change.
    expect(store.getState().open).not.toBe(before);
  });
});
