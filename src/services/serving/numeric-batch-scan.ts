// The fast reading of the commonest large predict body, `{"columns": [names], "data": [[numbers],
// …]}` with numbers only: straight from the received bytes into one float32 column per name (the
// model's input type; all columns in one buffer),
// without the body as one string (a large string costs fresh memory pages every request) and
// without the twenty thousand JavaScript values (and their garbage) JSON.parse makes of a
// 1,000-row batch. It reads only that exact shape: anything else (another member, a null, a
// string, a ragged row, an escaped name, a number too large for a double) answers undefined and
// the body goes through JSON.parse and predict-input.ts as before, which names the problem. Each
// number is read as the double JSON.parse gives (short decimals exactly by Clinger's fast path: an
// integer of at most 15 digits times or divided by an exact power of ten is correctly rounded;
// others through Number()), then stored as float32 as a Float32Array would round it. Where each
// row's text starts and ends is kept, so the prediction log copies the rows as sent.
//   scanNumericBatch(bytes('{"columns":["a","b"],"data":[[1,2.5],[3,-4e-1]]}'))
//   // → { columns: ['a', 'b'], values: [Float32Array [1, 3], Float32Array [2.5, -0.4]], rows: 2,
//   //     data: <the bytes of [[1,2.5],[3,-4e-1]]>, bounds: Uint32Array [1, 8, 9, 18], breaks: false }

