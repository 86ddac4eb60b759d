// Push coalescing: under load at most one `events` push per workflow per interval, in sequence
// order; a workflow change goes out at once, after the events committed before it.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Push } from '../../src/shared/contract';
import type { Workflow } from '../../src/shared/domain';
import type { WorkflowEvent } from '../../src/shared/events';
import { Bus } from '../../src/main/core/bus';
import { createPushHub, PUSH_INTERVAL_MS } from '../../src/main/transport/pushHub';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const ev = (workflowId: string, sequence: number): WorkflowEvent => ({
  id: `${workflowId}-${sequence}`,
  workflowId,
  sequence,
  timestamp: new Date(0).toISOString(),
  agent: 'system',
  type: 'agent_output',
  message: String(sequence),
});

function setup() {
  const bus = new Bus();
  const hub = createPushHub(bus, { intervalMs: 16, now: () => Date.now() });
  const pushes: { at: number; push: Push }[] = [];
  hub.add((push) => pushes.push({ at: Date.now(), push }));
  return { bus, hub, pushes };
}

it('coalesces a flood into at most one push per workflow per 16 ms, in order, nothing lost', () => {
  const { bus, hub, pushes } = setup();
  const seq = { a: 0, b: 0 };
  // 1,000 batches per workflow over ~200 ms of fake time.
  for (let i = 0; i < 1000; i++) {
    for (const id of ['a', 'b'] as const) bus.emit('events', { workflowId: id, events: [ev(id, ++seq[id])] });
    if (i % 5 === 0) vi.advanceTimersByTime(1);
  }
  vi.advanceTimersByTime(100);
  for (const id of ['a', 'b']) {
    const mine = pushes.filter((p) => p.push.push === 'events' && p.push.data.workflowId === id);
    const sequences = mine.flatMap((p) => (p.push.push === 'events' ? p.push.data.events.map((e) => e.sequence) : []));
    expect(sequences).toEqual(Array.from({ length: 1000 }, (_v, i) => i + 1));
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.at - mine[i - 1]!.at).toBeGreaterThanOrEqual(16);
    expect(mine.length).toBeLessThanOrEqual(Math.ceil(200 / 16) + 1);
  }
  hub.close();
});

it('waits at most a quarter of a frame: the window batches per frame itself', () => {
  expect(PUSH_INTERVAL_MS).toBeLessThanOrEqual(16 / 4);
  const bus = new Bus();
  const hub = createPushHub(bus, { now: () => Date.now() });
  const pushes: number[] = [];
  hub.add(() => pushes.push(Date.now()));
  const t0 = Date.now();
  bus.emit('events', { workflowId: 'a', events: [ev('a', 1)] });
  bus.emit('events', { workflowId: 'a', events: [ev('a', 2)] });
  vi.advanceTimersByTime(PUSH_INTERVAL_MS);
  expect(pushes.map((at) => at - t0)).toEqual([0, PUSH_INTERVAL_MS]);
  // Batches further apart than the interval never wait.
  vi.advanceTimersByTime(10);
  bus.emit('events', { workflowId: 'a', events: [ev('a', 3)] });
  expect(pushes).toHaveLength(3);
  hub.close();
});

it('sends the first batch at once when the workflow was quiet', () => {
  const { bus, pushes } = setup();
  bus.emit('events', { workflowId: 'a', events: [ev('a', 1)] });
  expect(pushes).toHaveLength(1);
});

it('a workflow change flushes that workflow pending events first, then goes out immediately', () => {
  const { bus, pushes } = setup();
  bus.emit('events', { workflowId: 'a', events: [ev('a', 1)] });
  bus.emit('events', { workflowId: 'a', events: [ev('a', 2)] });
  bus.emit('workflow', { id: 'a', status: 'completed' } as Workflow);
  expect(pushes.map((p) => p.push.push)).toEqual(['events', 'events', 'workflow']);
  expect(pushes[1]!.push).toMatchObject({ data: { events: [{ sequence: 2 }] } });
  vi.advanceTimersByTime(100);
  expect(pushes).toHaveLength(3);
});

it('close flushes what is pending and stops listening', () => {
  const { bus, hub, pushes } = setup();
  bus.emit('events', { workflowId: 'a', events: [ev('a', 1)] });
  bus.emit('events', { workflowId: 'a', events: [ev('a', 2)] });
  hub.close();
  expect(pushes).toHaveLength(2);
  bus.emit('events', { workflowId: 'a', events: [ev('a', 3)] });
  vi.advanceTimersByTime(100);
  expect(pushes).toHaveLength(2);
});
