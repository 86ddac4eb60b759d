// The typed bus the transports subscribe to: workflow changes and event batches.
import type { Workflow } from '../../shared/domain';
import type { WorkflowEvent } from '../../shared/events';

export interface BusEvents {
  workflow: Workflow;
  events: { workflowId: string; events: WorkflowEvent[] };
}

type Listener<T> = (value: T) => void;

export class Bus {
  private readonly listeners: { [K in keyof BusEvents]: Set<Listener<BusEvents[K]>> } = {
    workflow: new Set(),
    events: new Set(),
  };

  on<K extends keyof BusEvents>(kind: K, listener: Listener<BusEvents[K]>): () => void {
    this.listeners[kind].add(listener);
    return () => this.listeners[kind].delete(listener);
  }

  emit<K extends keyof BusEvents>(kind: K, value: BusEvents[K]): void {
    for (const listener of this.listeners[kind]) {
      // A subscriber's fault must not break the orchestrator or the other subscribers.
      try {
        listener(value);
      } catch (e) {
        console.error(`switchyard: a ${kind} listener failed:`, e);
      }
    }
  }
}
