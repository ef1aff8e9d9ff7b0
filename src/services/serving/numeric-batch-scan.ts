// The fast reading of the commonest large predict body, `{"columns": [names], "data": [[numbers],
// …]}` with numbers only: straight from the text into one Float64Array per column, without the
// twenty thousand JavaScript values (and their garbage) JSON.parse makes of a 1,000-row batch.
// It reads only that exact shape: anything else (another member, a null, a string, a ragged row,
// an escaped name, a number too large for a double) answers undefined and the body goes through
// JSON.parse and predict-input.ts as before, which names the problem. Each number is the double
// JSON.parse gives: short decimals exactly by Clinger's fast path (an integer of at most 15
// digits times or divided by an exact power of ten is correctly rounded), others through Number().
//   scanNumericBatch('{"columns":["a","b"],"data":[[1,2.5],[3,-4e-1]]}')
//   // → { columns: ['a', 'b'], values: [Float64Array [1, 3], Float64Array [2.5, -0.4]], rows: 2, dataText: '[[1,2.5],[3,-4e-1]]', compact: true }

export interface NumericBatch {
  columns: string[];
  /** One column of values per name, in the order of `columns`. */
  values: Float64Array[];
  rows: number;
  /** The `data` member's text as received (the prediction log keeps the rows as sent). */
  dataText: string;
  /** `dataText` has no white space at all: its rows are cut apart at each `],[`. */
  compact: boolean;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Digits that always fit a double's integer range exactly (10^15 < 2^53). */
const MAX_DIGITS = 15;

/** A cursor over the text; `fail()` ends the scan (the body takes the general path). */
class Scan {
  i = 0;
  constructor(readonly text: string) {}

  space(): void {
    const t = this.text;
    let i = this.i;
    for (let c = t.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = t.charCodeAt(++i));
    this.i = i;
  }

  /** Consume `ch` (after white space) or fail. */
  expect(ch: number): boolean {
    this.space();
    if (this.text.charCodeAt(this.i) !== ch) return false;
    this.i++;
    return true;
  }

  /** Consume `ch` if it comes next (after white space). */
  take(ch: number): boolean {
    this.space();
    if (this.text.charCodeAt(this.i) === ch) {
      this.i++;
      return true;
    }
    return false;
  }

  /** A string without escapes, or undefined. */
  plainString(): string | undefined {
    this.space();
    const t = this.text;
    if (t.charCodeAt(this.i) !== 0x22) return undefined;
    const end = t.indexOf('"', this.i + 1);
    if (end < 0) return undefined;
    for (let k = this.i + 1; k < end; k++) {
      const c = t.charCodeAt(k);
      if (c === 0x5c || c < 0x20) return undefined;
    }
    const s = t.slice(this.i + 1, end);
    this.i = end + 1;
    return s;
  }
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The `data` array starting at `i` (at its `[`): rows of `width` numbers each, into one column per
 * position (or undefined for anything else), and whether any white space came between them. One
 * tight loop over the characters: this is the whole cost.
 */
function readRows(t: string, i: number, width: number): { values: Float64Array[]; rows: number; end: number; compact: boolean } | undefined {
  // Grow by doubling: the row count is known only at the end.
  let capacity = 1024;
  let cols = Array.from({ length: width }, () => new Float64Array(capacity));
  let rows = 0;
  let spaced = false;
  let c = t.charCodeAt(i);
  if (c !== 0x5b) return undefined;
  for (;;) {
    c = t.charCodeAt(++i);
    while (isSpace(c)) {
      spaced = true;
      c = t.charCodeAt(++i);
    }
    if (c !== 0x5b) return undefined;
    if (rows === capacity) {
      capacity *= 2;
      cols = cols.map((col) => {
        const grown = new Float64Array(capacity);
        grown.set(col);
        return grown;
      });
    }
    for (let j = 0; j < width; j++) {
      c = t.charCodeAt(++i);
      while (isSpace(c)) {
        spaced = true;
        c = t.charCodeAt(++i);
      }
      const start = i;
      const negative = c === 0x2d;
      if (negative) c = t.charCodeAt(++i);
      let mantissa = 0;
      let digits = 0;
      let scale = 0;
      if (c === 0x30) c = t.charCodeAt(++i);
      else if (c >= 0x31 && c <= 0x39) {
        do {
          mantissa = mantissa * 10 + (c - 0x30);
          digits++;
          c = t.charCodeAt(++i);
        } while (c >= 0x30 && c <= 0x39);
      } else return undefined;
      if (c === 0x2e) {
        c = t.charCodeAt(++i);
        if (!(c >= 0x30 && c <= 0x39)) return undefined;
        do {
          mantissa = mantissa * 10 + (c - 0x30);
          if (mantissa !== 0) digits++;
          scale--;
          c = t.charCodeAt(++i);
        } while (c >= 0x30 && c <= 0x39);
      }
      let v: number;
      if (c === 0x65 || c === 0x45) {
        // An exponent: rare in practice; the text through Number() after checking its form.
        c = t.charCodeAt(++i);
        if (c === 0x2b || c === 0x2d) c = t.charCodeAt(++i);
        if (!(c >= 0x30 && c <= 0x39)) return undefined;
        do c = t.charCodeAt(++i);
        while (c >= 0x30 && c <= 0x39);
        v = Number(t.slice(negative ? start + 1 : start, i));
        if (!Number.isFinite(v)) return undefined;
      } else if (digits <= MAX_DIGITS && scale >= -22) v = scale < 0 ? mantissa / POW10[-scale] : mantissa;
      else v = Number(t.slice(negative ? start + 1 : start, i));
      cols[j][rows] = negative ? -v : v;
      while (isSpace(c)) {
        spaced = true;
        c = t.charCodeAt(++i);
      }
      if (c !== (j === width - 1 ? 0x5d : 0x2c)) return undefined;
    }
    rows++;
    c = t.charCodeAt(++i);
    while (isSpace(c)) {
      spaced = true;
      c = t.charCodeAt(++i);
    }
    if (c === 0x5d) return { values: cols.map((col) => col.subarray(0, rows)), rows, end: i + 1, compact: !spaced };
    if (c !== 0x2c) return undefined;
  }
}

/** Read `{"columns": […], "data": […]}` of numbers only, or undefined for any other body. */
export function scanNumericBatch(text: string): NumericBatch | undefined {
  const s = new Scan(text);
  if (!s.expect(0x7b)) return undefined;
  let columns: string[] | undefined;
  let values: Float64Array[] | undefined;
  let rows = 0;
  let dataText = '';
  let compact = false;
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
    } else if (key === 'data' && values === undefined && columns !== undefined && columns.length > 0) {
      s.space();
      const from = s.i;
      const read = readRows(text, from, columns.length);
      if (!read) return undefined;
      s.i = read.end;
      rows = read.rows;
      values = read.values;
      compact = read.compact;
      dataText = text.slice(from, s.i);
    } else return undefined;
  } while (s.take(0x2c));
  if (!s.expect(0x7d)) return undefined;
  s.space();
  if (s.i !== text.length || columns === undefined || values === undefined) return undefined;
  return { columns, values, rows, dataText, compact };
}
