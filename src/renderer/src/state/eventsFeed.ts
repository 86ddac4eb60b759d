// Events of the workflows on screen: open at the tail (one page), follow live through the
// client's gapless `followEvents`, load the pages the reader scrolls to (any part of the log,
// lib/eventLog.ts), or all of them for a filter. Pushed batches are applied once
// per animation frame.
import type { StoreApi } from 'zustand/vanilla';
import type { WorkflowEvent } from '../../../shared/events';
import type { SwitchyardClient } from '../client';
import { appendEvents, CHUNK, emptyLog, insertEvents, missingChunks, TAIL_PAGE, type EventLog } from '../lib/eventLog';
import { createBatcher, type Scheduler } from '../lib/frame';
import type { EventsStore } from './stores';

export { TAIL_PAGE };
const CATCH_UP_PAGE = 5000;
/** Page requests at once: the one for the screen is not queued behind a filter's catch-up. */
const MAX_IN_FLIGHT = 2;
/** Chunks in one request of a filter's catch-up. */
const ALL_SPAN = 5;

interface Subscription {
  refs: number;
  unfollow: (() => void) | null;
  closed: boolean;
  /** What should be loaded: the range on screen [from, to, near], and everything (a filter is on). */
  want: { view: [number, number, number] | null; all: boolean };
  /** Chunks being requested. */
  inFlight: Set<number>;
  /** Chunks whose request failed, not asked again until the wanted range changes. */
  failed: Set<number>;
}

export interface EventsFeed {
  /** Shows a workflow's events; returns the function that stops showing them. */
  open(workflowId: string): () => void;
  /**
   * The reader looks at sequences from..to (with a margin), `near` being the middle of the screen:
   * the pages covering them that are not loaded yet load, nearest first, and nothing between
   * them and what is already loaded (a jump to the top of 100,000 events loads one page).
   */
  show(workflowId: string, from: number, to: number, near: number): void;
  /** Pages in every event not loaded yet (for a complete search); stays on until the log is closed. */
  loadAll(workflowId: string): void;
  /** Applies pending pushed batches now. */
  flush(): void;
}

