// Hyper-parameter search: a grid (lists of values per parameter) or random draws (distributions
// per parameter) over a training spec, each combination a trial run that is a child of the
// search's parent run; the best trial is chosen by a validation metric in its direction.
import type { RunStatus } from './tracking.js';

export type SearchMethod = 'grid' | 'random';
export type SearchDirection = 'maximize' | 'minimize';

/** A scalar a parameter can take. */
export type ParamValue = number | string | boolean | null;

/**
 * What one parameter ranges over: a list of values (grid; a uniform choice in random search), or
 * in random search one distribution: `uniform` / `log_uniform` over [low, high], `int` over the
 * integers low..high (inclusive), `choice` among values.
 */
export type ParamSpace =
  | ParamValue[]
  | { uniform: [number, number] }
  | { log_uniform: [number, number] }
  | { int: [number, number] }
  | { choice: ParamValue[] };

export interface SearchSpec {
  method: SearchMethod;
  params: Record<string, ParamSpace>;
  /** Random search: how many trials to draw. */
  n_trials?: number;
  /** Random search: seeds the draws (the same seed draws the same trials). Default 0. */
  seed?: number;
  /** The validation metric that chooses the best trial (e.g. accuracy, macro_f1, rmse). */
  metric: string;
  /** Default: the metric's known direction (higher for scores, lower for errors). */
  direction?: SearchDirection;
  /** The latest share of the training rows (by time) on which trials are compared. Default 0.2. */
  validation_fraction?: number;
  /** Trials fitted at once. Default: the machine's cores. */
  parallelism?: number;
}

/** The most trials one search may have. */
export const MAX_SEARCH_TRIALS = 200;

/** One trial of a search: its child run, its params and how it went. */
export interface SearchTrial {
  parent_run_id: string;
  /** 0-based position in the search. */
  trial: number;
  run_id: string;
  project_id: string;
  params: Record<string, ParamValue>;
  status: RunStatus;
  /** The search metric on the validation rows; null until measured. */
  value: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}
