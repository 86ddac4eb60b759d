// Pushes from the core's bus to every connected client (docs/design.md §4.1): event batches per
// workflow, ordered by sequence and coalesced so that under load each workflow gets at most one
// `events` push per interval; workflow changes go out as they happen, each right after the events
// committed before it, so no client sees a status ahead of its events.
//
// The interval is a quarter of a frame, not a frame: the window coalesces what arrives within one
// frame anyway (it applies pushes once per animation frame), so a longer wait here only delayed
// events — by up to 16 ms, a third of P4's budget — without saving the window any work. 4 ms still
// bounds a flood to 250 pushes a second per workflow. A batch after a quiet spell goes at once.
import type { Push } from '../../shared/contract';
import type { Workflow } from '../../shared/domain';
import type { WorkflowEvent } from '../../shared/events';
import { isTerminal } from '../../shared/status';
import type { Bus } from '../core/bus';

export type PushSink = (push: Push) => void;

export interface PushHubOptions {
  intervalMs?: number;
  now?: () => number;
}

export interface PushHub {
  /** Adds a sink that receives every push; returns its removal. */
  add(sink: PushSink): () => void;
  /** Sends what is pending, stops listening to the bus. */
  close(): void;
}

interface WorkflowQueue {
  events: WorkflowEvent[];
  timer: ReturnType<typeof setTimeout> | null;
  lastSent: number;
}

export const PUSH_INTERVAL_MS = 4;

export function createPushHub(bus: Pick<Bus, 'on'>, options: PushHubOptions = {}): PushHub {
  const interval = options.intervalMs ?? PUSH_INTERVAL_MS;
  const now = options.now ?? (() => performance.now());
  const sinks = new Set<PushSink>();
  const queues = new Map<string, WorkflowQueue>();

  const send = (push: Push) => {
    for (const sink of sinks) {
      try {
        sink(push);
      } catch (e) {
        console.error('switchyard: a push sink failed:', e);
      }
    }
  };

  const flush = (workflowId: string) => {
    const q = queues.get(workflowId);
    if (!q) return;
    if (q.timer) clearTimeout(q.timer);
    q.timer = null;
    if (q.events.length === 0) return;
    const events = q.events;
    q.events = [];
    q.lastSent = now();
    send({ push: 'events', data: { workflowId, events } });
  };

  const offEvents = bus.on('events', ({ workflowId, events }) => {
    if (events.length === 0) return;
    let q = queues.get(workflowId);
    if (!q) {
      q = { events: [], timer: null, lastSent: -Infinity };
      queues.set(workflowId, q);
    }
    for (const e of events) q.events.push(e);
    if (q.timer) return;
    const wait = q.lastSent + interval - now();
    if (wait <= 0) flush(workflowId);
    else q.timer = setTimeout(() => flush(workflowId), wait);
  });

  const offWorkflow = bus.on('workflow', (workflow: Workflow) => {
    flush(workflow.id);
    send({ push: 'workflow', data: workflow });
    const q = queues.get(workflow.id);
    if (q && isTerminal(workflow.status) && !q.timer) queues.delete(workflow.id);
  });

  return {
    add(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    close() {
      offEvents();
      offWorkflow();
      for (const id of [...queues.keys()]) flush(id);
      queues.clear();
      sinks.clear();
    },
  };
}
