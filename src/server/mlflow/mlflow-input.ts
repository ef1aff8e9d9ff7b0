// Reading MLflow request messages (JSON bodies, or query strings for GETs) as proto3 JSON allows:
// int64 as numbers or numeric strings, doubles as numbers or "NaN"/"Infinity"/"-Infinity".
import { ValidationError } from '../../domain/errors.js';

export type Message = Record<string, unknown>;

const missing = (field: string) => new ValidationError(`Missing value for required parameter '${field}'.`, { field });
const invalid = (field: string, value: unknown, expected: string) =>
  new ValidationError(`Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: expected ${expected}.`, { field });

export function message(value: unknown): Message {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('the request body must be a JSON object', { field: 'body' });
  return value as Message;
}

export function optString(m: Message, field: string): string | undefined {
  const v = m[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(field, v, 'a string');
  return v;
}

export function reqString(m: Message, field: string): string {
  const v = optString(m, field);
  if (v === undefined || v === '') throw missing(field);
  return v;
}

/** run_id, falling back to the deprecated run_uuid. */
export function runIdOf(m: Message): string {
  const id = optString(m, 'run_id') || optString(m, 'run_uuid');
  if (!id) throw missing('run_id');
  return id;
}

/** `path` names the field in messages when it sits in a repeated message (metrics[3].step). */
export function optInt64(m: Message, field: string, path = field): number | undefined {
  const v = m[field];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw invalid(path, v, 'an integer');
  return n;
}

export function reqInt64(m: Message, field: string, path = field): number {
  const n = optInt64(m, field, path);
  if (n === undefined) throw missing(path);
  return n;
}

/** A double: a number, a numeric string, or proto3 JSON's "NaN", "Infinity" and "-Infinity". */
export function reqDouble(m: Message, field: string, path = field): number {
  const v = m[field];
  if (v === undefined || v === null) throw missing(path);
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw invalid(path, v, 'a number');
}

export interface MetricInput {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/**
 * LogBatch's repeated Metric messages. Plain numbers take a short path; anything else (numeric
 * strings, "NaN", a missing or bad field) the general one, whose errors name `metrics[i].field`.
 */
export function metricPoints(m: Message): MetricInput[] {
  const list = repeated(m, 'metrics');
  const out: MetricInput[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const mm = message(list[i]);
    const { key, value, timestamp, step } = mm;
    if (typeof key === 'string' && key !== '' && typeof value === 'number' && Number.isSafeInteger(timestamp) && (step === undefined || step === null || Number.isSafeInteger(step))) {
      out[i] = { key, value, timestamp: timestamp as number, step: (step as number | null | undefined) ?? 0 };
      continue;
    }
    const at = (f: string) => `metrics[${i}].${f}`;
    const k = optString(mm, 'key');
    if (!k) throw missing(at('key'));
    out[i] = { key: k, value: reqDouble(mm, 'value', at('value')), timestamp: reqInt64(mm, 'timestamp', at('timestamp')), step: optInt64(mm, 'step', at('step')) ?? 0 };
  }
  return out;
}

/** A repeated field; a query string gives one value or several. */
export function repeated(m: Message, field: string): unknown[] {
  const v = m[field];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function stringList(m: Message, field: string): string[] {
  return repeated(m, field).map((v, i) => {
    if (typeof v !== 'string') throw invalid(`${field}[${i}]`, v, 'a string');
    return v;
  });
}

/** Repeated {key, value} messages (tags, params). */
export function keyValues(m: Message, field: string): Array<{ key: string; value: string }> {
  return repeated(m, field).map((v, i) => {
    const kv = message(v);
    const key = optString(kv, 'key');
    if (!key) throw missing(`${field}[${i}].key`);
    const value = kv.value === undefined || kv.value === null ? '' : kv.value;
    if (typeof value !== 'string') throw invalid(`${field}[${i}].value`, value, 'a string');
    return { key, value };
  });
}

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export function viewType(m: Message, field: string): ViewType {
  const v = m[field] ?? 'ACTIVE_ONLY';
  const byNumber: Record<string, ViewType> = { '1': 'ACTIVE_ONLY', '2': 'DELETED_ONLY', '3': 'ALL' };
  const t = typeof v === 'number' || /^\d$/.test(String(v)) ? byNumber[String(v)] : String(v);
  if (t !== 'ACTIVE_ONLY' && t !== 'DELETED_ONLY' && t !== 'ALL') throw invalid(field, v, 'ACTIVE_ONLY, DELETED_ONLY or ALL');
  return t;
}
