// MLflow's limits and checks on what one request may log, with MLflow's messages
// (mlflow/utils/validation.py): batch sizes, key characters and paths, key and value lengths,
// metric timestamps, repeated param keys, and how NaN and ±Infinity are kept.
import { ValidationError } from '../../domain/errors.js';

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_PER_BATCH = 100;
export const MAX_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;
export const MAX_RESULTS_LIMIT = 50000;
/** log-batch bodies above this many bytes are refused, as MLflow's server does. */
export const MAX_BATCH_LOG_REQUEST_SIZE = 1_000_000;

export interface BatchCounts {
  metrics: number;
  params: number;
  tags: number;
}

/** Refuse a log-batch over MLflow's limits, naming the limit. */
export function checkBatchLimits(n: BatchCounts): void {
  const over = (what: string, count: number, max: number) => {
    throw new ValidationError(`A batch logging request can contain at most ${max} ${what}. Got ${count} ${what}. Please split up ${what} across multiple requests and try again.`, { field: what });
  };
  if (n.metrics > MAX_METRICS_PER_BATCH) over('metrics', n.metrics, MAX_METRICS_PER_BATCH);
  if (n.params > MAX_PARAMS_PER_BATCH) over('params', n.params, MAX_PARAMS_PER_BATCH);
  if (n.tags > MAX_TAGS_PER_BATCH) over('tags', n.tags, MAX_TAGS_PER_BATCH);
  const total = n.metrics + n.params + n.tags;
  if (total > MAX_ENTITIES_PER_BATCH) over('metrics, params, and tags', total, MAX_ENTITIES_PER_BATCH);
}

export function checkBatchRequestSize(bytes: number): void {
  if (bytes > MAX_BATCH_LOG_REQUEST_SIZE) {
    throw new ValidationError(`Batched logging API requests must be at most ${MAX_BATCH_LOG_REQUEST_SIZE} bytes, got a request of size ${bytes}.`, { field: 'body' });
  }
}

/** Python's posixpath.normpath, which MLflow uses to refuse names that would resolve to others. */
export function posixNormpath(p: string): string {
  if (p === '') return '.';
  const lead = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const parts: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c !== '..' || (lead === 0 && parts.length === 0) || parts.at(-1) === '..') parts.push(c);
    else if (parts.length > 0) parts.pop();
  }
  const out = '/'.repeat(lead) + parts.join('/');
  return out || '.';
}

const NAME = /^[\p{L}\p{N}_/.\- :]*$/u;
const WHAT = { metric: ['metric name', 'Metric name'], param: ['parameter name', 'Param key'], tag: ['tag name', 'Tag key'] } as const;

/** A metric, param or tag key as MLflow accepts it (characters, no path tricks, at most 250 characters). */
export function checkKey(kind: 'metric' | 'param' | 'tag', key: string): void {
  const [name, lengthName] = WHAT[kind];
  if (!key) throw new ValidationError(`${lengthName} must be a non-empty string. A key name must be provided.`, { field: 'key' });
  if (!NAME.test(key)) {
    throw new ValidationError(`Invalid ${name}: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`, { field: 'key' });
  }
  const norm = posixNormpath(key);
  if (norm !== key || norm === '.' || norm.startsWith('..') || norm.startsWith('/')) {
    throw new ValidationError(
      `Invalid ${name}: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'`,
      { field: 'key' },
    );
  }
  checkLength(lengthName, key, MAX_KEY_LENGTH, 'key');
}

export function checkValue(kind: 'param' | 'tag', value: string): void {
  if (kind === 'param') checkLength('Param value', value, MAX_PARAM_VALUE_LENGTH, 'value');
  else checkLength('Tag value', value, MAX_TAG_VALUE_LENGTH, 'value');
}

function checkLength(what: string, value: string, limit: number, field: string): void {
  if (value.length > limit) throw new ValidationError(`${what} '${value.slice(0, 250)}' had length ${value.length}, which exceeded length limit of ${limit}`, { field });
}

/** MLflow refuses a batch naming a param key twice, even with the same value. */
export function checkParamKeysUnique(keys: string[]): void {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const k of keys) {
    if (seen.has(k)) dupes.push(k);
    seen.add(k);
  }
  if (dupes.length > 0) {
    throw new ValidationError(`Duplicate parameter keys have been submitted: [${dupes.map((d) => `'${d}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`, {
      field: 'params',
    });
  }
}

/** Python's str() of a float, for messages: nan, inf, 0.5, 1.0. */
const pyFloat = (v: number) => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : Number.isInteger(v) ? v.toFixed(1) : String(v));

/** A metric's timestamp must not be negative (MLflow's message). */
export function checkMetricPoint(m: { key: string; value: number; timestamp: number }): void {
  if (m.timestamp < 0) {
    throw new ValidationError(`Got invalid timestamp ${m.timestamp} for metric '${m.key}' (value=${pyFloat(m.value)}). Timestamp must be a nonnegative long (64-bit integer) `, { field: 'timestamp' });
  }
}

/**
 * The value MLflow's SQL store keeps: ±Infinity become ±1.7976931348623157e308 (the largest
 * double; SQL has no infinities); NaN stays NaN (kept as a flag) and finite values as they are.
 */
export function storedMetricValue(v: number): number {
  if (v === Infinity) return Number.MAX_VALUE;
  if (v === -Infinity) return -Number.MAX_VALUE;
  return v;
}

export function checkMaxResults(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESULTS_LIMIT) {
    throw new ValidationError(`max_results must be between 1 and ${MAX_RESULTS_LIMIT} (got ${n})`, { field: 'max_results' });
  }
}
