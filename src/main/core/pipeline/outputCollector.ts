// Turns a stage's stdout and stderr into `agent_output` events: coalesced (many lines per event,
// flushed on a short timer or when an event is full), bounded in size, with backpressure (the
// streams are paused while too many emits wait for their commit), and a per-stage budget past
// which only a rolling tail is kept and the middle is dropped.
import type { EventDraft } from '../../../shared/events';
import { EventLogClosedError } from '../eventLog';
import { charBoundary, completeLength, cutPoint, TailBuffer } from './bytes';

export type OutputStream = 'stdout' | 'stderr';

export interface OutputCollectorOptions {
  emit(draft: EventDraft): Promise<unknown>;
  agent: string;
  stage: string;
  /** Per stage, stdout and stderr together: at most this many bytes of output reach the log. */
  budgetBytes: number;
  /** Largest message of one event. */
  maxEventBytes?: number;
  /** How long output may wait to be coalesced. */
  flushMs?: number;
  /** Kept from the end of an over-budget stage. */
  tailBytes?: number;
  /** Emits waiting for their commit before the streams are paused. */
  maxInFlight?: number;
  /** Called with true to pause the streams, false to resume them. */
  onPressure?(paused: boolean): void;
}

export const DEFAULT_MAX_EVENT_BYTES = 16 * 1024;
export const DEFAULT_FLUSH_MS = 75;
export const MAX_TAIL_BYTES = 256 * 1024;

interface Pending {
  chunks: Buffer[];
  size: number;
}

export interface OutputStats {
  /** Bytes the process wrote. */
  receivedBytes: number;
  /** Bytes that reached the log as agent_output. */
  emittedBytes: number;
  droppedBytes: number;
}

