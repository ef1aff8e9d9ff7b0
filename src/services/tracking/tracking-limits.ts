// MLflow's limits on what one request may log, and on keys and values (mlflow/utils/validation.py).
import { ValidationError } from '../../domain/errors.js';

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_PER_BATCH = 100;
export const MAX_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;
export const MAX_RESULTS_LIMIT = 50000;

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

export function checkKey(kind: string, key: string): void {
  if (!key) throw new ValidationError(`${kind} key must be a non-empty string`, { field: 'key' });
  if (key.length > MAX_KEY_LENGTH) throw new ValidationError(`${kind} key '${key.slice(0, 40)}…' is longer than ${MAX_KEY_LENGTH} characters`, { field: 'key' });
  if (!/^[\w\-./ :]+$/.test(key) || key.split('/').includes('..') || key.startsWith('/')) {
    throw new ValidationError(`Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`, { field: 'key' });
  }
}

export function checkValue(kind: 'param' | 'tag', key: string, value: string): void {
  const max = kind === 'param' ? MAX_PARAM_VALUE_LENGTH : MAX_TAG_VALUE_LENGTH;
  if (value.length > max) throw new ValidationError(`${kind} '${key}' has a value of ${value.length} characters; the limit is ${max}`, { field: 'value' });
}

export function checkMaxResults(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESULTS_LIMIT) {
    throw new ValidationError(`max_results must be between 1 and ${MAX_RESULTS_LIMIT} (got ${n})`, { field: 'max_results' });
  }
}
