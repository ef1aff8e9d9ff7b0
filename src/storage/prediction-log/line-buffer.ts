// A growable byte buffer the log writer encodes lines into and writes from, kept between writes.
// A large batch's line is never one string: a string over ~128 KB is allocated on fresh memory
// pages each time (one page fault per 4 KB, measured as the largest cost of logging a
// 1,000-row batch), so lines are encoded piece by piece into memory that stays mapped.
//   const out = new LineBuffer(); out.text('{"a":'); out.bytes(received, 0, 5); out.text('}\n');
//   await fh.write(out.view()); out.clear();

/** Text pieces are cut at about this many characters (well under the large-string size; small, so
 *  little of a line being made is alive when the young generation is collected). */
export const PIECE_CHARS = 8 * 1024;

export class LineBuffer {
  private buf: Buffer;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafeSlow(capacity);
  }

  /** Bytes this buffer can hold without growing. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Append `s` as UTF-8 (pieces of at most a few PIECE_CHARS characters). */
  text(s: string): void {
    this.room(3 * s.length);
    this.length += this.buf.write(s, this.length, 'utf8');
  }

  /** Append one byte. */
  byte(c: number): void {
    this.room(1);
    this.buf[this.length++] = c;
  }

  /** Append `src[from … to)`. */
  bytes(src: Uint8Array, from: number, to: number): void {
    this.room(to - from);
    this.buf.set(src.subarray(from, to), this.length);
    this.length += to - from;
  }

  /**
   * Append each span `src[bounds[2i] … bounds[2i+1])` in double quotes, the spans separated by
   * commas. Spans one byte apart (a compact JSON array's rows) are copied in one piece and then
   * moved apart from the last, with no copy call (and no view object) per span.
   */
  quotedSpans(src: Uint8Array, bounds: Uint32Array): void {
    const n = bounds.length >> 1;
    if (n === 0) return;
    let adjacent = true;
    for (let i = 1; i < n && adjacent; i++) adjacent = bounds[2 * i] === bounds[2 * i - 1] + 1;
    if (!adjacent) {
      for (let i = 0; i < n; i++) {
        if (i > 0) this.byte(0x2c);
        this.byte(0x22);
        this.bytes(src, bounds[2 * i], bounds[2 * i + 1]);
        this.byte(0x22);
      }
      return;
    }
    const first = bounds[0];
    const span = bounds[2 * n - 1] - first;
    // Each span gains its two quotes; the one byte between spans becomes the comma.
    this.room(span + 2 * n);
    const buf = this.buf;
    const base = this.length;
    buf.set(src.subarray(first, first + span), base + 1);
    for (let i = n - 1; i >= 0; i--) {
      const a = bounds[2 * i] - first;
      const b = bounds[2 * i + 1] - first;
      const to = base + a + 2 * i + 1;
      if (i > 0) buf.copyWithin(to, base + 1 + a, base + 1 + b);
      buf[to - 1] = 0x22;
      buf[to + b - a] = 0x22;
      if (i > 0) buf[to - 2] = 0x2c;
    }
    this.length = base + span + 2 * n;
  }

  /** Append this buffer's bytes to `other`. */
  copyTo(other: LineBuffer): void {
    other.bytes(this.buf, 0, this.length);
  }

  /** The bytes written (a view: valid until the next append or clear). */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.buf.length, this.length + n));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }
}

/**
 * Append `n` items joined by `sep`, `item(i)` each, as text pieces of about PIECE_CHARS
 * characters (never one string of them all).
 */
export function joinedText(out: LineBuffer, n: number, sep: string, item: (i: number) => string): void {
  let piece = '';
  for (let i = 0; i < n; i++) {
    piece += i === 0 ? item(i) : sep + item(i);
    if (piece.length >= PIECE_CHARS) {
      out.text(piece);
      piece = '';
    }
  }
  if (piece) out.text(piece);
}
