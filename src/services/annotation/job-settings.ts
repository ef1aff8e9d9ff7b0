// A labelling job's queue and automation settings: their defaults, and the checks that name the
// field at fault (lease time, the model reference, auto-labelling threshold and spot-check share).
import type { AutoLabelSettings, JobModelRef, LabellingJob } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';
import { NAME_PATTERN } from '../../domain/names.js';

/** A task handed out stays leased to its annotator this long unless the job says otherwise. */
export const DEFAULT_LEASE_SECONDS = 600;
export const MIN_LEASE_SECONDS = 10;
export const MAX_LEASE_SECONDS = 7 * 24 * 3600;
export const DEFAULT_SPOT_CHECK_SHARE = 0.1;
export const DEFAULT_SEED = 42;

export const leaseSecondsOf = (job: Pick<LabellingJob, 'lease_seconds'>): number => job.lease_seconds ?? DEFAULT_LEASE_SECONDS;
export const showsSuggestions = (job: Pick<LabellingJob, 'show_suggestions'>): boolean => job.show_suggestions ?? true;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkLeaseSeconds(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_LEASE_SECONDS || v > MAX_LEASE_SECONDS) {
    throw new ValidationError(`${field} must be a whole number of seconds from ${MIN_LEASE_SECONDS} to ${MAX_LEASE_SECONDS}`, { field });
  }
  return v;
}

/** A share or threshold in [0, 1]. */
export function checkUnit(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new ValidationError(`${field} must be a number from 0 to 1`, { field });
  return v;
}

/**
 * `{ model, version? | alias? }` as the API takes it: a registry model by name with a fixed
 * version, or an alias (default 'champion') followed when pre-labels are computed.
 * @example checkModelRef({ model: 'weather', alias: 'champion' }, 'body.model') // { model: 'weather', version: null, alias: 'champion' }
 */
export function checkModelRef(v: unknown, field: string): JobModelRef {
  if (!isObject(v)) throw new ValidationError(`${field} must be an object like { "model": "weather", "alias": "champion" }`, { field });
  if (typeof v.model !== 'string' || !NAME_PATTERN.test(v.model)) throw new ValidationError(`${field}.model must be the name of a registered model`, { field: `${field}.model` });
  const version = v.version ?? null;
  const alias = v.alias ?? null;
  if (version !== null && (typeof version !== 'number' || !Number.isInteger(version) || version < 1)) {
    throw new ValidationError(`${field}.version must be a version number (1, 2, …)`, { field: `${field}.version` });
  }
  if (alias !== null && (typeof alias !== 'string' || !NAME_PATTERN.test(alias))) throw new ValidationError(`${field}.alias must be an alias name`, { field: `${field}.alias` });
  if (version !== null && alias !== null) throw new ValidationError(`${field} names a version and an alias: give one of the two`, { field: `${field}.version` });
  return { model: v.model, version: version as number | null, alias: version === null ? ((alias as string | null) ?? 'champion') : null };
}

export function checkAutoLabel(v: unknown, field: string): AutoLabelSettings {
  if (!isObject(v)) throw new ValidationError(`${field} must be an object like { "threshold": 0.95, "spot_check_share": 0.1 }`, { field });
  const threshold = checkUnit(v.threshold, `${field}.threshold`);
  const share = v.spot_check_share === undefined ? DEFAULT_SPOT_CHECK_SHARE : checkUnit(v.spot_check_share, `${field}.spot_check_share`);
  const seed = v.seed ?? DEFAULT_SEED;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) {
    throw new ValidationError(`${field}.seed must be an integer from 0 to 4294967295`, { field: `${field}.seed` });
  }
  return { threshold, spot_check_share: share, seed };
}

export function checkShowSuggestions(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new ValidationError(`${field} must be true or false`, { field });
  return v;
}
