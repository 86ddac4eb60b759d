// Turns a stage's stdout and stderr into `agent_output` events: coalesced (many lines per event,
// flushed on a short timer or when an event is full), bounded in size, with backpressure (the
// streams are paused while too many emits wait for their commit), and a per-stage budget past
// which only a rolling tail is kept and the middle is dropped.
//
// A pushed chunk is only borrowed: the executor reads output into one reused buffer, so what is
// kept (the head, waiting to be coalesced; the tail, in a fixed ring) is copied.
import type { EventDraft } from '../../../shared/events';
import { charBoundary, completeLength, cutPoint, skipContinuation, TailBuffer } from './bytes';
import { EmitQueue } from './emitQueue';

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
  /** Bytes taken in one turn of the event loop before the streams pause until the next turn. */
  maxBytesPerTurn?: number;
  /** Called with true to pause the streams, false to resume them. */
  onPressure?(paused: boolean): void;
}

export const DEFAULT_MAX_EVENT_BYTES = 16 * 1024;
export const DEFAULT_FLUSH_MS = 75;
export const MAX_TAIL_BYTES = 256 * 1024;
/**
 * A pipe can deliver 32 reads of 64 KiB in one turn of the event loop, per stream: past this
 * many bytes the streams wait for the next turn, so timers, requests and pushes get their turn
 * during a flood.
 */
