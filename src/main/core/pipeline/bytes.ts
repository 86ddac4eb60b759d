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

/** The last `max` bytes written to it (cut at a character boundary), and how many fell out. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = 0;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    if (chunk.length >= this.max) {
      this.dropped += this.size + chunk.length - this.max;
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.max))];
      this.size = this.max;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.max) {
      const first = this.chunks[0]!;
      const excess = this.size - this.max;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }

  get length(): number {
    return this.size;
  }

  bytes(): Buffer {
    const all = Buffer.concat(this.chunks);
    let start = 0;
    while (start < all.length && isContinuation(all[start])) start++;
    return all.subarray(start);
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
