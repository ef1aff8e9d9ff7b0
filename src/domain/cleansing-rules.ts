// Declarative cleansing rules applied during ingest, and their validation. A rules document
// (JSON, or YAML through parseRulesText):
//   { "columns": { "precipitation": { "type": "double", "not_null": true, "range": { "min": 0, "max": 500 },
//                                     "outliers": { "method": "iqr", "k": 1.5 }, "impute": { "strategy": "median" } },
//                  "weather": { "type": "string", "normalize": { "trim": true, "case": "lower" },
//                               "allowed": ["drizzle", "fog", "rain", "snow", "sun"] },
//                  "station": { "regex": "[A-Z]{2}[0-9]{4}", "unique": true },
//                  "contact": { "pii": { "email": "mask", "phone": "flag" } } },
//     "dedupe": { "key": ["date", "station"], "keep": "last" },
//     "pii": { "card": "drop", "iban": "drop" } }
// A row breaking a rule is quarantined under the rule's id: `<column>.type`, `<column>.not_null`,
// `<column>.range`, `<column>.allowed`, `<column>.regex`, `<column>.pii` (a PII `drop`),
// `<column>.unique`, `<column>.outliers`, `dedupe` (records the parser cannot split:
// `parse.<problem>`). The order the engine checks them in is documented in
// src/storage/duckdb/rule-sql.ts.
//
// Meanings the engine relies on:
// - `regex` must match the whole value (RE2 syntax, DuckDB's regexp_full_match); write `.*x.*`
//   for "contains". Empty values are not checked (use not_null).
// - `normalize` (trim, lower/upper case) rewrites the value before every other check, and the
//   stored value is the normalised one.
// - `unique`: a value seen on an earlier accepted row quarantines the later rows (empty values
//   never clash). `dedupe`: rows with the same key as the kept row (the first or the last in the
//   file among the rows that passed the earlier checks) are quarantined; empty key values are
//   equal to each other. De-duplication runs before the `unique` checks.
// - `outliers` bounds come from the rows that passed every earlier check (numbers only):
//   IQR [q1 − k·IQR, q3 + k·IQR], or z-score mean ± threshold·std (sample std).
// - `impute` fills empty values of accepted rows in the stored output: mean/median (numbers;
//   rounded for integer columns) or mode (the most frequent value, the smallest on ties) of the
//   accepted rows' values, or a constant. A column that imputes never breaks its `not_null`.
// - `pii` on a column applies to that (string) column; `pii` at the top applies to every string
//   column that has no `pii` of its own (`"pii": {}` on a column turns it off there).
import { COLUMN_TYPES, SEMANTICS, type ColumnType, type Semantic } from './datasets.js';
import { ValidationError } from './errors.js';
import { parsePiiRule, type PiiRule } from './pii.js';
import { re2Problem } from './re2-pattern.js';

export type RangeBound = number | string;
export type RuleValue = string | number | boolean;

export type OutlierRule = { method: 'iqr'; k: number } | { method: 'zscore'; threshold: number };

export interface NormalizeRule {
  trim?: boolean;
  case?: 'lower' | 'upper';
}

export const IMPUTE_STRATEGIES = ['mean', 'median', 'mode', 'constant'] as const;
export type ImputeStrategy = (typeof IMPUTE_STRATEGIES)[number];

export interface ImputeRule {
  strategy: ImputeStrategy;
  /** The value for `constant` (of the column's type; dates as ISO strings). */
  value?: RuleValue;
}

export interface DedupeRule {
  /** Columns whose values together identify a record. */
  key: string[];
  /** Which of the rows sharing a key is kept, by position in the file. */
  keep: 'first' | 'last';
}

export interface ColumnRule {
  /** Coerce the column to this type; a value that does not cast is quarantined (`<column>.type`). */
  type?: ColumnType;
  /** An empty value is quarantined (`<column>.not_null`), unless the column imputes. */
  not_null?: boolean;
  /** Inclusive bounds: numbers, or ISO dates/timestamps for date and timestamp columns. */
  range?: { min?: RangeBound; max?: RangeBound };
  /** The only values accepted (`<column>.allowed`). */
  allowed?: RuleValue[];
  /** Override the inferred meaning, e.g. `"label"` for the target column. */
  semantic?: Semantic;
  /** An RE2 pattern the whole value must match (`<column>.regex`). */
  regex?: string;
  /** No two accepted rows share a value (`<column>.unique`). */
  unique?: boolean;
  /** Values outside the IQR or z-score bounds are quarantined (`<column>.outliers`). */
  outliers?: OutlierRule;
  /** Trim and/or change the case of the value before every other check. */
  normalize?: NormalizeRule;
  /** Fill empty values of accepted rows. */
  impute?: ImputeRule;
  /** PII detectors and their actions (string columns). */
  pii?: PiiRule;
}