export const DEFAULT_MAX_BYTES_PER_TURN = 512 * 1024;

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
  private readonly queue: EmitQueue;
  private readonly pending: Record<OutputStream, Pending> = { stdout: { chunks: [], size: 0 }, stderr: { chunks: [], size: 0 } };
  private timer: NodeJS.Timeout | null = null;
  /** Bytes taken for the head (emitted or waiting to be). */
  private accepted = 0;
  private overflow: MixedTail | null = null;
  private overflowBytes = 0;
  /** Fixed once the tail has been emitted. */
  private finalDropped: number | null = null;
  private received = 0;
  private emitted = 0;
  private paused = false;
  /** This turn's byte allowance is spent; cleared at the next turn. */
  private yielding = false;
  private turnBytes = 0;
  private readonly maxBytesPerTurn: number;
  private silenced = false;
  /** Output events the log refused (locked or failing disk) since the last report of them. */
  private lost = { events: 0, bytes: 0, reason: '' };

  constructor(private readonly o: OutputCollectorOptions) {
    this.maxEvent = o.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.flushMs = o.flushMs ?? DEFAULT_FLUSH_MS;
    this.tailMax = o.tailBytes ?? Math.min(MAX_TAIL_BYTES, Math.floor(o.budgetBytes / 4));
    this.headLimit = Math.max(0, o.budgetBytes - this.tailMax);
    this.maxBytesPerTurn = o.maxBytesPerTurn ?? DEFAULT_MAX_BYTES_PER_TURN;
    this.queue = new EmitQueue({
      emit: o.emit,
      maxInFlight: o.maxInFlight ?? 4,
      onPressure: () => this.updatePause(),
      onCommitted: () => this.reportLost(),
      // Closed (shutdown): nothing more goes to this log. Anything else (a locked or failing
      // disk) loses this event only: keep going, and say what was lost once writes work again.
      onClosed: () => this.silence(),
      onLost: (draft, e) => {
        this.lost.events++;
        this.lost.bytes += Buffer.byteLength(draft.message);
        this.lost.reason ||= e instanceof Error ? e.message : String(e);
      },
    });
  }

  get stats(): OutputStats {
    return { receivedBytes: this.received, emittedBytes: this.emitted, droppedBytes: this.droppedBytes() };
  }

  push(stream: OutputStream, chunk: Buffer): void {
    this.received += chunk.length;
    if (this.silenced || chunk.length === 0) return;
    this.countTurn(chunk.length);
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
        const kept = this.overflow.length;
        this.send({
          agent: 'system',
          type: 'system_warning',
          message: `Stage ${this.o.stage}: ${kib(dropped)} (${dropped} bytes) of output over the ${kib(this.o.budgetBytes)} budget were dropped; the last ${kib(kept)} follow`,
          data: { stage: this.o.stage, reason: 'output_budget', final: true, droppedBytes: dropped, budgetBytes: this.o.budgetBytes, keptTailBytes: kept },
        });
        for (const { stream, bytes: run } of this.overflow.runs()) {
          let bytes = run;
          while (bytes.length > 0) {
            const n = cutPoint(bytes, this.maxEvent);
            this.sendOutput(stream, bytes.subarray(0, n), true);
            bytes = bytes.subarray(n);
          }
        }
        this.overflow = new MixedTail(this.tailMax);
      }
    }
    await this.queue.settle();
    // Losses that no later event reported yet: one last try to say so.
    this.reportLost();
    await this.queue.settle();
    return this.stats;
  }

  /** Drops everything from now on (the workflow was cancelled: nothing more goes to its log). */
  silence(): void {
    this.silenced = true;
    this.clearTimer();
    this.pending.stdout = { chunks: [], size: 0 };
    this.pending.stderr = { chunks: [], size: 0 };
    this.overflow = null;
    this.yielding = false;
    this.queue.release();
    this.setPaused(false);
  }

  private droppedBytes(): number {
    if (this.finalDropped !== null) return this.finalDropped;
    if (!this.overflow) return 0;
    return this.overflowBytes - this.overflow.length;
  }

  private take(stream: OutputStream, chunk: Buffer): void {
    const p = this.pending[stream];
    p.chunks.push(Buffer.from(chunk)); // borrowed: copy what waits (at most the budget's head)
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
    this.overflow = new MixedTail(this.tailMax);
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
    this.overflow.push(stream, chunk);
  }

  private sendOutput(stream: OutputStream, bytes: Buffer, tail: boolean): void {
    this.emitted += bytes.length;
    const data: Record<string, unknown> = { stream, stage: this.o.stage };
    if (tail) data.tail = true;
    this.send({ agent: this.o.agent, type: 'agent_output', message: bytes.toString('utf8'), data });
  }

  private send(draft: EventDraft): void {
    if (!this.silenced) this.queue.send(draft);
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

  /** Bounds the work one turn of the event loop does for this stage's output. */
  private countTurn(bytes: number): void {
    if (this.turnBytes === 0) {
      setImmediate(() => {
        this.turnBytes = 0;
        if (this.yielding) {
          this.yielding = false;
          this.updatePause();
        }
      });
    }
    this.turnBytes += bytes;
    if (!this.yielding && this.turnBytes >= this.maxBytesPerTurn) {
      this.yielding = true;
      this.updatePause();
    }
  }

  private updatePause(): void {
    if (!this.silenced) this.setPaused(this.queue.pressured || this.yielding);
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

/**
 * One rolling tail over both streams, in the order written, remembered as runs of one stream.
 * The bytes live in a single ring (copied in, allocated once), so keeping the tail of a flood
 * allocates nothing per chunk whatever the interleaving of stdout and stderr.
 */
class MixedTail {
  private readonly ring: TailBuffer;
  private readonly list: { stream: OutputStream; length: number }[] = [];
  private total = 0;

  constructor(max: number) {
    this.ring = new TailBuffer(max);
  }

  get length(): number {
    return this.ring.length;
  }

  push(stream: OutputStream, chunk: Buffer): void {
    this.ring.push(chunk);
    const last = this.list[this.list.length - 1];
    if (last?.stream === stream) last.length += chunk.length;
    else this.list.push({ stream, length: chunk.length });
    this.total += chunk.length;
    // Forget the runs (or the part of the first one) that fell out of the ring.
    let excess = this.total - this.ring.length;
    while (excess > 0) {
      const first = this.list[0]!;
      const cut = Math.min(first.length, excess);
      first.length -= cut;
      excess -= cut;
      this.total -= cut;
      if (first.length === 0) this.list.shift();
    }
  }

  /** The kept bytes as runs of one stream, oldest first; the first never starts mid-character. */
  runs(): { stream: OutputStream; bytes: Buffer }[] {
    const all = this.ring.raw();
    const out: { stream: OutputStream; bytes: Buffer }[] = [];
    let at = 0;
    for (const { stream, length } of this.list) {
      const bytes = all.subarray(at, at + length);
      out.push({ stream, bytes: out.length === 0 ? skipContinuation(bytes) : bytes });
      at += length;
    }
    return out;
  }
}
