// PII detection and masking as DuckDB SQL. Each detector finds candidates with an RE2 pattern;
// card numbers must also pass the Luhn check and IBANs the mod-97 check (SQL macros over list
// functions and lambdas, no scalar UDF), which run only on the values the pattern matches. The
// patterns are constants of this module, written into the SQL as literals. Card numbers are
// looked for outside IBANs; otherwise detectors are independent (one find may count twice).
// A row's finds are one small integer per column (a bit per detector) computed once; masking
// re-reads only the values that have a find.
import type { PiiDetector } from '../../domain/pii.js';
import type { DuckSession } from './duckdb-session.js';

/** The bit of each detector in a column's `__fw_p<i>`. */
export const PII_BIT: Record<PiiDetector, number> = { email: 1, phone: 2, card: 4, iban: 8 };

const EMAIL = String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`;
/**
 * Phone numbers; every branch fixes the digit count, so a match needs no further check:
 * E.164-ish `+` and 8–15 digits (spaces, dots, dashes, a bracketed digit such as (0) allowed);
 * NANP with separators ((206) 555-0100, 206.555.0100); trunk-prefix national numbers
 * (01 23 45 67 89, 020 7946 0958, 07700 900123, 030 1234567).
 */
const PHONE = [
  String.raw`\+[1-9](?:[ .-]?\(?[0-9]\)?){6,13}[ .-]?[0-9]`,
  String.raw`(?:\(\b[2-9][0-9]{2}\) ?|\b[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}\b`,
  String.raw`\b0[1-9](?: [0-9]{2}){4}\b`,
  String.raw`\b0[1-9](?:\.[0-9]{2}){4}\b`,
  String.raw`\b0[1-9][0-9]{1,3}[ .-]?[0-9]{3,4}[ .-]?[0-9]{3,4}\b`,
  String.raw`\b0[1-9][0-9]{1,3}[ -][0-9]{5,8}\b`,
].join('|');
/** 13–19 digits, single spaces or dashes between them, not part of a longer number. */
const CARD = String.raw`\b[0-9](?:[ -]?[0-9]){12,18}\b`;
/** Country code, check digits, then groups of four (printed) or a run (electronic); case-insensitive. */
const IBAN = String.raw`(?i)\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b`;

/** A SQL string literal of a constant of this module (never of input). */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** The digits of a card candidate (its only other characters are spaces and dashes). */
const digits = (c: string) => `replace(replace(${c}, ' ', ''), '-', '')`;

/** Macros the detectors use; created in the ingest's session when a card or IBAN rule exists. */
const MACROS = [
  // Luhn over a digit string: from the right, every second digit doubled (less 9 when over 9).
  `CREATE OR REPLACE TEMP MACRO fw_luhn(d) AS
     list_sum(list_transform(string_split(reverse(d), ''), lambda ch, i:
       CASE WHEN i % 2 = 0 THEN [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][CAST(ch AS INTEGER) + 1] ELSE CAST(ch AS INTEGER) END)) % 10 = 0`,
  // IBAN mod-97: the first four characters moved to the end, letters as 10–35, remainder 1.
  `CREATE OR REPLACE TEMP MACRO fw_mod97(s) AS
     length(s) BETWEEN 15 AND 34 AND list_reduce(
       list_transform(string_split(array_to_string(list_transform(string_split(substr(s, 5) || substr(s, 1, 4), ''),
         lambda ch: CASE WHEN ch BETWEEN '0' AND '9' THEN ch ELSE CAST(ascii(ch) - 55 AS VARCHAR) END), ''), ''), lambda x: CAST(x AS INTEGER)),
       lambda a, x: (a * 10 + x) % 97) = 1`,
];

export async function installPiiMacros(session: DuckSession): Promise<void> {
  for (const sql of MACROS) await session.run(sql);
}

interface Detector {
  pattern: string;
  /** A check of one candidate `c` (SQL over the lambda variable), or null when any match counts. */
  valid: ((c: string) => string) | null;
  /** What a candidate `c` is replaced with. */
  mask: (c: string) => string;
}

const DETECTORS: Record<PiiDetector, Detector> = {
  email: { pattern: EMAIL, valid: null, mask: () => `'***@***'` },
  phone: { pattern: PHONE, valid: null, mask: () => `'***-***-****'` },
  card: { pattern: CARD, valid: (c) => `fw_luhn(${digits(c)})`, mask: (c) => `'**** **** **** ' || right(${digits(c)}, 4)` },
  iban: {
    pattern: IBAN,
    valid: (c) => `fw_mod97(upper(replace(${c}, ' ', '')))`,
    mask: (c) => `upper(left(${c}, 2)) || '** **** ' || upper(right(replace(${c}, ' ', ''), 4))`,
  },
};

/** Masking order: IBANs before card numbers and phones (their digit groups may look like both). */
const MASK_ORDER: PiiDetector[] = ['iban', 'card', 'email', 'phone'];

/** The valid candidates of `detector` in the text `x` (a list). */
function finds(x: string, detector: PiiDetector): string {
  const d = DETECTORS[detector];
  // The digit groups of an IBAN are no card number.
  const text = detector === 'card' ? `regexp_replace(${x}, ${lit(IBAN)}, ' ', 'g')` : x;
  const all = `regexp_extract_all(${text}, ${lit(d.pattern)})`;
  return d.valid ? `list_filter(${all}, lambda c: ${d.valid('c')})` : all;
}

/** True when the text `x` (VARCHAR, may be NULL) holds a find of `detector`. */
function detectedExpr(x: string, detector: PiiDetector): string {
  const d = DETECTORS[detector];
  const any = `regexp_matches(${x}, ${lit(d.pattern)})`;
  if (!d.valid) return `coalesce(${any}, false)`;
  // CASE evaluates the list work only for the values the pattern matches at all.
  return `(CASE WHEN ${any} THEN len(${finds(x, detector)}) > 0 ELSE false END)`;
}

/** An INTEGER with the bit of every detector that finds something in `x`. */
export function piiBitsExpr(x: string, detectors: PiiDetector[]): string {
  return '(' + detectors.map((d) => `(CASE WHEN ${detectedExpr(x, d)} THEN ${PII_BIT[d]} ELSE 0 END)`).join(' | ') + ')';
}

/** `x` with every find of `detectors` replaced by its mask. */
export function maskExpr(x: string, detectors: PiiDetector[]): string {
  let out = x;
  for (const d of MASK_ORDER.filter((m) => detectors.includes(m))) {
    // `[out]` bound to v by a one-element list_transform: the text is written (and computed) once.
    const { pattern, valid, mask } = DETECTORS[d];
    out = valid === null
      ? `regexp_replace(${out}, ${lit(pattern)}, ${mask('')}, 'g')`
      : `list_transform([${out}], lambda v: list_reduce(${finds('v', d)}, lambda acc, c: replace(acc, c, ${mask('c')}), v))[1]`;
  }
  return out;
}

/** The bits of `detectors`, OR-ed. */
export function bitsOf(detectors: PiiDetector[]): number {
  return detectors.reduce((n, d) => n | PII_BIT[d], 0);
}

/** True when a detector needs the macros. */
export function needsMacros(detectors: Iterable<PiiDetector>): boolean {
  for (const d of detectors) if (d === 'card' || d === 'iban') return true;
  return false;
}
