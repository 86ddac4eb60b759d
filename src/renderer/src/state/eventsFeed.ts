// Events of the workflows on screen: open at the tail (one page), follow live through the
// client's gapless `followEvents`, page older events on demand. Pushed batches are applied once
// per animation frame.
import type { StoreApi } from 'zustand/vanilla';
import type { WorkflowEvent } from '../../../shared/events';
import type { SwitchyardClient } from '../client';
import { appendEvents, emptyLog, hasOlder, prependEvents, type EventLog } from '../lib/eventLog';
import { createBatcher, type Scheduler } from '../lib/frame';
import type { EventsStore } from './stores';

export const TAIL_PAGE = 500;
export const OLDER_PAGE = 2000;
const CATCH_UP_PAGE = 5000;

interface Subscription {
  refs: number;
  unfollow: (() => void) | null;
  closed: boolean;
}

export interface EventsFeed {
  /** Shows a workflow's events; returns the function that stops showing them. */
  open(workflowId: string): () => void;
  loadOlder(workflowId: string): Promise<void>;
  /** Pages in everything before the loaded range (for a complete search). */
  loadAll(workflowId: string): Promise<void>;
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
      sub = { refs: 1, unfollow: null, closed: false };
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

  async function loadOlderPage(workflowId: string, limit: number): Promise<boolean> {
    const log = store.getState().logs[workflowId];
    if (!log || log.status !== 'ready' || log.loadingOlder || !hasOlder(log)) return false;
    setLog(workflowId, (l) => ({ ...l, loadingOlder: true }));
    try {
      const page = await client.call('events.list', { workflowId, beforeSequence: log.first, limit });
      setLog(workflowId, (l) => prependEvents(l, page));
      return page.length > 0;
    } catch (error) {
      setLog(workflowId, (l) => ({ ...l, loadingOlder: false, error: error instanceof Error ? error.message : String(error) }));
      return false;
    }
  }

  return {
    open,
    loadOlder: async (workflowId) => {
      await loadOlderPage(workflowId, OLDER_PAGE);
    },
    loadAll: async (workflowId) => {
      while (await loadOlderPage(workflowId, CATCH_UP_PAGE)) {
        /* next page */
      }
    },
    flush: () => batcher.flush(),
  };
}