export interface NumericBatch<Values extends Float32Array | Float64Array = Float32Array> {
  columns: string[];
  /** One column of values per name, in the order of `columns` (views of one buffer). */
  values: Values[];
  rows: number;
  /** The `data` member's bytes as received (ASCII: digits, signs, brackets, commas, white space). */
  data: Uint8Array;
  /** Row i is `data[bounds[2i]] … data[bounds[2i+1] − 1]`, its brackets included. */
  bounds: Uint32Array;
  /** A tab, line feed or carriage return sits inside a row (its text cannot go into a JSON string as is). */
  breaks: boolean;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Digits that always fit a double's integer range exactly (10^15 < 2^53). */
const MAX_DIGITS = 15;

const utf8 = new TextDecoder();

/** The text of `b[from … to)` (a number's characters). */
function text(b: Uint8Array, from: number, to: number): string {
  return utf8.decode(b.subarray(from, to));
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** A cursor over the bytes; a method answering false or undefined ends the scan (the body takes the general path). */
class Scan {
  i = 0;
  constructor(readonly b: Uint8Array) {}

  space(): void {
    const b = this.b;
    let i = this.i;
    while (i < b.length && isSpace(b[i])) i++;
    this.i = i;
  }

  /** Consume `ch` (after white space) or fail. */
  expect(ch: number): boolean {
    this.space();
    if (this.i >= this.b.length || this.b[this.i] !== ch) return false;
    this.i++;
    return true;
  }

  /** Consume `ch` if it comes next (after white space). */
  take(ch: number): boolean {
    this.space();
    if (this.i < this.b.length && this.b[this.i] === ch) {
      this.i++;
      return true;
    }
    return false;
  }

  /** A string without escapes (UTF-8), or undefined. */
  plainString(): string | undefined {
    this.space();
    const b = this.b;
    if (this.i >= b.length || b[this.i] !== 0x22) return undefined;
    const end = b.indexOf(0x22, this.i + 1);
    if (end < 0) return undefined;
    for (let k = this.i + 1; k < end; k++) {
      const c = b[k];
      if (c === 0x5c || c < 0x20) return undefined;
    }
    const s = utf8.decode(b.subarray(this.i + 1, end));
    this.i = end + 1;
    return s;
  }
}

type Precision = 'float32' | 'float64';

interface Rows {
  values: Array<Float32Array | Float64Array>;
  bounds: Uint32Array;
  rows: number;
  end: number;
  breaks: boolean;
}

/**
 * The `data` array starting at `i` (at its `[`): rows of `width` numbers each, into one column per
 * position (or undefined for anything else), with where each row starts and ends. One tight loop
 * over the bytes: this is the whole cost. A read past the end gives 0 (`t[i] | 0`), which no rule
 * accepts, so a cut body is declined; digits are tested with one unsigned comparison.
 */
function readRows(t: Uint8Array, i: number, width: number, precision: Precision): Rows | undefined {
  // Column j at [j·capacity, j·capacity + rows); grown by doubling: the row count is known only at the end.
  const make = (n: number) => (precision === 'float32' ? new Float32Array(n) : new Float64Array(n));
  let capacity = 1024;
  let values = make(width * capacity);
  let bounds = new Uint32Array(2 * capacity);
  let rows = 0;
  let breaks = false;
  let c = t[i];
  if (c !== 0x5b) return undefined;
  for (;;) {
    c = t[++i] | 0;
    while (isSpace(c)) c = t[++i] | 0;
    if (c !== 0x5b) return undefined;
    if (rows === capacity) {
      const grown = make(width * 2 * capacity);
      for (let j = 0; j < width; j++) grown.set(values.subarray(j * capacity, (j + 1) * capacity), j * 2 * capacity);
      values = grown;
      const grownBounds = new Uint32Array(4 * capacity);
      grownBounds.set(bounds);
      bounds = grownBounds;
      capacity *= 2;
    }
    bounds[2 * rows] = i;
    for (let j = 0; j < width; j++) {
      c = t[++i] | 0;
      while (isSpace(c)) {
        if (c !== 0x20) breaks = true;
        c = t[++i] | 0;
      }
      const start = i;
      const negative = c === 0x2d;
      if (negative) c = t[++i] | 0;
      let mantissa = 0;
      let digits = 0;
      let scale = 0;
      if (c === 0x30) c = t[++i] | 0;
      else if ((c - 0x31) >>> 0 < 9) {
        do {
          mantissa = mantissa * 10 + (c - 0x30);
          digits++;
          c = t[++i] | 0;
        } while ((c - 0x30) >>> 0 < 10);
      } else return undefined;
      if (c === 0x2e) {
        c = t[++i] | 0;
        if (!((c - 0x30) >>> 0 < 10)) return undefined;
        do {
          mantissa = mantissa * 10 + (c - 0x30);
          if (mantissa !== 0) digits++;
          scale--;
          c = t[++i] | 0;
        } while ((c - 0x30) >>> 0 < 10);
      }
      let v: number;
      if (c === 0x65 || c === 0x45) {
        // An exponent: rare in practice; the text through Number() after checking its form.
        c = t[++i] | 0;
        if (c === 0x2b || c === 0x2d) c = t[++i] | 0;
        if (!((c - 0x30) >>> 0 < 10)) return undefined;
        do c = t[++i] | 0;
        while ((c - 0x30) >>> 0 < 10);
        v = Number(text(t, negative ? start + 1 : start, i));
        if (!Number.isFinite(v)) return undefined;
      } else if (digits <= MAX_DIGITS && scale >= -22) v = scale < 0 ? mantissa / POW10[-scale] : mantissa;
      else v = Number(text(t, negative ? start + 1 : start, i));
      values[j * capacity + rows] = negative ? -v : v;
      while (isSpace(c)) {
        if (c !== 0x20) breaks = true;
        c = t[++i] | 0;
      }
      if (c !== (j === width - 1 ? 0x5d : 0x2c)) return undefined;
    }
    bounds[2 * rows + 1] = i + 1;
    rows++;
    c = t[++i] | 0;
    while (isSpace(c)) c = t[++i] | 0;
    if (c === 0x5d) {
      const columns = Array.from({ length: width }, (_, j) => values.subarray(j * capacity, j * capacity + rows));
      return { values: columns, bounds: bounds.subarray(0, 2 * rows), rows, end: i + 1, breaks };
    }
    if (c !== 0x2c) return undefined;
  }
}

/** Read `{"columns": […], "data": […]}` of numbers only, or undefined for any other body (`float64`: the doubles themselves). */
export function scanNumericBatch(body: Uint8Array): NumericBatch | undefined;
export function scanNumericBatch(body: Uint8Array, precision: 'float64'): NumericBatch<Float64Array> | undefined;
export function scanNumericBatch(body: Uint8Array, precision: Precision = 'float32'): NumericBatch<Float32Array> | NumericBatch<Float64Array> | undefined {
  const s = new Scan(body);
  if (!s.expect(0x7b)) return undefined;
  let columns: string[] | undefined;
  let read: Rows | undefined;
  let from = 0;
  do {
    const key = s.plainString();
    if (key === undefined || !s.expect(0x3a)) return undefined;
    if (key === 'columns' && columns === undefined) {
      if (!s.expect(0x5b)) return undefined;
      columns = [];
      if (!s.take(0x5d)) {
        do {
          const name = s.plainString();
          if (name === undefined) return undefined;
          columns.push(name);
        } while (s.take(0x2c));
        if (!s.expect(0x5d)) return undefined;
      }
    } else if (key === 'data' && read === undefined && columns !== undefined && columns.length > 0) {
      s.space();
      from = s.i;
      read = readRows(body, from, columns.length, precision);
      if (!read) return undefined;
      s.i = read.end;
    } else return undefined;
  } while (s.take(0x2c));
  if (!s.expect(0x7d)) return undefined;
  s.space();
  if (s.i !== body.length || columns === undefined || read === undefined) return undefined;
  // Bounds relative to the data member's own bytes.
  const { bounds } = read;
  for (let k = 0; k < bounds.length; k++) bounds[k] -= from;
  return { columns, values: read.values as Float32Array[], rows: read.rows, data: body.subarray(from, read.end), bounds, breaks: read.breaks };
}
