// A push body read from its text without building its rows. Pushed batches are nearly always
// exactly `{"rows":[{…},{…}]}`; for such a body scanPushBody checks the JSON (its whole grammar,
// as JSON.parse does) and answers each row's own text, one per line, for the engine to read as it
// reads a JSON Lines file (with each row's keys), so no value becomes a JavaScript value and no
// row is serialised again. The engine reads exactly the values it read when rows were parsed and
// serialised again with JSON.stringify: strings and literals read the same however they are
// written, numbers are kept as sent only when JSON.stringify would write them so (an integer of at
// most 15 digits, a decimal of at most 15 digits not ending in 0), and a row with any other number
// or a nested object or array is written by JSON.stringify(JSON.parse(row)), as before.
// Any other body (not JSON, members beside `rows`, no rows or too many, a row that is not an
// object, a key twice in a row, a key JSON parsers guard against such as `__proto__`) is declined:
// the caller parses it as JSON as before, which answers every problem with the same error as ever.

/** A scanned push body: its rows as JSON Lines, and each row's keys. */
export class ScannedPushBody {
  constructor(
    /** Each row's JSON text (line breaks between its tokens made spaces), one per line, each line ending with a line break. */
    readonly lines: string,
    /**
     * One entry per row: an object with the row's keys in order (values null; rows with the same
     * keys in the same order share one object). The values are in `lines`.
     */
    readonly shapes: Array<Record<string, null>>,
  ) {}

  get rows(): number {
    return this.shapes.length;
  }
}

/** Keys JSON parsers guard against (secure-json-parse's checks, which the JSON body parser runs). */
const SUSPECT_PROTO = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;
const SUSPECT_CONSTRUCTOR = /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

