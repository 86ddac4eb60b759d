import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { WorkflowEvent } from '../../../shared/events';
import { CHUNK, eventAt, isComplete, loadedEvents } from '../lib/eventLog';
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
    expect(log().count).toBe(TAIL_PAGE);
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
    expect(loadedEvents(log()).map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
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
    expect(loadedEvents(log()).map((e) => e.sequence).slice(-3)).toEqual([11, 12, 13]);
  });

  /** Resolves when no page request is in flight (each answer may start the next one). */
  const idle = async (log: () => { pending: number }, settle: () => Promise<unknown>) => {
    do await settle();
    while (log().pending > 0);
  };

  it('loads only the pages of the range shown: a jump to the top of 100,000 events loads one', async () => {
    const { client, feed, log, settle } = setup(100_000);
    feed.open('w1');
    await settle();
    feed.show('w1', 1, 40, 20);
    expect(log().pending).toBe(1);
    await idle(log, settle);
    expect(eventAt(log(), 1)?.sequence).toBe(1);
    expect(log().count).toBe(TAIL_PAGE + CHUNK);
    const pages = client.calls.filter((c) => c.method === 'events.list').slice(1);
    expect(pages.map((c) => c.params)).toEqual([{ workflowId: 'w1', afterSequence: 0, limit: CHUNK }]);
    // The same range again asks nothing; a range straddling two pages asks for the two, two at a time at most.
    feed.show('w1', 1, 40, 20);
    feed.show('w1', 50_000 - 10, 50_000 + 10, 50_000);
    await idle(log, settle);
    expect(client.calls.filter((c) => c.method === 'events.list')).toHaveLength(4);
    expect(loadedEvents(log()).filter((e) => e.sequence > CHUNK && e.sequence < 99_000)).toHaveLength(2 * CHUNK);
  });

  it('a range asked for before the tail arrived loads once it is there', async () => {
    const { feed, log, settle } = setup(20_000);
    feed.open('w1');
    feed.show('w1', 1, 10, 5);
    await idle(log, settle);
    expect(eventAt(log(), 1)?.sequence).toBe(1);
  });

  it('loads everything for a complete search, nearest the tail first, a few pages per request', async () => {
    const { client, feed, log, settle } = setup(5_000);
    feed.open('w1');
    await settle();
    feed.loadAll('w1');
    await idle(log, settle);
    expect(isComplete(log())).toBe(true);
    expect(loadedEvents(log()).map((e) => e.sequence)).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
    const pages = client.calls.filter((c) => c.method === 'events.list').slice(1);
    expect(pages.length).toBeLessThan((5_000 - TAIL_PAGE) / CHUNK);
  });

  it('a failed page is shown and not asked again until the reader moves', async () => {
    const { client, feed, log, settle } = setup(10_000);
    feed.open('w1');
    await settle();
    client.handle('events.list', () => {
      throw new Error('core went away');
    });
    feed.show('w1', 1, 10, 5);
    await idle(log, settle);
    expect(log().error).toBe('core went away');
    expect(log().status).toBe('ready');
    const asked = client.calls.length;
    feed.show('w1', 1, 10, 5);
    await idle(log, settle);
    expect(client.calls).toHaveLength(asked);
    feed.show('w1', 2, 11, 6);
    await idle(log, settle);
    expect(client.calls).toHaveLength(asked + 1);
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
