import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../../shared/events';
import { appendEvents, emptyLog, hasOlder, prependEvents } from './eventLog';

const ev = (sequence: number): WorkflowEvent => ({
  id: `e${sequence}`,
  workflowId: 'w1',
  sequence,
  timestamp: '2025-01-01T00:00:00.000Z',
  agent: 'system',
  type: 'agent_output',
  message: `line ${sequence}`,
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ev(from + i));
const seqs = (events: WorkflowEvent[]) => events.map((e) => e.sequence);

describe('appendEvents', () => {
  it('starts an empty log at the first sequence it is given (a tail page)', () => {
    const { log } = appendEvents(emptyLog(), range(501, 1000));
    expect(log.first).toBe(501);
    expect(log.last).toBe(1000);
    expect(hasOlder(log)).toBe(true);
  });

  it('drops duplicates, also overlapping ones and ones repeated inside a batch', () => {
    let { log } = appendEvents(emptyLog(), range(1, 5));
    ({ log } = appendEvents(log, [...range(3, 7), ev(7), ev(6)]));
    expect(seqs(log.events)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('sorts a batch that arrives out of order', () => {
    const { log } = appendEvents(appendEvents(emptyLog(), range(1, 2)).log, [ev(5), ev(3), ev(4)]);
    expect(seqs(log.events)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses to leave a hole and reports where the gap starts', () => {
    const start = appendEvents(emptyLog(), range(1, 3)).log;
    const { log, gapAfter } = appendEvents(start, [ev(4), ev(6), ev(7)]);
    expect(seqs(log.events)).toEqual([1, 2, 3, 4]);
    expect(gapAfter).toBe(4);
  });

  it('keeps the same object when nothing is new (no needless re-render)', () => {
    const start = appendEvents(emptyLog(), range(1, 3)).log;
    expect(appendEvents(start, range(1, 3)).log).toBe(start);
  });
});

describe('prependEvents', () => {
  it('adds an older page directly below the loaded range', () => {
    const tail = appendEvents(emptyLog(), range(501, 600)).log;
    const log = prependEvents({ ...tail, loadingOlder: true }, range(1, 500));
    expect(log.first).toBe(1);
    expect(log.events).toHaveLength(600);
    expect(log.loadingOlder).toBe(false);
    expect(hasOlder(log)).toBe(false);
  });

  it('ignores overlap and anything that would leave a hole', () => {
    const tail = appendEvents(emptyLog(), range(10, 12)).log;
    const log = prependEvents(tail, [ev(2), ev(3), ev(7), ev(8), ev(9), ev(10), ev(11)]);
    expect(seqs(log.events)).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('keeps the agents of the loaded events, sorted, and the same array while none is new', () => {
    const withAgent = (seq: number, agent: string) => ({ ...ev(seq), agent });
    const a = appendEvents(emptyLog(), [withAgent(5, 'reviewer'), withAgent(6, 'developer')]).log;
    expect(a.agents).toEqual(['developer', 'reviewer']);
    const b = appendEvents(a, [withAgent(7, 'developer')]).log;
    expect(b.agents).toBe(a.agents);
    const c = prependEvents(b, [withAgent(4, 'architect')]);
    expect(c.agents).toEqual(['architect', 'developer', 'reviewer']);
  });
});