/** The rest of a string token without escapes (after its opening quote), its closing quote included. */
const PLAIN_STRING = /[^"\\\x00-\x1f]*"/y;
/** The rest of any string token. */
const ANY_STRING = /(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
/** A number token (JSON's grammar). */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/**
 * Numbers the engine reads as it reads what JSON.stringify writes of them (numbers are read as
 * integers when written without a fraction or exponent, else as doubles): an integer of at most
 * 15 digits (exact in a double; not -0), and a decimal whose nearest double is no integer (so
 * JSON.stringify also writes a fraction or an exponent, of the same double): a nonzero digit among
 * the first 8 of its fraction and not 8 nines there, with at most 7 integer digits (within 1e7 a
 * double is far finer than 1e-8), or at most 16 digits in all, the last not 0 (with at most 16
 * significant digits no such decimal is nearer to an integer than half a double's spacing).
 */
const SAFE_NUMBER_SOURCE = String.raw`(?:-?(?:0|[1-9][0-9]{0,6})\.(?=0{0,7}[1-9])(?!9{8})[0-9]+|-?(?=[0-9.]{10,17}(?![0-9.]))[1-9][0-9]{7,14}\.[0-9]*[1-9]|-?[1-9][0-9]{0,14}|0)`;
const SAFE_NUMBER = new RegExp(SAFE_NUMBER_SOURCE, 'y');
/** A string (any) or a literal or a safe number: a row value read as sent (see shapePattern). */
const SCALAR = String.raw`(?:"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"|${SAFE_NUMBER_SOURCE}|true|false|null)`;
const SPACE = '[ \\t]*';

/**
 * Whether the engine reads number token `t` as it reads JSON.stringify's text of it: an integer
 * that is exact in a double (not -0), or a fraction or exponent whose double is finite and no
 * integer (JSON.stringify writes it with a fraction or an exponent too).
 */
function sameAsWritten(t: string): boolean {
  const d = Number(t);
  if (/[.eE]/.test(t)) return Number.isFinite(d) && !Number.isInteger(d);
  return Number.isSafeInteger(d) && !Object.is(d, -0);
}

/** Nesting deeper than this is left to JSON.parse. */
const MAX_DEPTH = 64;

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const LF = 0x0a;
const CR = 0x0d;

/** Thrown inside the scan when the body is not one it takes (never escapes scanPushBody). */
class Declined extends Error {}
const DECLINED = new Declined('declined');

class Scanner {
  pos = 0;
  /** Whether a line break was skipped as whitespace since the flag was last cleared. */
  sawBreak = false;
  /** Whether the row being read must be written by JSON.stringify (a nested value, or a number it writes otherwise). */
  normalize = false;

  constructor(readonly s: string) {}

  skipWs(): void {
    const s = this.s;
    let i = this.pos;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x09) i++;
      else if (c === LF || c === CR) {
        this.sawBreak = true;
        i++;
      } else break;
    }
    this.pos = i;
  }

  expect(c: number): void {
    if (this.s.charCodeAt(this.pos) !== c) throw DECLINED;
    this.pos++;
  }

  /** A string token starting at pos (its opening quote); answers whether it holds an escape. */
  string(): boolean {
    PLAIN_STRING.lastIndex = this.pos + 1;
    if (PLAIN_STRING.test(this.s)) {
      this.pos = PLAIN_STRING.lastIndex;
      return false;
    }
    ANY_STRING.lastIndex = this.pos + 1;
    if (!ANY_STRING.test(this.s)) throw DECLINED;
    this.pos = ANY_STRING.lastIndex;
    return true;
  }

  number(): void {
    const start = this.pos;
    NUMBER.lastIndex = start;
    if (!NUMBER.test(this.s)) throw DECLINED;
    const end = NUMBER.lastIndex;
    SAFE_NUMBER.lastIndex = start;
    if (!(SAFE_NUMBER.test(this.s) && SAFE_NUMBER.lastIndex === end) && !sameAsWritten(this.s.slice(start, end))) this.normalize = true;
    this.pos = end;
  }

  literal(word: string): void {
    if (!this.s.startsWith(word, this.pos)) throw DECLINED;
    this.pos += word.length;
  }

  /** Any JSON value at pos (whitespace before it skipped already). */
  value(depth: number): void {
    const c = this.s.charCodeAt(this.pos);
    if (c === QUOTE) this.string();
    else if (c === OPEN_OBJECT) this.object(depth + 1);
    else if (c === OPEN_ARRAY) this.array(depth + 1);
    else if (c === 0x74 /* t */) this.literal('true');
    else if (c === 0x66 /* f */) this.literal('false');
    else if (c === 0x6e /* n */) this.literal('null');
    else this.number();
  }

  object(depth: number): void {
    if (depth > MAX_DEPTH) throw DECLINED;
    this.normalize = true;
    this.pos++;
    this.skipWs();
    if (this.s.charCodeAt(this.pos) === CLOSE_OBJECT) {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.s.charCodeAt(this.pos) !== QUOTE) throw DECLINED;
      this.string();
      this.skipWs();
      this.expect(COLON);
      this.skipWs();
      this.value(depth);
      this.skipWs();
      const c = this.s.charCodeAt(this.pos++);
      if (c === CLOSE_OBJECT) return;
      if (c !== COMMA) throw DECLINED;
      this.skipWs();
    }
  }

  array(depth: number): void {
    if (depth > MAX_DEPTH) throw DECLINED;
    this.normalize = true;
    this.pos++;
    this.skipWs();
    if (this.s.charCodeAt(this.pos) === CLOSE_ARRAY) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth);
      this.skipWs();
      const c = this.s.charCodeAt(this.pos++);
      if (c === CLOSE_ARRAY) return;
      if (c !== COMMA) throw DECLINED;
      this.skipWs();
    }
  }

  /** Past the comma before the next row (false), or past the bracket closing the rows (true). */
  nextRow(): boolean {
    this.skipWs();
    const c = this.s.charCodeAt(this.pos++);
    if (c === CLOSE_ARRAY) return true;
    if (c !== COMMA) throw DECLINED;
    this.skipWs();
    return false;
  }
}

/** Shape patterns kept by the keys' JSON, reused across pushes. */
const SHAPE_PATTERNS = new Map<string, RegExp | null>();
const MAX_SHAPE_PATTERNS = 64;
/** Rows with more keys than this are read token by token (a pattern that long is not worth it). */
const MAX_PATTERN_KEYS = 256;

/**
 * A sticky pattern matching a whole row with exactly `keys`, in this order, written plainly, each
 * value a string, a literal or a safe number, and no line break: such a row is kept as sent. Null
 * when a key needs an escape in JSON (such rows are read token by token).
 */
