// The JSON text of one member of a top-level JSON object, cut from the text as received: lets
// the prediction log keep a request's rows exactly as sent without serialising them again (the
// numbers in a 1,000-row body are most of the cost of writing it out). The text must be valid
// JSON (it has been parsed already); like JSON.parse, the last of repeated keys wins.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The index after the closing quote of the string starting at `i`. */
function skipString(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    let backslashes = 0;
    for (let k = q - 1; k > i && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Quotes and brackets: the only characters that matter when skipping an array or object. */
const STRUCTURE = /["[\]{}]/g;

/** The index after the value starting at `i`. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === 0x5b || c === 0x7b) {
    // Jump from one structural character to the next (numbers, the bulk of a batch, are skipped by the regex engine).
    let depth = 0;
    STRUCTURE.lastIndex = i;
    for (let m = STRUCTURE.exec(text); m !== null; m = STRUCTURE.exec(text)) {
      const d = text.charCodeAt(m.index);
      if (d === QUOTE) STRUCTURE.lastIndex = skipString(text, m.index);
      else if (d === 0x5b || d === 0x7b) depth++;
      else if (--depth === 0) return m.index + 1;
    }
    return text.length;
  }
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d)) break;
    j++;
  }
  return j;
}

/**
 * The text of member `key` of the JSON object `text`, or undefined when the text is not an
 * object or has no such member. Example: `memberText('{"a": [1, 2], "b": 3}', 'a')` → `'[1, 2]'`.
 */
export function memberText(text: string, key: string): string | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return undefined;
  i = skipSpace(text, i + 1);
  let found: string | undefined;
  const plain = `"${key}"`;
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const end = skipString(text, i);
    const raw = text.slice(i, end);
    const name = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    i = skipSpace(text, end);
    if (text.charCodeAt(i) !== 0x3a) return found;
    const start = skipSpace(text, i + 1);
    i = skipValue(text, start);
    if (raw === plain || name === key) found = text.slice(start, i);
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== 0x2c) break;
    i = skipSpace(text, i + 1);
  }
  return found;
}
