// Searching runs: the parsed filter clauses and order terms of MLflow's search language, and the
// query a store answers one page at a time (keyset pagination on the sort values).
import type { LifecycleStage, TrackedRun } from './tracking-mlflow.js';
import type { RunStatus } from './tracking.js';

export type Entity = 'metric' | 'param' | 'tag' | 'attribute';
export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

/** One `entity.key op value` clause, e.g. metrics.auc > 0.9 or params.algo IN ('gbdt', 'lr'). */
export interface Clause {
  entity: Entity;
  key: string;
  op: Operator;
  value: string | number | string[];
}

export interface OrderTerm {
  entity: Entity;
  key: string;
  ascending: boolean;
}

/**
 * Attributes of a run that filters and order terms may name, and the kind of value each holds.
 * `start_time` is the run's start, or its creation while it has not started.
 */
export const RUN_ATTRIBUTES = {
  run_id: 'string',
  run_name: 'string',
  status: 'string',
  user_id: 'string',
  lifecycle_stage: 'string',
  start_time: 'number',
  end_time: 'number',
  created: 'number',
} as const;

export type RunAttribute = keyof typeof RUN_ATTRIBUTES;

/** A run attribute clause or order term that names no known attribute. */
export const isRunAttribute = (key: string): key is RunAttribute => Object.hasOwn(RUN_ATTRIBUTES, key);

/** The sort values of the last run of a page, in the store's sort-key order. */
export type SortKey = Array<string | number>;

/**
 * One page of runs, e.g. experiment E's active runs with metrics.auc > 0.9, best auc first:
 * `{ projectId, experimentIds: [E], stages: ['active'], clauses: [...], order: [{ entity: 'metric', key: 'auc', ascending: false }], limit: 50 }`.
 * Runs are ordered by the terms (values first, then NaN for metrics, then runs lacking the value,
 * whatever the direction), then by start time (newest first) and id. A `status` clause compares
 * stored statuses ('running', …): the service maps MLflow's names (RUNNING, …) before asking.
 */
export interface RunSearchQuery {
  projectId: string;
  experimentIds: string[];
  stages: LifecycleStage[];
  clauses: Clause[];
  order: OrderTerm[];
  limit: number;
  /** Continue after the run with these sort values (the page's `next`). */
  after?: SortKey;
}

export interface RunSearchPage {
  runs: TrackedRun[];
  /** Sort values of the page's last run when more runs follow, else undefined. */
  next?: SortKey;
}

/** Keys seen in an experiment's runs, for choosing columns. */
export interface RunKeys {
  metrics: string[];
  params: string[];
  tags: string[];
}

/** MLflow's names of the stored run statuses. */
export const MLFLOW_STATUS: Record<RunStatus, string> = { queued: 'SCHEDULED', running: 'RUNNING', finished: 'FINISHED', failed: 'FAILED', killed: 'KILLED' };
