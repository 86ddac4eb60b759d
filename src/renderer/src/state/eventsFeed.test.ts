import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { WorkflowEvent } from '../../../shared/events';
import { createEventsFeed, TAIL_PAGE } from './eventsFeed';
import { event, FakeClient } from '../testing/fakeClient';
import type { EventsStore } from './stores';

/** A server-side log of `total` events answering events.list like the core does. */
function serverLog(client: FakeClient, workflowId: string, total: number) {
  const all: WorkflowEvent[] = Array.from({ length: total }, (_, i) => event(workflowId, i + 1));
  client.handle('events.list', (p) => {
    const limit = p.limit ?? 500;
    if (p.beforeSequence !== undefined) {
      const before = all.filter((e) => e.sequence < p.beforeSequence!);
      return before.slice(Math.max(0, before.length - limit));
    }
    return all.filter((e) => e.sequence > (p.afterSequence ?? 0)).slice(0, limit);
  });
  return all;
}

function setup(total: number) {
  const client = new FakeClient();
  const all = serverLog(client, 'w1', total);
  const store = createStore<EventsStore>(() => ({ logs: {} }));
  const frames: Array<() => void> = [];
  const feed = createEventsFeed(client, store, (run) => frames.push(run));
  const runFrames = () => frames.splice(0).forEach((f) => f());
  const log = () => store.getState().logs.w1!;
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { client, all, store, feed, runFrames, log, settle };
}

describe('events feed', () => {
  it('opens a 100,000-event workflow with one tail page and follows from its end', async () => {
    const { client, feed, log, settle } = setup(100_000);
    feed.open('w1');
    expect(log().status).toBe('loading');
    await settle();
    expect(log().status).toBe('ready');
    expect(log().events).toHaveLength(TAIL_PAGE);
    expect(log().first).toBe(100_000 - TAIL_PAGE + 1);
    expect(log().last).toBe(100_000);
    expect(client.followers.get('w1')?.after).toBe(100_000);
    const lists = client.calls.filter((c) => c.method === 'events.list');
    expect(lists.map((c) => c.params)).toEqual([{ workflowId: 'w1', beforeSequence: Number.MAX_SAFE_INTEGER, limit: TAIL_PAGE }]);
  });

  it('applies pushed batches once per frame, in order, without duplicates', async () => {
    const { client, feed, log, settle, runFrames, store } = setup(10);
    feed.open('w1');
    await settle();
    let renders = 0;
    const off = store.subscribe(() => renders++);
    client.pushEvents('w1', [event('w1', 11), event('w1', 12)]);
    client.pushEvents('w1', [event('w1', 12), event('w1', 13)]);
    client.pushEvents('w1', [event('w1', 14)]);
    expect(log().last).toBe(10);
    runFrames();
    off();
    expect(renders).toBe(1);
    expect(log().events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('refills a hole from the core instead of showing it', async () => {
    const { client, all, feed, log, settle, runFrames } = setup(10);
    feed.open('w1');
    await settle();
    all.push(event('w1', 11), event('w1', 12), event('w1', 13));
    client.pushEvents('w1', [event('w1', 13)]);
    runFrames();
    expect(log().last).toBe(10);
    await settle();
    runFrames();
    expect(log().events.map((e) => e.sequence).slice(-3)).toEqual([11, 12, 13]);
  });

  it('pages older events in on demand and all of them for a complete search', async () => {
    const { feed, log, settle } = setup(5_000);
    feed.open('w1');
    await settle();
    await feed.loadOlder('w1');
    expect(log().first).toBe(5_000 - TAIL_PAGE - 2_000 + 1);
    await feed.loadAll('w1');
    expect(log().first).toBe(1);
    expect(log().events.map((e) => e.sequence)).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
  });

  it('stops following and forgets the log when the last viewer closes it', async () => {
    const { client, feed, store, settle } = setup(3);
    const closeA = feed.open('w1');
    const closeB = feed.open('w1');
    await settle();
    closeA();
    expect(client.followers.has('w1')).toBe(true);
    closeB();
    expect(client.followers.has('w1')).toBe(false);
    expect(store.getState().logs.w1).toBeUndefined();
  });

  it('shows a failed load as an error with the core words', async () => {
    const client = new FakeClient().handle('events.list', () => {
      throw new Error('No workflow w9');
    });
    const store = createStore<EventsStore>(() => ({ logs: {} }));
    const feed = createEventsFeed(client, store, (run) => run());
    feed.open('w9');
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().logs.w9).toMatchObject({ status: 'error', error: 'No workflow w9' });
  });
});