export interface RulesDocument {
  columns: Record<string, ColumnRule>;
  /** De-duplicate rows by key (`dedupe`). */
  dedupe?: DedupeRule;
  /** PII detection for every string column without a `pii` of its own. */
  pii?: PiiRule;
}

export const RULE_KINDS = ['type', 'not_null', 'range', 'allowed', 'regex', 'pii', 'unique', 'outliers'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/**
 * Rules whose verdict on a row, and whose stored values, depend on that row alone: no
 * de-duplication, `unique` or outliers, and imputation by constant only (a mean, median or mode
 * is taken over all rows). Batches under such rules may be cleansed together.
 */
export function rowLocalRules(rules: RulesDocument | null | undefined): boolean {
  if (!rules) return true;
  if (rules.dedupe) return false;
  return Object.values(rules.columns).every((c) => !c.unique && !c.outliers && (!c.impute || c.impute.strategy === 'constant'));
}

/** The rule id of rows removed by de-duplication. */
export const DEDUPE_RULE = 'dedupe';

/** The id under which a rule counts quarantined rows, e.g. `ruleId('precipitation', 'range')`. */
export function ruleId(column: string, kind: RuleKind): string {
  return `${column}.${kind}`;
}

const COLUMN_KEYS = new Set(['type', 'not_null', 'range', 'allowed', 'semantic', 'regex', 'unique', 'outliers', 'normalize', 'impute', 'pii']);
const DOCUMENT_KEYS = ['columns', 'dedupe', 'pii'];
const MAX_ALLOWED = 10_000;
const MAX_KEY_COLUMNS = 32;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const ORDERED: ReadonlySet<ColumnType> = new Set(['integer', 'double', 'date', 'timestamp']);
const NUMERIC: ReadonlySet<ColumnType> = new Set(['integer', 'double']);

function fail(field: string, message: string): never {
  throw new ValidationError(`${field}: ${message}`, { field });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function onlyKeys(field: string, input: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of Object.keys(input)) if (!keys.includes(key)) fail(`${field}.${key}`, `unknown key '${key}' (use ${keys.join(', ')})`);
}

/** A bound as a comparable number (ISO strings → epoch ms), or undefined when it is not one. */
function boundValue(v: RangeBound): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (!ISO_TIMESTAMP.test(v)) return undefined;
  const ms = Date.parse(ISO_DATE.test(v) ? `${v}T00:00:00Z` : /Z|[+-]\d{2}(:?\d{2})?$/.test(v) ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

function checkBoundKind(field: string, v: RangeBound, type: ColumnType | undefined): void {
  if (type === 'integer' || type === 'double') {
    if (typeof v !== 'number') fail(field, `must be a number for a ${type} column, got ${describe(v)}`);
  } else if (type === 'date' || type === 'timestamp') {
    if (typeof v !== 'string') fail(field, `must be an ISO ${type} string (e.g. "2012-01-01") for a ${type} column, got ${describe(v)}`);
  }
}

function parseRange(field: string, input: unknown, type: ColumnType | undefined): ColumnRule['range'] {
  if (!isPlainObject(input)) fail(field, 'must be an object like {"min": 0, "max": 100}');
  for (const key of Object.keys(input)) if (key !== 'min' && key !== 'max') fail(`${field}.${key}`, `unknown key '${key}' (use min and max)`);
  if (input.min === undefined && input.max === undefined) fail(field, 'needs min, max or both');
  if (type !== undefined && !ORDERED.has(type)) fail(field, `a range needs an integer, double, date or timestamp column, not ${type}`);
  const out: { min?: RangeBound; max?: RangeBound } = {};
  for (const key of ['min', 'max'] as const) {
    const v = input[key];
    if (v === undefined) continue;
    const f = `${field}.${key}`;
    if (typeof v !== 'number' && typeof v !== 'string') fail(f, `must be a number or an ISO date, got ${describe(v)}`);
    if (boundValue(v) === undefined) fail(f, `must be a finite number or an ISO date/timestamp, got ${describe(v)}`);
    checkBoundKind(f, v, type);
    out[key] = v;
  }
  if (out.min !== undefined && out.max !== undefined) {
    if (typeof out.min !== typeof out.max) fail(`${field}.min`, 'min and max must be of the same kind (both numbers or both dates)');
    if (boundValue(out.min)! > boundValue(out.max)!) fail(`${field}.min`, `min (${describe(out.min)}) is greater than max (${describe(out.max)})`);
  }
  return out;
}

/** A value given for a column (an allowed value, an imputed constant) is of the column's type. */
function checkValue(field: string, v: unknown, type: ColumnType | undefined): void {
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') fail(field, `must be a string, number or boolean, got ${describe(v)}`);
  if (typeof v === 'number' && !Number.isFinite(v)) fail(field, 'must be a finite number');
  if (type === undefined) return;
  const want = type === 'integer' || type === 'double' ? 'number' : type === 'boolean' ? 'boolean' : 'string';
  if (typeof v !== want) fail(field, `must be a ${want} for a ${type} column, got ${describe(v)}`);
  if (type === 'integer' && !Number.isInteger(v)) fail(field, `must be an integer, got ${describe(v)}`);
}

/** An imputed constant also fits the column's own rules (type, date format, allowed, range). */
function checkImputedValue(field: string, rule: ColumnRule, type: ColumnType | undefined): void {
  const v = rule.impute?.value;
  if (rule.impute?.strategy !== 'constant' || v === undefined) return;
  if (typeof v === 'string' && v.trim() === '') fail(field, 'must not be empty (empty values are what gets imputed)');
  checkValue(field, v, type);
  if ((type === 'date' || type === 'timestamp') && (!(type === 'date' ? ISO_DATE : ISO_TIMESTAMP).test(String(v)) || boundValue(String(v)) === undefined)) {
    fail(field, `must be an ISO ${type} string (e.g. "2012-01-01"), got ${describe(v)}`);
  }
  if (rule.allowed && !rule.allowed.includes(v)) fail(field, `${describe(v)} is not one of the column's allowed values`);
  if (rule.range && typeof v === 'number') {
    const { min, max } = rule.range;
    if ((typeof min === 'number' && v < min) || (typeof max === 'number' && v > max)) fail(field, `${describe(v)} is outside the column's range`);
  }
}

function parseOutliers(field: string, input: unknown): OutlierRule {
  if (!isPlainObject(input)) fail(field, 'must be an object like {"method": "iqr", "k": 1.5} or {"method": "zscore", "threshold": 3}');
  const positive = (key: string, fallback: number): number => {
    const v = input[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`${field}.${key}`, `must be a positive number, got ${describe(v)}`);
    return v;
  };
  if (input.method === 'iqr') {
    onlyKeys(field, input, ['method', 'k']);
    return { method: 'iqr', k: positive('k', 1.5) };
  }
  if (input.method === 'zscore') {
    onlyKeys(field, input, ['method', 'threshold']);
    return { method: 'zscore', threshold: positive('threshold', 3) };
  }
  fail(`${field}.method`, `must be "iqr" or "zscore", got ${describe(input.method)}`);
}

function parseNormalize(field: string, input: unknown): NormalizeRule {
  if (!isPlainObject(input)) fail(field, 'must be an object like {"trim": true, "case": "lower"}');
  onlyKeys(field, input, ['trim', 'case']);
  const out: NormalizeRule = {};
  if (input.trim !== undefined) {
    if (typeof input.trim !== 'boolean') fail(`${field}.trim`, `must be true or false, got ${describe(input.trim)}`);
    out.trim = input.trim;
  }
  if (input.case !== undefined) {
    if (input.case !== 'lower' && input.case !== 'upper') fail(`${field}.case`, `must be "lower" or "upper", got ${describe(input.case)}`);
    out.case = input.case;
  }
  if (!out.trim && !out.case) fail(field, 'needs "trim": true, a "case", or both');
  return out;
}

function parseImpute(field: string, input: unknown, type: ColumnType | undefined): ImputeRule {
  if (!isPlainObject(input)) fail(field, 'must be an object like {"strategy": "median"} or {"strategy": "constant", "value": 0}');
  onlyKeys(field, input, ['strategy', 'value']);
  if (!(IMPUTE_STRATEGIES as readonly unknown[]).includes(input.strategy)) fail(`${field}.strategy`, `must be one of ${IMPUTE_STRATEGIES.join(', ')}, got ${describe(input.strategy)}`);
  const strategy = input.strategy as ImputeStrategy;
  if (strategy === 'constant') {
    if (input.value === undefined || input.value === null) fail(`${field}.value`, 'a constant imputation needs a value');
    checkValue(`${field}.value`, input.value, undefined);
    return { strategy, value: input.value as RuleValue };
  }
  if (input.value !== undefined) fail(`${field}.value`, `only the constant strategy takes a value (this one computes it: ${strategy})`);
  if ((strategy === 'mean' || strategy === 'median') && type !== undefined && !NUMERIC.has(type)) fail(`${field}.strategy`, `${strategy} needs an integer or double column, not ${type}`);
  return { strategy };
}

function parseColumnRule(field: string, input: unknown): ColumnRule {
  if (!isPlainObject(input)) fail(field, 'must be an object of rules, e.g. {"type": "double", "not_null": true}');
  for (const key of Object.keys(input)) {
    if (!COLUMN_KEYS.has(key)) fail(`${field}.${key}`, `unknown key '${key}' (known: ${[...COLUMN_KEYS].join(', ')})`);
  }
  const rule: ColumnRule = {};
  if (input.type !== undefined) {
    if (!(COLUMN_TYPES as readonly unknown[]).includes(input.type)) fail(`${field}.type`, `must be one of ${COLUMN_TYPES.join(', ')}, got ${describe(input.type)}`);
    rule.type = input.type as ColumnType;
  }
  for (const key of ['not_null', 'unique'] as const) {
    if (input[key] === undefined) continue;
    if (typeof input[key] !== 'boolean') fail(`${field}.${key}`, `must be true or false, got ${describe(input[key])}`);
    rule[key] = input[key];
  }
  if (input.range !== undefined) rule.range = parseRange(`${field}.range`, input.range, rule.type);
  if (input.allowed !== undefined) {
    const f = `${field}.allowed`;
    if (!Array.isArray(input.allowed) || input.allowed.length === 0) fail(f, 'must be a non-empty list of values');
    if (input.allowed.length > MAX_ALLOWED) fail(f, `may list at most ${MAX_ALLOWED} values`);
    input.allowed.forEach((v, i) => checkValue(`${f}.${i}`, v, rule.type));
    rule.allowed = [...input.allowed] as RuleValue[];
  }
  if (input.semantic !== undefined) {
    if (!(SEMANTICS as readonly unknown[]).includes(input.semantic)) fail(`${field}.semantic`, `must be one of ${SEMANTICS.join(', ')}, got ${describe(input.semantic)}`);
    rule.semantic = input.semantic as Semantic;
  }
  if (input.regex !== undefined) {
    if (typeof input.regex !== 'string') fail(`${field}.regex`, `must be a pattern string, got ${describe(input.regex)}`);
    const problem = re2Problem(input.regex);
    if (problem) fail(`${field}.regex`, `is not a valid RE2 pattern: ${problem}`);
    rule.regex = input.regex;
  }
  if (input.outliers !== undefined) {
    rule.outliers = parseOutliers(`${field}.outliers`, input.outliers);
    if (rule.type !== undefined && !NUMERIC.has(rule.type)) fail(`${field}.outliers`, `outliers need an integer or double column, not ${rule.type}`);
  }
  if (input.normalize !== undefined) rule.normalize = parseNormalize(`${field}.normalize`, input.normalize);
  if (input.impute !== undefined) {
    rule.impute = parseImpute(`${field}.impute`, input.impute, rule.type);
    checkImputedValue(`${field}.impute.value`, rule, rule.type);
  }
  if (input.pii !== undefined) {
    rule.pii = parsePiiRule(`${field}.pii`, input.pii);
    if (rule.type !== undefined && rule.type !== 'string' && Object.keys(rule.pii).length > 0) fail(`${field}.pii`, `PII detection needs a string column, not ${rule.type}`);
  }
  return rule;
}

function parseDedupe(field: string, input: unknown): DedupeRule {
  if (!isPlainObject(input)) fail(field, 'must be an object like {"key": ["id"], "keep": "first"}');
  onlyKeys(field, input, ['key', 'keep']);
  const key = input.key;
  if (!Array.isArray(key) || key.length === 0) fail(`${field}.key`, 'must be a non-empty list of column names');
  if (key.length > MAX_KEY_COLUMNS) fail(`${field}.key`, `may name at most ${MAX_KEY_COLUMNS} columns`);
  key.forEach((c, i) => {
    if (typeof c !== 'string' || c.trim() === '') fail(`${field}.key.${i}`, `must be a column name, got ${describe(c)}`);
    if (key.indexOf(c) !== i) fail(`${field}.key.${i}`, `'${c}' is named twice`);
  });
  const keep = input.keep ?? 'first';
  if (keep !== 'first' && keep !== 'last') fail(`${field}.keep`, `must be "first" or "last", got ${describe(keep)}`);
  return { key: [...key] as string[], keep };
}

/**
 * Validate a rules document (already parsed from JSON or YAML); throws ValidationError naming
 * the path, e.g. `rules.columns.precipitation.range.min: min (600) is greater than max (500)`.
 * Defaults are filled in (outliers k 1.5 / threshold 3, dedupe keep "first").
 * @example parseRules({ columns: { wind: { type: 'double', range: { min: 0 } } } })
 */
export function parseRules(input: unknown, field = 'rules'): RulesDocument {
  if (!isPlainObject(input)) fail(field, 'must be an object (JSON or YAML) like {"columns": {...}}');
  for (const key of Object.keys(input)) {
    if (!DOCUMENT_KEYS.includes(key)) fail(`${field}.${key}`, `unknown key '${key}' (a rules document has ${DOCUMENT_KEYS.join(', ')})`);
  }
  const columns: Record<string, ColumnRule> = {};
  if (input.columns !== undefined) {
    if (!isPlainObject(input.columns)) fail(`${field}.columns`, 'must be an object keyed by column name');
    for (const [name, rule] of Object.entries(input.columns)) {
      if (name.trim() === '' || name.length > 255) fail(`${field}.columns`, 'column names must be 1-255 characters');
      columns[name] = parseColumnRule(`${field}.columns.${name}`, rule);
    }
  }
  const doc: RulesDocument = { columns };
  if (input.dedupe !== undefined) doc.dedupe = parseDedupe(`${field}.dedupe`, input.dedupe);
  if (input.pii !== undefined) doc.pii = parsePiiRule(`${field}.pii`, input.pii);
  return doc;
}

/** Parse rules given as JSON text; bad JSON names `field`. Prefer parseRulesText (JSON or YAML). */
export function parseRulesJson(text: string, field = 'rules'): RulesDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(field, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseRules(parsed, field);
}

/** The PII rule that applies to a column: its own, else the document's for string columns. */
export function piiRuleOf(rules: RulesDocument | null | undefined, column: string, type: ColumnType): PiiRule | undefined {
  const own = rules?.columns[column]?.pii;
  if (own) return Object.keys(own).length > 0 ? own : undefined;
  return type === 'string' && rules?.pii && Object.keys(rules.pii).length > 0 ? rules.pii : undefined;
}

/**
 * Check rules against the columns a file actually has and their resolved types (inferred, or
 * the dataset's existing schema): unknown columns, a rule type that contradicts the dataset's
 * schema, and range/allowed/imputed values, outliers or PII on a column of the wrong kind all
 * throw ValidationError.
 */
export function checkRulesFit(
  rules: RulesDocument,
  columns: ReadonlyArray<{ name: string; type: ColumnType }>,
  options: { field?: string; fixedTypes?: boolean } = {},
): void {
  const field = options.field ?? 'rules';
  const byName = new Map(columns.map((c) => [c.name, c.type]));
  const known = () => {
    const names = columns.map((c) => c.name).join(', ');
    return names.length > 300 ? names.slice(0, 300) + '…' : names;
  };
  for (const [name, rule] of Object.entries(rules.columns)) {
    const f = `${field}.columns.${name}`;
    const type = byName.get(name);
    if (type === undefined) fail(f, `column '${name}' is not in the file (its columns: ${known()})`);
    if (options.fixedTypes && rule.type !== undefined && rule.type !== type) {
      fail(`${f}.type`, `the dataset's schema has ${name} as ${type}, not ${rule.type}`);
    }
    if (rule.range) {
      if (!ORDERED.has(type)) fail(`${f}.range`, `a range needs an integer, double, date or timestamp column, and ${name} is ${type}`);
      for (const key of ['min', 'max'] as const) if (rule.range[key] !== undefined) checkBoundKind(`${f}.range.${key}`, rule.range[key]!, type);
    }
    rule.allowed?.forEach((v, i) => checkValue(`${f}.allowed.${i}`, v, type));
    if (rule.outliers && !NUMERIC.has(type)) fail(`${f}.outliers`, `outliers need an integer or double column, and ${name} is ${type}`);
    if (rule.impute) {
      const { strategy } = rule.impute;
      if ((strategy === 'mean' || strategy === 'median') && !NUMERIC.has(type)) fail(`${f}.impute.strategy`, `${strategy} needs an integer or double column, and ${name} is ${type}`);
      checkImputedValue(`${f}.impute.value`, rule, type);
    }
    if (rule.pii && Object.keys(rule.pii).length > 0 && type !== 'string') fail(`${f}.pii`, `PII detection needs a string column, and ${name} is ${type}`);
  }
  rules.dedupe?.key.forEach((name, i) => {
    if (!byName.has(name)) fail(`${field}.dedupe.key.${i}`, `column '${name}' is not in the file (its columns: ${known()})`);
  });
}
