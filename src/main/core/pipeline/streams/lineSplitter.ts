// Cuts a byte stream into lines as the chunks arrive. A line longer than `maxLineBytes` is not
// held in memory: its bytes go out as raw pieces (they cannot be a record we would parse).
export interface LineHandlers {
  /** One complete line, without its newline (a trailing CR is dropped too). */
  line(text: string): void;
  /** Bytes of an overlong line, passed through as they come (the newline included at its end). */
  raw(bytes: Buffer): void;
}

export const MAX_LINE_BYTES = 4 * 1024 * 1024;

export class LineSplitter {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Inside an overlong line: pass bytes through until its newline. */
  private passing = false;

  constructor(
    private readonly on: LineHandlers,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let rest = chunk;
    while (rest.length > 0) {
      const nl = rest.indexOf(10);
      if (this.passing) {
        const end = nl >= 0 ? nl + 1 : rest.length;
        this.on.raw(rest.subarray(0, end));
        if (nl >= 0) this.passing = false;
        rest = rest.subarray(end);
        continue;
      }
      if (nl < 0) {
        this.hold(rest);
        return;
      }
      const piece = rest.subarray(0, nl);
      rest = rest.subarray(nl + 1);
      if (this.size + piece.length > this.maxLineBytes) {
        this.release(Buffer.concat([...this.chunks, piece, Buffer.from('\n')]));
        continue;
      }
      const whole = this.size ? Buffer.concat([...this.chunks, piece]) : piece;
      this.chunks = [];
      this.size = 0;
      this.emitLine(whole);
    }
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    if (this.passing) {
      this.passing = false;
      return;
    }
    if (this.size === 0) return;
    const whole = Buffer.concat(this.chunks);
    this.chunks = [];
    this.size = 0;
    this.emitLine(whole);
  }

  private hold(part: Buffer): void {
    if (this.size + part.length > this.maxLineBytes) {
      this.release(Buffer.concat([...this.chunks, part]));
      this.passing = true;
      return;
    }
    this.chunks.push(Buffer.from(part));
    this.size += part.length;
  }

  private release(bytes: Buffer): void {
    this.chunks = [];
    this.size = 0;
    this.on.raw(bytes);
  }

  private emitLine(bytes: Buffer): void {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    this.on.line(bytes.subarray(0, end).toString('utf8'));
  }
}
