import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../../shared/events';
import { appendEvents, CHUNK, emptyLog, eventAt, findInTail, insertEvents, isComplete, loadedEvents, missingChunks, tailFirst } from './eventLog';

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
const seqs = (events: readonly WorkflowEvent[]) => events.map((e) => e.sequence);
const all = (log: ReturnType<typeof emptyLog>) => seqs(loadedEvents(log));

describe('appendEvents', () => {
  it('starts an empty log at the first sequence it is given (a tail page)', () => {
    const { log } = appendEvents(emptyLog(), range(501, 1000));
    expect(log.first).toBe(501);
    expect(log.last).toBe(1000);
    expect(isComplete(log)).toBe(false);
  });

  it('drops duplicates, also overlapping ones and ones repeated inside a batch', () => {
    let { log } = appendEvents(emptyLog(), range(1, 5));
    ({ log } = appendEvents(log, [...range(3, 7), ev(7), ev(6)]));
    expect(all(log)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('sorts a batch that arrives out of order', () => {
    const { log } = appendEvents(appendEvents(emptyLog(), range(1, 2)).log, [ev(5), ev(3), ev(4)]);
    expect(all(log)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses to leave a hole and reports where the gap starts', () => {
    const start = appendEvents(emptyLog(), range(1, 3)).log;
    const { log, gapAfter } = appendEvents(start, [ev(4), ev(6), ev(7)]);
    expect(all(log)).toEqual([1, 2, 3, 4]);
    expect(gapAfter).toBe(4);
  });

  it('keeps the same object when nothing is new (no needless re-render)', () => {
    const start = appendEvents(emptyLog(), range(1, 3)).log;
    expect(appendEvents(start, range(1, 3)).log).toBe(start);
  });
});

describe('a sparse log (pages anywhere in 1..last)', () => {
  const tail = (last: number, size: number) => appendEvents(emptyLog(), range(last - size + 1, last)).log;

  it('finds an event by its sequence, and knows what is loaded', () => {
    const log = tail(100_000, 500);
    expect(eventAt(log, 100_000)?.message).toBe('line 100000');
    expect(eventAt(log, 99_501)?.sequence).toBe(99_501);
    expect(eventAt(log, 99_500)).toBeUndefined();
    expect(eventAt(log, 1)).toBeUndefined();
    expect(log.count).toBe(500);
    expect(log.first).toBe(99_501);
    expect(isComplete(log)).toBe(false);
  });

  it('inserts a page far before the tail without loading what lies between', () => {
    const log = insertEvents(tail(100_000, 500), range(1, CHUNK));
    expect(log.count).toBe(500 + CHUNK);
    expect(log.first).toBe(1);
    expect(log.last).toBe(100_000);
    expect(eventAt(log, 1)?.sequence).toBe(1);
    expect(eventAt(log, CHUNK + 1)).toBeUndefined();
    expect(loadedEvents(log).map((e) => e.sequence)).toEqual([...seqs(range(1, CHUNK)), ...seqs(range(99_501, 100_000))]);
  });

  it('merges overlapping pages: every sequence once, and the same event object kept (no re-render)', () => {
    const a = insertEvents(tail(3_000, 10), range(100, 700));
    const kept = eventAt(a, 500);
    const b = insertEvents(a, [...range(400, 1_200), ev(1_200), ev(3), ev(5_000), ev(0)]);
    expect(eventAt(b, 500)).toBe(kept);
    expect(b.count).toBe(10 + (1_200 - 100 + 1) + 1);
    expect(loadedEvents(b).map((e) => e.sequence)).toEqual([3, ...seqs(range(100, 1_200)), ...seqs(range(2_991, 3_000))]);
    // Beyond last is the live feed's (appendEvents keeps the tail gapless), and 0 is no sequence.
    expect(eventAt(b, 5_000)).toBeUndefined();
    expect(b.last).toBe(3_000);
    expect(insertEvents(b, range(400, 500))).toBe(b);
  });

  it('appends copy one chunk, not the log, and leave other chunks shared', () => {
    const log = insertEvents(tail(10_000, 500), range(1, CHUNK));
    const next = appendEvents(log, [ev(10_001)]).log;
    expect(next.last).toBe(10_001);
    expect(next.chunks[0]).toBe(log.chunks[0]);
    expect(eventAt(log, 10_001)).toBeUndefined(); // the previous state is untouched
    expect(eventAt(next, 10_001)?.sequence).toBe(10_001);
  });

  it('says which pages to load for a visible range, nearest to the reader first, and none once loaded', () => {
    const log = tail(100_000, 500);
    // A jump to the top: only the first page, not the 99,000 events between.
    expect(missingChunks(log, 1, 80)).toEqual([0]);
    const middle = 50_000;
    const around = missingChunks(log, middle - 3 * CHUNK, middle + 3 * CHUNK, middle);
    expect(around).toHaveLength(7);
    expect(Math.abs(around[0]! * CHUNK + CHUNK / 2 - middle)).toBeLessThanOrEqual(CHUNK / 2);
    // Clamped to 1..last; the loaded tail needs nothing.
    expect(missingChunks(log, 99_900, 120_000)).toEqual([]);
    expect(missingChunks(log, -50, 0)).toEqual([]);
    const loaded = insertEvents(log, range(1, CHUNK));
    expect(missingChunks(loaded, 1, 80)).toEqual([]);
    // A chunk with one hole is still missing.
    const holed = insertEvents(log, range(2, CHUNK));
    expect(missingChunks(holed, 1, CHUNK)).toEqual([0]);
  });

  it('the tail chunk is whole once it holds everything up to last', () => {
    const log = appendEvents(emptyLog(), range(1, CHUNK + 10)).log;
    expect(isComplete(log)).toBe(true);
    expect(missingChunks(log, 1, CHUNK + 10)).toEqual([]);
  });

  it('finds the newest match in the loaded tail only, and where that tail starts', () => {
    const withType = (seq: number, type: WorkflowEvent['type']) => ({ ...ev(seq), type });
    const log = insertEvents(appendEvents(emptyLog(), [withType(2_001, 'approval_required'), ...range(2_002, 2_600)]).log, [withType(10, 'approval_required'), ...range(11, 20)]);
    expect(findInTail(log, (e) => e.type === 'approval_required')?.sequence).toBe(2_001);
    expect(findInTail(log, (e) => e.type === 'approval_required', 100)).toBeUndefined();
    expect(tailFirst(log)).toBe(2_001);
    // Sequence 10's approval is in an older loaded page: not "the latest" (2,000 events between are unknown).
    const noGate = insertEvents(appendEvents(emptyLog(), range(2_001, 2_600)).log, [withType(10, 'approval_required')]);
    expect(findInTail(noGate, (e) => e.type === 'approval_required')).toBeUndefined();
    expect(tailFirst(appendEvents(emptyLog(), range(1, 3 * CHUNK + 7)).log)).toBe(1);
    expect(tailFirst(emptyLog())).toBe(0);
  });

  it('keeps the agents of the loaded events, sorted, and the same array while none is new', () => {
    const withAgent = (seq: number, agent: string) => ({ ...ev(seq), agent });
    const a = appendEvents(emptyLog(), [withAgent(5, 'reviewer'), withAgent(6, 'developer')]).log;
    expect(a.agents).toEqual(['developer', 'reviewer']);
    const b = appendEvents(a, [withAgent(7, 'developer')]).log;
    expect(b.agents).toBe(a.agents);
    const c = insertEvents(b, [withAgent(4, 'architect')]);
    expect(c.agents).toEqual(['architect', 'developer', 'reviewer']);
  });
});
