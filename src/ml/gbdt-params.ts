// Hyper-parameters of the gradient-boosted trees, with scikit-learn's HistGradientBoosting names
// and defaults, and their validation (a bad value is a ValidationError naming the field).
import { ValidationError } from '../domain/errors.js';

export type GbdtObjective = 'binary' | 'multiclass' | 'regression';

/** What a caller may pass; every field is optional and defaults as in {@link GBDT_DEFAULTS}. */
export interface GbdtParamsInput {
  /** 'auto' (the default): 'binary' for two classes, 'multiclass' for more. Regression is asked for explicitly. */
  objective?: 'auto' | GbdtObjective;
  learning_rate?: number;
  /** Boosting rounds (one tree per round, or one per class and round for multiclass). */
  max_iter?: number;
  /** Leaves per tree; null = no limit (then max_depth or min_samples_leaf bound the tree). */
  max_leaf_nodes?: number | null;
  /** Edges from the root to the deepest leaf; null = no limit. */
  max_depth?: number | null;
  min_samples_leaf?: number;
  /** L2 penalty on leaf values: leaf = −G / (H + l2_regularization). */
  l2_regularization?: number;
  /** Bins for non-missing values per feature (2..255); missing values get a bin of their own. */
  max_bins?: number;
  /** Fraction of the training rows each round fits on (sampled without replacement). */
  subsample?: number;
  /** Fraction of the features each tree may split on. */
  colsample_bytree?: number;
  /** 'auto': on when there are more than 10,000 rows (as scikit-learn). */
  early_stopping?: 'auto' | boolean;
  validation_fraction?: number;
  n_iter_no_change?: number;
  /** Minimum improvement of the validation loss that counts as one. */
  tol?: number;
  /** Seeds the validation split, the binning sample and row/column subsampling. */
  seed?: number;
}

/** Fully resolved parameters, stored with the model. */
export interface GbdtParams {
  objective: 'auto' | GbdtObjective;
  learning_rate: number;
  max_iter: number;
  max_leaf_nodes: number | null;
  max_depth: number | null;
  min_samples_leaf: number;
  l2_regularization: number;
  max_bins: number;
  subsample: number;
  colsample_bytree: number;
  early_stopping: 'auto' | boolean;
  validation_fraction: number;
  n_iter_no_change: number;
  tol: number;
  seed: number;
}

export const GBDT_DEFAULTS: Readonly<GbdtParams> = Object.freeze({
  objective: 'auto',
  learning_rate: 0.1,
  max_iter: 100,
  max_leaf_nodes: 31,
  max_depth: null,
  min_samples_leaf: 20,
  l2_regularization: 0,
  max_bins: 255,
  subsample: 1,
  colsample_bytree: 1,
  early_stopping: 'auto',
  validation_fraction: 0.1,
  n_iter_no_change: 10,
  tol: 1e-7,
  seed: 0,
});

/** Rows above which early_stopping 'auto' turns on. */
export const EARLY_STOPPING_AUTO_ROWS = 10_000;

const NAMES = new Set(Object.keys(GBDT_DEFAULTS));

/**
 * Check parameters and fill in the defaults. `prefix` is put before each field name in errors
 * (e.g. 'body.params.' gives `body.params.learning_rate`).
 * @example resolveGbdtParams({ learning_rate: 0.05 }).max_leaf_nodes // 31
 * @example resolveGbdtParams({ max_bins: 300 }) // throws ValidationError, details.field 'max_bins'
 */
export function resolveGbdtParams(input: unknown = {}, prefix = ''): GbdtParams {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError('params must be an object', { field: prefix.replace(/\.$/, '') || 'params' });
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!NAMES.has(key)) throw new ValidationError(`unknown gbdt parameter '${key}' (known: ${[...NAMES].join(', ')})`, { field: `${prefix}${key}` });
  }
  const fail = (key: string, what: string): never => {
    throw new ValidationError(`${key} must be ${what}, got ${JSON.stringify(raw[key])}`, { field: `${prefix}${key}` });
  };
  const pick = <K extends keyof GbdtParams>(key: K): unknown => (raw[key] === undefined ? GBDT_DEFAULTS[key] : raw[key]);
  const num = (key: keyof GbdtParams, ok: (v: number) => boolean, what: string): number => {
    const v = pick(key);
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) fail(key, what);
    return v as number;
  };
  const int = (key: keyof GbdtParams, min: number, max: number): number =>
    num(key, (v) => Number.isInteger(v) && v >= min && v <= max, `an integer in [${min}, ${max}]`);
  const intOrNull = (key: keyof GbdtParams, min: number, max: number): number | null => (pick(key) === null ? null : int(key, min, max));

  const objective = pick('objective');
  if (objective !== 'auto' && objective !== 'binary' && objective !== 'multiclass' && objective !== 'regression') {
    fail('objective', "one of 'auto', 'binary', 'multiclass', 'regression'");
  }
  const earlyStopping = pick('early_stopping');
  if (earlyStopping !== 'auto' && earlyStopping !== true && earlyStopping !== false) fail('early_stopping', "'auto', true or false");
  return {
    objective: objective as GbdtParams['objective'],
    learning_rate: num('learning_rate', (v) => v > 0 && v <= 10, 'a number in (0, 10]'),
    max_iter: int('max_iter', 1, 100_000),
    max_leaf_nodes: intOrNull('max_leaf_nodes', 2, 65_536),
    max_depth: intOrNull('max_depth', 1, 64),
    min_samples_leaf: int('min_samples_leaf', 1, 1e9),
    l2_regularization: num('l2_regularization', (v) => v >= 0, 'a number ≥ 0'),
    max_bins: int('max_bins', 2, 255),
    subsample: num('subsample', (v) => v > 0 && v <= 1, 'a number in (0, 1]'),
    colsample_bytree: num('colsample_bytree', (v) => v > 0 && v <= 1, 'a number in (0, 1]'),
    early_stopping: earlyStopping as GbdtParams['early_stopping'],
    validation_fraction: num('validation_fraction', (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    n_iter_no_change: int('n_iter_no_change', 1, 100_000),
    tol: num('tol', (v) => v >= 0, 'a number ≥ 0'),
    seed: int('seed', -2_147_483_648, 4_294_967_295),
  };
}
