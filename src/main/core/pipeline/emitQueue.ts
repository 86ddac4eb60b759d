// The events a stage's output becomes, on their way into the log: how many wait for their commit
// (past `maxInFlight` the owner pauses its streams, and resumes them at half of it), what to do
// when the log refuses one, and waiting for all of them at the end. One for a stage's text output
// (OutputCollector) and one for its structured stream (StructuredOutput), each with its own limit.
import type { EventDraft } from '../../../shared/events';
import { EventLogClosedError } from '../eventLog';

export interface EmitQueueOptions {
  emit(draft: EventDraft): Promise<unknown>;
  /** Emits waiting for their commit before `onPressure(true)`. */
  maxInFlight: number;
  /** true: too many emits wait, pause the streams; false: down to half, resume them. */
  onPressure(paused: boolean): void;
  /** An event was committed (the owner may report earlier losses now that writes work). */
  onCommitted?(): void;
  /** The log refused an event (a locked or failing disk): this event only is lost. */
  onLost(draft: EventDraft, error: unknown): void;
  /** The log is closed (shutdown): the owner stops sending. */
  onClosed(): void;
}

export class EmitQueue {
  private inFlight = 0;
  private pressure = false;
  private readonly settled = new Set<Promise<unknown>>();

  constructor(private readonly o: EmitQueueOptions) {}

  /** Too many emits wait for their commit (until they are down to half of maxInFlight). */
  get pressured(): boolean {
    return this.pressure;
  }

  send(draft: EventDraft): void {
    this.inFlight++;
    if (!this.pressure && this.inFlight >= this.o.maxInFlight) {
      this.pressure = true;
      this.o.onPressure(true);
    }
    const done: Promise<unknown> = this.o
      .emit(draft)
      .then(() => this.o.onCommitted?.())
      .catch((e: unknown) => (e instanceof EventLogClosedError ? this.o.onClosed() : this.o.onLost(draft, e)))
      .finally(() => {
        this.settled.delete(done);
        this.inFlight--;
        if (this.pressure && this.inFlight <= this.o.maxInFlight / 2) this.release();
      });
    this.settled.add(done);
  }

  /** Forgets the pressure (the owner was silenced: nothing waits for these commits any more). */
  release(): void {
    if (!this.pressure) return;
    this.pressure = false;
    this.o.onPressure(false);
  }

  /** Resolves once every event sent so far is committed or refused. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.settled]);
  }
}