function shapePattern(id: string, keys: string[]): RegExp | null {
  let rx = SHAPE_PATTERNS.get(id);
  if (rx !== undefined) return rx;
  const plain = keys.length <= MAX_PATTERN_KEYS && keys.every((k) => !/["\\\x00-\x1f]/.test(k));
  const member = (k: string) => `"${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"${SPACE}:${SPACE}${SCALAR}${SPACE}`;
  rx = plain ? new RegExp(`\\{${SPACE}${keys.map(member).join(`,${SPACE}`)}\\}`, 'y') : null;
  if (SHAPE_PATTERNS.size >= MAX_SHAPE_PATTERNS) SHAPE_PATTERNS.clear();
  SHAPE_PATTERNS.set(id, rx);
  return rx;
}

/** The shape object of `keys` (values null). */
function shapeOf(keys: string[]): Record<string, null> {
  const shape: Record<string, null> = {};
  for (const k of keys) shape[k] = null;
  return shape;
}

/**
 * The rows of a push body `{"rows":[…]}` holding 1 to `maxRows` JSON objects, or undefined for
 * any other body (see the module comment).
 * @example scanPushBody('{"rows":[{"a":1},{"a":2,"b":"x"}]}', 10_000)?.lines // '{"a":1}\n{"a":2,"b":"x"}\n'
 */
export function scanPushBody(text: string, maxRows: number): ScannedPushBody | undefined {
  if (SUSPECT_PROTO.test(text) || SUSPECT_CONSTRUCTOR.test(text)) return undefined;
  try {
    return scan(new Scanner(text), maxRows);
  } catch (error) {
    if (error instanceof Declined) return undefined;
    throw error;
  }
}

function scan(sc: Scanner, maxRows: number): ScannedPushBody {
  const s = sc.s;
  sc.skipWs();
  sc.expect(OPEN_OBJECT);
  sc.skipWs();
  // The one member, "rows" (written plainly), holding at least one row.
  if (!s.startsWith('"rows"', sc.pos)) throw DECLINED;
  sc.pos += 6;
  sc.skipWs();
  sc.expect(COLON);
  sc.skipWs();
  sc.expect(OPEN_ARRAY);
  sc.skipWs();
  if (s.charCodeAt(sc.pos) === CLOSE_ARRAY) throw DECLINED;
  const rows: string[] = [];
  const shapes: Array<Record<string, null>> = [];
  const known = new Map<string, Record<string, null>>();
  const keys: string[] = [];
  let shape: Record<string, null> | undefined;
  let pattern: RegExp | null = null;
  for (;;) {
    if (rows.length === maxRows) throw DECLINED;
    const start = sc.pos;
    if (s.charCodeAt(start) !== OPEN_OBJECT) throw DECLINED;
    if (pattern) {
      // Most rows have the previous row's keys and plain values: one match reads the whole row.
      pattern.lastIndex = start;
      if (pattern.test(s)) {
        sc.pos = pattern.lastIndex;
        rows.push(s.slice(start, sc.pos));
        shapes.push(shape!);
        if (sc.nextRow()) break;
        continue;
      }
    }
    sc.sawBreak = false;
    sc.normalize = false;
    sc.pos++;
    sc.skipWs();
    keys.length = 0;
    if (s.charCodeAt(sc.pos) === CLOSE_OBJECT) sc.pos++;
    else {
      for (;;) {
        if (s.charCodeAt(sc.pos) !== QUOTE) throw DECLINED;
        const keyStart = sc.pos;
        const escaped = sc.string();
        keys.push(escaped ? (JSON.parse(s.slice(keyStart, sc.pos)) as string) : s.slice(keyStart + 1, sc.pos - 1));
        sc.skipWs();
        sc.expect(COLON);
        sc.skipWs();
        sc.value(1);
        sc.skipWs();
        const c = s.charCodeAt(sc.pos++);
        if (c === CLOSE_OBJECT) break;
        if (c !== COMMA) throw DECLINED;
        sc.skipWs();
      }
    }
    const id = JSON.stringify(keys);
    shape = known.get(id);
    if (!shape) {
      if (new Set(keys).size !== keys.length) throw DECLINED; // a key twice: JSON.parse keeps the last
      shape = shapeOf(keys);
      known.set(id, shape);
    }
    let row = s.slice(start, sc.pos);
    if (sc.normalize) row = JSON.stringify(JSON.parse(row));
    else if (sc.sawBreak) row = row.replace(/[\r\n]/g, ' '); // only whitespace holds them (strings escape them)
    rows.push(row);
    shapes.push(shape);
    pattern = shapePattern(id, keys);
    if (sc.nextRow()) break;
  }
  sc.skipWs();
  sc.expect(CLOSE_OBJECT);
  sc.skipWs();
  if (sc.pos !== s.length) throw DECLINED;
  return new ScannedPushBody(rows.join('\n') + '\n', shapes);
}