const kib = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`);

export class OutputCollector {
  private readonly maxEvent: number;
  private readonly flushMs: number;
  private readonly tailMax: number;
  private readonly headLimit: number;
  private readonly maxInFlight: number;
  private readonly pending: Record<OutputStream, Pending> = { stdout: { chunks: [], size: 0 }, stderr: { chunks: [], size: 0 } };
  private timer: NodeJS.Timeout | null = null;
  /** Bytes taken for the head (emitted or waiting to be). */
  private accepted = 0;
  private overflow: { stream: OutputStream; tail: TailBuffer }[] | null = null;
  private overflowBytes = 0;
  /** Fixed once the tail has been emitted. */
  private finalDropped: number | null = null;
  private received = 0;
  private emitted = 0;
  private inFlight = 0;
  private paused = false;
  private silenced = false;
  /** Output events the log refused (locked or failing disk) since the last report of them. */
  private lost = { events: 0, bytes: 0, reason: '' };
  private readonly settled = new Set<Promise<unknown>>();

  constructor(private readonly o: OutputCollectorOptions) {
    this.maxEvent = o.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.flushMs = o.flushMs ?? DEFAULT_FLUSH_MS;
    this.tailMax = o.tailBytes ?? Math.min(MAX_TAIL_BYTES, Math.floor(o.budgetBytes / 4));
    this.headLimit = Math.max(0, o.budgetBytes - this.tailMax);
    this.maxInFlight = o.maxInFlight ?? 4;
  }

  get stats(): OutputStats {
    return { receivedBytes: this.received, emittedBytes: this.emitted, droppedBytes: this.droppedBytes() };
  }

  push(stream: OutputStream, chunk: Buffer): void {
    this.received += chunk.length;
    if (this.silenced || chunk.length === 0) return;
    if (this.overflow) {
      this.keepTail(stream, chunk);
      return;
    }
    const room = this.headLimit - this.accepted;
    if (chunk.length > room) {
      const fits = room > 0 ? charBoundary(chunk, room) : 0;
      if (fits > 0) this.take(stream, chunk.subarray(0, fits));
      this.startOverflow();
      this.keepTail(stream, chunk.subarray(fits));
      return;
    }
    this.take(stream, chunk);
  }

  /**
   * Counts `bytes` of this stage's events that are emitted elsewhere (a structured stream's typed
   * events) against the same budget. False once the budget is spent: the caller drops the event.
   */
  charge(bytes: number): boolean {
    this.received += bytes;
    if (this.silenced) return false;
    if (!this.overflow && this.accepted + bytes <= this.headLimit) {
      this.accepted += bytes;
      this.emitted += bytes;
      return true;
    }
    if (!this.overflow) this.startOverflow();
    this.overflowBytes += bytes;
    return false;
  }

  /** Emits what is left (the tail and the final figure of an over-budget stage) and waits for every commit. */
  async finish(): Promise<OutputStats> {
    this.clearTimer();
    if (!this.silenced) {
      this.flush('stdout', 'all');
      this.flush('stderr', 'all');
      if (this.overflow) {
        const dropped = this.droppedBytes();
        this.finalDropped = dropped;
        const kept = this.overflow.reduce((n, t) => n + t.tail.length, 0);
        this.send({
          agent: 'system',
          type: 'system_warning',
          message: `Stage ${this.o.stage}: ${kib(dropped)} (${dropped} bytes) of output over the ${kib(this.o.budgetBytes)} budget were dropped; the last ${kib(kept)} follow`,
          data: { stage: this.o.stage, reason: 'output_budget', final: true, droppedBytes: dropped, budgetBytes: this.o.budgetBytes, keptTailBytes: kept },
        });
        for (const { stream, tail } of this.overflow) {
          let bytes = tail.bytes();
          while (bytes.length > 0) {
            const n = cutPoint(bytes, this.maxEvent);
            this.sendOutput(stream, bytes.subarray(0, n), true);
            bytes = bytes.subarray(n);
          }
        }
        this.overflow = [];
      }
    }
    await Promise.allSettled([...this.settled]);
    // Losses that no later event reported yet: one last try to say so.
    this.reportLost();
    await Promise.allSettled([...this.settled]);
    return this.stats;
  }

  /** Drops everything from now on (the workflow was cancelled: nothing more goes to its log). */
  silence(): void {
    this.silenced = true;
    this.clearTimer();
    this.pending.stdout = { chunks: [], size: 0 };
    this.pending.stderr = { chunks: [], size: 0 };
    this.overflow = null;
    this.setPaused(false);
  }

  private droppedBytes(): number {
    if (this.finalDropped !== null) return this.finalDropped;
    if (!this.overflow) return 0;
    return this.overflowBytes - this.overflow.reduce((n, t) => n + t.tail.length, 0);
  }

  private take(stream: OutputStream, chunk: Buffer): void {
    const p = this.pending[stream];
    p.chunks.push(chunk);
    p.size += chunk.length;
    this.accepted += chunk.length;
    if (p.size >= this.maxEvent) this.flush(stream, 'full');
    if (p.size > 0) this.timer ??= setTimeout(() => this.onTimer(), this.flushMs);
  }

  private onTimer(): void {
    this.timer = null;
    this.flush('stdout', 'lines');
    this.flush('stderr', 'lines');
    if (this.pending.stdout.size > 0 || this.pending.stderr.size > 0) this.timer = setTimeout(() => this.onTimer(), this.flushMs);
  }

  /**
   * Emits pending output of one stream in events of at most maxEvent bytes. `all`: everything.
   * `full`: only full events (the size cap was reached). `lines` (the timer): complete lines; a
   * partial line waits one more tick, then goes out as it is (a prompt waiting for input).
   */
  private flush(stream: OutputStream, mode: 'all' | 'full' | 'lines'): void {
    const p = this.pending[stream];
    if (p.size === 0) return;
    let buf = p.chunks.length === 1 ? p.chunks[0]! : Buffer.concat(p.chunks);
    while (buf.length > 0) {
      let n: number;
      let last = false;
      if (buf.length > this.maxEvent) n = cutPoint(buf, this.maxEvent);
      else if (mode === 'all') n = buf.length;
      else if (mode === 'full') {
        if (buf.length < this.maxEvent) break;
        n = completeLength(buf);
      } else {
        const nl = buf.lastIndexOf(10);
        n = nl >= 0 ? nl + 1 : completeLength(buf);
        last = true;
      }
      if (n === 0) break;
      this.sendOutput(stream, buf.subarray(0, n), false);
      buf = buf.subarray(n);
      if (last) break;
    }
    p.chunks = buf.length ? [buf] : [];
    p.size = buf.length;
  }

  private startOverflow(): void {
    // The head goes out first, then the notice, so the log reads in the order things happened.
    this.flush('stdout', 'all');
    this.flush('stderr', 'all');
    this.clearTimer();
    this.overflow = [];
    this.send({
      agent: 'system',
      type: 'system_warning',
      message: `Stage ${this.o.stage}: output passed its ${kib(this.o.budgetBytes)} budget; the middle is being dropped and the last ${kib(this.tailMax)} will be kept`,
      data: { stage: this.o.stage, reason: 'output_budget', final: false, budgetBytes: this.o.budgetBytes },
    });
  }

  private keepTail(stream: OutputStream, chunk: Buffer): void {
    if (chunk.length === 0 || !this.overflow) return;
    this.overflowBytes += chunk.length;
    // One rolling tail over both streams, kept as runs of the same stream.
    let last = this.overflow[this.overflow.length - 1];
    if (!last || last.stream !== stream) {
      last = { stream, tail: new TailBuffer(this.tailMax) };
      this.overflow.push(last);
    }
    last.tail.push(chunk);
    let total = this.overflow.reduce((n, t) => n + t.tail.length, 0);
    while (total > this.tailMax && this.overflow.length > 1) {
      const first = this.overflow[0]!;
      const excess = total - this.tailMax;
      if (first.tail.length <= excess) {
        this.overflow.shift();
        total -= first.tail.length;
      } else {
        const keep = new TailBuffer(first.tail.length - excess);
        keep.push(first.tail.bytes());
        this.overflow[0] = { stream: first.stream, tail: keep };
        total = this.overflow.reduce((n, t) => n + t.tail.length, 0);
      }
    }
  }

  private sendOutput(stream: OutputStream, bytes: Buffer, tail: boolean): void {
    this.emitted += bytes.length;
    const data: Record<string, unknown> = { stream, stage: this.o.stage };
    if (tail) data.tail = true;
    this.send({ agent: this.o.agent, type: 'agent_output', message: bytes.toString('utf8'), data });
  }

  private send(draft: EventDraft): void {
    if (this.silenced) return;
    this.inFlight++;
    if (this.inFlight >= this.maxInFlight) this.setPaused(true);
    const done: Promise<unknown> = this.o
      .emit(draft)
      .then(() => this.reportLost())
      .catch((e: unknown) => {
        // Closed (shutdown): nothing more goes to this log. Anything else (a locked or failing
        // disk) loses this event only: keep going, and say what was lost once writes work again.
        if (e instanceof EventLogClosedError) return this.silence();
        this.lost.events++;
        this.lost.bytes += Buffer.byteLength(draft.message);
        this.lost.reason ||= e instanceof Error ? e.message : String(e);
      })
      .finally(() => {
        this.settled.delete(done);
        this.inFlight--;
        if (this.inFlight <= this.maxInFlight / 2) this.setPaused(false);
      });
    this.settled.add(done);
  }

  private reportLost(): void {
    if (this.lost.events === 0 || this.silenced) return;
    const { events, bytes, reason } = this.lost;
    this.lost = { events: 0, bytes: 0, reason: '' };
    this.send({
      agent: 'system',
      type: 'system_warning',
      message: `Stage ${this.o.stage}: ${events} output event${events === 1 ? '' : 's'} (${kib(bytes)}) could not be recorded (${reason}); output is recorded again from here`,
      data: { stage: this.o.stage, reason: 'output_lost', lostEvents: events, lostBytes: bytes, error: reason },
    });
  }

  private setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    this.o.onPressure?.(paused);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