export function createEventsFeed(client: SwitchyardClient, store: StoreApi<EventsStore>, schedule: Scheduler): EventsFeed {
  const subs = new Map<string, Subscription>();

  const setLog = (workflowId: string, update: (log: EventLog) => EventLog) =>
    store.setState((s) => {
      const log = s.logs[workflowId];
      if (!log) return s;
      const next = update(log);
      return next === log ? s : { logs: { ...s.logs, [workflowId]: next } };
    });

  const batcher = createBatcher<{ workflowId: string; events: WorkflowEvent[] }>(schedule, (items) => {
    const gaps: Array<[string, number]> = [];
    store.setState((s) => {
      let logs = s.logs;
      for (const { workflowId, events } of items) {
        const log = logs[workflowId];
        if (!log || log.status !== 'ready') continue;
        const { log: next, gapAfter } = appendEvents(log, events);
        if (next !== log) logs = { ...logs, [workflowId]: next };
        if (gapAfter !== null) gaps.push([workflowId, gapAfter]);
      }
      return logs === s.logs ? s : { logs };
    });
    for (const [workflowId, after] of gaps) void catchUp(workflowId, after);
  });

  /** Reads everything after `after`: a defensive refill should a batch ever skip ahead. */
  async function catchUp(workflowId: string, after: number): Promise<void> {
    let from = after;
    for (;;) {
      const page = await client.call('events.list', { workflowId, afterSequence: from, limit: CATCH_UP_PAGE });
      if (subs.get(workflowId)?.closed !== false) return;
      if (page.length > 0) batcher.push({ workflowId, events: page });
      if (page.length < CATCH_UP_PAGE) return;
      from = page[page.length - 1]!.sequence;
    }
  }

  async function start(workflowId: string, sub: Subscription): Promise<void> {
    store.setState((s) => ({ logs: { ...s.logs, [workflowId]: emptyLog() } }));
    try {
      const tail = await client.call('events.list', { workflowId, beforeSequence: Number.MAX_SAFE_INTEGER, limit: TAIL_PAGE });
      if (sub.closed) return;
      setLog(workflowId, (log) => ({ ...appendEvents(log, tail).log, status: 'ready' }));
      pump(workflowId); // a range or a filter asked for before the tail was there
      const last = store.getState().logs[workflowId]?.last ?? 0;
      // followEvents first reads what came after `last` (events emitted since the tail read),
      // then delivers pushes gaplessly and refills after a reconnect.
      sub.unfollow = client.followEvents(workflowId, last, (events) => batcher.push({ workflowId, events }));
    } catch (error) {
      if (sub.closed) return;
      setLog(workflowId, (log) => ({ ...log, status: 'error', error: error instanceof Error ? error.message : String(error) }));
    }
  }

  function open(workflowId: string): () => void {
    let sub = subs.get(workflowId);
    if (sub) sub.refs++;
    else {
      sub = { refs: 1, unfollow: null, closed: false, want: { view: null, all: false }, inFlight: new Set(), failed: new Set() };
      subs.set(workflowId, sub);
      void start(workflowId, sub);
    }
    const own = sub;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      own.refs--;
      if (own.refs > 0) return;
      own.closed = true;
      own.unfollow?.();
      subs.delete(workflowId);
      store.setState((s) => {
        const { [workflowId]: _dropped, ...logs } = s.logs;
        return { logs };
      });
    };
  }

  /** Moves the loads along: the chunks wanted now (view first, then a filter's everything), two requests at a time. */
  function pump(workflowId: string): void {
    const sub = subs.get(workflowId);
    const log = store.getState().logs[workflowId];
    if (!sub || sub.closed || !log || log.status !== 'ready') return;
    while (sub.inFlight.size < MAX_IN_FLIGHT) {
      const { view, all } = sub.want;
      const pick = (chunks: number[]) => chunks.find((c) => !sub.inFlight.has(c) && !sub.failed.has(c));
      let chunk = view ? pick(missingChunks(log, view[0], view[1], view[2])) : undefined;
      let span = 1;
      if (chunk === undefined && all) {
        // A filter's catch-up: the newest missing chunk first, with the missing ones just below
        // it in the same request (fewer round trips, and the list grows from the tail backwards).
        const missing = missingChunks(log, 1, log.last, log.last).filter((c) => !sub.inFlight.has(c) && !sub.failed.has(c));
        chunk = missing[0];
        if (chunk !== undefined) {
          while (span < ALL_SPAN && chunk > 0 && missing.includes(chunk - 1)) {
            chunk--;
            span++;
          }
        }
      }
      if (chunk === undefined) return;
      void loadChunks(workflowId, sub, chunk, span);
    }
  }

  async function loadChunks(workflowId: string, sub: Subscription, from: number, span: number): Promise<void> {
    for (let c = from; c < from + span; c++) sub.inFlight.add(c);
    setLog(workflowId, (l) => ({ ...l, pending: l.pending + 1 }));
    try {
      const page = await client.call('events.list', { workflowId, afterSequence: from * CHUNK, limit: span * CHUNK });
      if (sub.closed) return;
      setLog(workflowId, (l) => ({ ...insertEvents(l, page), pending: l.pending - 1, error: null }));
    } catch (error) {
      if (sub.closed) return;
      // Not retried until the reader moves elsewhere (no request loop against a failing core).
      for (let c = from; c < from + span; c++) sub.failed.add(c);
      setLog(workflowId, (l) => ({ ...l, pending: l.pending - 1, error: error instanceof Error ? error.message : String(error) }));
    } finally {
      for (let c = from; c < from + span; c++) sub.inFlight.delete(c);
    }
    pump(workflowId);
  }

  return {
    open,
    show: (workflowId, from, to, near) => {
      const sub = subs.get(workflowId);
      if (!sub) return;
      const [f, t] = sub.want.view ?? [0, 0];
      if (f === from && t === to) return;
      sub.want.view = [from, to, near];
      sub.failed.clear();
      pump(workflowId);
    },
    loadAll: (workflowId) => {
      const sub = subs.get(workflowId);
      if (!sub || sub.want.all) return;
      sub.want.all = true;
      sub.failed.clear();
      pump(workflowId);
    },
    flush: () => batcher.flush(),
  };
}
