// Declarative cleansing rules applied during ingest, and their validation. A rules document:
//   { "columns": { "precipitation": { "type": "double", "not_null": true, "range": { "min": 0, "max": 500 } },
//                  "weather": { "type": "string", "allowed": ["drizzle", "fog", "rain", "snow", "sun"] } } }
// A row breaking a rule is quarantined under the rule's id: `<column>.type`, `<column>.not_null`,
// `<column>.range`, `<column>.allowed` (records the parser cannot split: `parse.<problem>`).
import { COLUMN_TYPES, SEMANTICS, type ColumnType, type Semantic } from './datasets.js';
import { ValidationError } from './errors.js';

export type RangeBound = number | string;

export interface ColumnRule {
  /** Coerce the column to this type; a value that does not cast is quarantined (`<column>.type`). */
  type?: ColumnType;
  /** An empty value is quarantined (`<column>.not_null`). */
  not_null?: boolean;
  /** Inclusive bounds: numbers, or ISO dates/timestamps for date and timestamp columns. */
  range?: { min?: RangeBound; max?: RangeBound };
  /** The only values accepted (`<column>.allowed`). */
  allowed?: Array<string | number | boolean>;
  /** Override the inferred meaning, e.g. `"label"` for the target column. */
  semantic?: Semantic;
}

export interface RulesDocument {
  columns: Record<string, ColumnRule>;
}

export const RULE_KINDS = ['type', 'not_null', 'range', 'allowed'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** The id under which a rule counts quarantined rows, e.g. `ruleId('precipitation', 'range')`. */
export function ruleId(column: string, kind: RuleKind): string {
  return `${column}.${kind}`;
}

const COLUMN_KEYS = new Set(['type', 'not_null', 'range', 'allowed', 'semantic']);
const MAX_ALLOWED = 10_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const ORDERED: ReadonlySet<ColumnType> = new Set(['integer', 'double', 'date', 'timestamp']);

function fail(field: string, message: string): never {
  throw new ValidationError(`${field}: ${message}`, { field });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
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

function checkAllowedValue(field: string, v: unknown, type: ColumnType | undefined): void {
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') fail(field, `must be a string, number or boolean, got ${describe(v)}`);
  if (typeof v === 'number' && !Number.isFinite(v)) fail(field, 'must be a finite number');
  if (type === undefined) return;
  const want = type === 'integer' || type === 'double' ? 'number' : type === 'boolean' ? 'boolean' : 'string';
  if (typeof v !== want) fail(field, `must be a ${want} for a ${type} column, got ${describe(v)}`);
  if (type === 'integer' && !Number.isInteger(v)) fail(field, `must be an integer, got ${describe(v)}`);
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
  if (input.not_null !== undefined) {
    if (typeof input.not_null !== 'boolean') fail(`${field}.not_null`, `must be true or false, got ${describe(input.not_null)}`);
    rule.not_null = input.not_null;
  }
  if (input.range !== undefined) rule.range = parseRange(`${field}.range`, input.range, rule.type);
  if (input.allowed !== undefined) {
    const f = `${field}.allowed`;
    if (!Array.isArray(input.allowed) || input.allowed.length === 0) fail(f, 'must be a non-empty list of values');
    if (input.allowed.length > MAX_ALLOWED) fail(f, `may list at most ${MAX_ALLOWED} values`);
    input.allowed.forEach((v, i) => checkAllowedValue(`${f}.${i}`, v, rule.type));
    rule.allowed = [...input.allowed] as Array<string | number | boolean>;
  }
  if (input.semantic !== undefined) {
    if (!(SEMANTICS as readonly unknown[]).includes(input.semantic)) fail(`${field}.semantic`, `must be one of ${SEMANTICS.join(', ')}, got ${describe(input.semantic)}`);
    rule.semantic = input.semantic as Semantic;
  }
  return rule;
}

/**
 * Validate a rules document (already parsed from JSON); throws ValidationError naming the path,
 * e.g. `rules.columns.precipitation.range.min: min (600) is greater than max (500)`.
 * @example parseRules({ columns: { wind: { type: 'double', range: { min: 0 } } } })
 */
export function parseRules(input: unknown, field = 'rules'): RulesDocument {
  if (!isPlainObject(input)) fail(field, 'must be a JSON object like {"columns": {...}}');
  for (const key of Object.keys(input)) if (key !== 'columns') fail(`${field}.${key}`, `unknown key '${key}' (a rules document has only "columns")`);
  if (input.columns === undefined) return { columns: {} };
  if (!isPlainObject(input.columns)) fail(`${field}.columns`, 'must be an object keyed by column name');
  const columns: Record<string, ColumnRule> = {};
  for (const [name, rule] of Object.entries(input.columns)) {
    if (name.trim() === '' || name.length > 255) fail(`${field}.columns`, 'column names must be 1-255 characters');
    columns[name] = parseColumnRule(`${field}.columns.${name}`, rule);
  }
  return { columns };
}

/** Parse rules given as JSON text (a query parameter, a CLI file); bad JSON names `field`. */
export function parseRulesJson(text: string, field = 'rules'): RulesDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(field, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseRules(parsed, field);
}

/**
 * Check rules against the columns a file actually has and their resolved types (inferred, or
 * the dataset's existing schema): unknown columns, a rule type that contradicts the dataset's
 * schema, and range/allowed values of the wrong kind all throw ValidationError.
 */
export function checkRulesFit(
  rules: RulesDocument,
  columns: ReadonlyArray<{ name: string; type: ColumnType }>,
  options: { field?: string; fixedTypes?: boolean } = {},
): void {
  const field = options.field ?? 'rules';
  const byName = new Map(columns.map((c) => [c.name, c.type]));
  for (const [name, rule] of Object.entries(rules.columns)) {
    const f = `${field}.columns.${name}`;
    const type = byName.get(name);
    if (type === undefined) {
      const known = columns.map((c) => c.name).join(', ');
      fail(f, `column '${name}' is not in the file (its columns: ${known.length > 300 ? known.slice(0, 300) + '…' : known})`);
    }
    if (options.fixedTypes && rule.type !== undefined && rule.type !== type) {
      fail(`${f}.type`, `the dataset's schema has ${name} as ${type}, not ${rule.type}`);
    }
    if (rule.range) {
      if (!ORDERED.has(type)) fail(`${f}.range`, `a range needs an integer, double, date or timestamp column, and ${name} is ${type}`);
      for (const key of ['min', 'max'] as const) if (rule.range[key] !== undefined) checkBoundKind(`${f}.range.${key}`, rule.range[key]!, type);
    }
    rule.allowed?.forEach((v, i) => checkAllowedValue(`${f}.allowed.${i}`, v, type));
  }
}
