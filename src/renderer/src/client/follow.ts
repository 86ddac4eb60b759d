// followEvents over any transport: the gap filler of docs/design.md §4.1. A client's view of a
// workflow's events always equals the database's: history is paged with events.list, live
// pushes are applied while they continue the sequence, and anything else (a gap, a reconnect)
// is repaired by reading from the database again after the last sequence delivered.
import type { WorkflowEvent } from '../../../shared/events';
import { ClientError, isConnectionError } from './errors';
import type { SwitchyardClient } from './types';

export type FollowSource = Pick<SwitchyardClient, 'call' | 'onEvents' | 'onConnection'>;

export interface FollowOptions {
  /** events.list page size (the contract's maximum by default). */
  pageSize?: number;
  /** Delay before retrying after an unexpected error (not a lost connection: that waits for the reconnect). */
  retryMs?: number;
}

const bySequence = (a: WorkflowEvent, b: WorkflowEvent) => a.sequence - b.sequence;

export function followEvents(
  source: FollowSource,
  workflowId: string,
  afterSequence: number,
  listener: (events: WorkflowEvent[]) => void,
  options: FollowOptions = {},
): () => void {
  const pageSize = options.pageSize ?? 5000;
  const retryMs = options.retryMs ?? 1000;
  let last = afterSequence;
  let stopped = false;
  let filling = false;
  let again = false;
  let buffered: WorkflowEvent[] = [];
  let retry: ReturnType<typeof setTimeout> | null = null;

  /**
   * Delivers the events that continue the sequence. Live pushes must continue it exactly (a jump
   * is a gap: returns true); a page read from the database is the truth and is taken as it is.
   */
  const apply = (events: readonly WorkflowEvent[], fromDatabase: boolean): boolean => {
    const fresh: WorkflowEvent[] = [];
    let gap = false;
    for (const e of [...events].sort(bySequence)) {
      if (e.sequence <= last) continue;
      if (!fromDatabase && e.sequence !== last + 1) {
        gap = true;
        break;
      }
      fresh.push(e);
      last = e.sequence;
    }
    if (fresh.length > 0 && !stopped) listener(fresh);
    return gap;
  };

  const fill = async (): Promise<void> => {
    if (stopped) return;
    if (filling) {
      again = true;
      return;
    }
    filling = true;
    try {
      do {
        again = false;
        for (;;) {
          const page = await source.call('events.list', { workflowId, afterSequence: last, limit: pageSize });
          if (stopped) return;
          apply(page, true);
          if (page.length < pageSize) break;
        }
        // Pushes that arrived during the read: duplicates are dropped, the rest must continue.
        const pending = buffered;
        buffered = [];
        if (apply(pending, false)) again = true;
      } while (again && !stopped);
    } catch (e) {
      if (stopped) return;
      if (isConnectionError(e)) return; // the reconnect starts a new fill
      if (e instanceof ClientError && (e.code === 'NOT_FOUND' || e.code === 'INVALID_INPUT' || e.code === 'UNAUTHORIZED')) {
        console.error(`switchyard client: cannot follow the events of workflow ${workflowId}:`, e.message);
        return;
      }
      retry = setTimeout(() => {
        retry = null;
        void fill();
      }, retryMs);
    } finally {
      filling = false;
    }
  };

  const offEvents = source.onEvents((id, events) => {
    if (id !== workflowId || stopped) return;
    if (filling) {
      for (const e of events) buffered.push(e);
      return;
    }
    if (apply(events, false)) void fill();
  });
  const offConnection = source.onConnection((state) => {
    if (state === 'open') void fill();
  });
  void fill();

  return () => {
    stopped = true;
    buffered = [];
    if (retry) clearTimeout(retry);
    offEvents();
    offConnection();
  };
}
