// Byte helpers for output that is cut into pieces: never split a UTF-8 character, prefer lines.

const isContinuation = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80;

/** The largest n ≤ limit at which `buf` can be cut without splitting a UTF-8 character. */
export function charBoundary(buf: Buffer, limit: number): number {
  if (limit >= buf.length) return buf.length;
  let n = limit;
  while (n > 0 && isContinuation(buf[n])) n--;
  return n > 0 ? n : limit; // a "character" longer than limit is garbage anyway: cut it
}

/** Where to end a piece of at most `limit` bytes: after the last newline in it, else at a character boundary. */
export function cutPoint(buf: Buffer, limit: number): number {
  if (buf.length <= limit) return buf.length;
  const nl = buf.lastIndexOf(10, limit - 1);
  return nl >= 0 ? nl + 1 : charBoundary(buf, limit);
}

/** `buf`'s length without a trailing, still incomplete UTF-8 sequence (its rest may come in the next chunk). */
export function completeLength(buf: Buffer): number {
  for (let back = 1; back <= 3 && back <= buf.length; back++) {
    const b = buf[buf.length - back]!;
    if (isContinuation(b)) continue;
    if (b < 0x80) return buf.length;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

/** `buf` without the continuation bytes of a character whose start was cut off. */
export function skipContinuation(buf: Buffer): Buffer {
  let start = 0;
  while (start < buf.length && isContinuation(buf[start])) start++;
  return buf.subarray(start);
}

/**
 * The last `max` bytes written to it (cut at a character boundary), and how many fell out.
 * It copies what it keeps into one ring allocated once, so a caller may reuse the chunk it
 * pushed (output is read into a reused buffer) and a flood through it allocates nothing.
 */
export class TailBuffer {
  private ring: Buffer | null = null;
  /** Where the next byte goes. */
  private end = 0;
  private size = 0;
  dropped = 0;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.max <= 0) {
      this.dropped += chunk.length;
      return;
    }
    let src = chunk;
    if (src.length > this.max) {
      this.dropped += src.length - this.max;
      src = src.subarray(src.length - this.max);
    }
    this.dropped += Math.max(0, this.size + src.length - this.max);
    const ring = (this.ring ??= Buffer.allocUnsafe(this.max));
    const first = Math.min(src.length, this.max - this.end);
    src.copy(ring, this.end, 0, first);
    if (first < src.length) src.copy(ring, 0, first);
    this.end = (this.end + src.length) % this.max;
    this.size = Math.min(this.max, this.size + src.length);
  }

  /** The kept bytes in order, as a new buffer (not cut at a character boundary). */
  raw(): Buffer {
    const out = Buffer.allocUnsafe(this.size);
    if (!this.ring || this.size === 0) return out;
    const start = (this.end - this.size + this.max) % this.max;
    if (start + this.size <= this.max) this.ring.copy(out, 0, start, start + this.size);
    else {
      this.ring.copy(out, 0, start, this.max);
      this.ring.copy(out, this.max - start, 0, this.end);
    }
    return out;
  }

  get length(): number {
    return this.size;
  }

  bytes(): Buffer {
    return skipContinuation(this.raw());
  }

  text(): string {
    return this.bytes().toString('utf8');
  }

  /** The last `n` lines (without a trailing empty line). */
  lastLines(n: number): string {
    const lines = this.text().replace(/\s+$/, '').split('\n');
    return lines.slice(-n).join('\n');
  }
}
