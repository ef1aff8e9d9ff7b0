// Hyper-parameter search: a grid or random search over a training spec, run as child runs of a
// parent run, and the trials of a search (for the trial-vs-parameter charts).
import { z } from 'zod';
import { EpochMs, ProjectParams } from './common.js';
import { endpoint } from './endpoint.js';
import { RunView, TrainingSpecBody } from './training.contract.js';

/**
 * One parameter's space: a list of values (grid; a uniform choice in random search) or one of
 * {uniform: [low, high]}, {log_uniform: [low, high]}, {int: [low, high]}, {choice: [...]}.
 * The service checks it and names the bad field (`body.search.params.<name>`).
 */
const ParamSpace = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);

export const SearchBody = z.object({
  method: z.enum(['grid', 'random']),
  params: z.record(z.string().min(1).max(100), ParamSpace),
  /** Random search: the number of trials (at most 200). */
  n_trials: z.number().int().min(1).optional(),
  /** Random search: seeds the draws (default 0). */
  seed: z.number().int().optional(),
  /** The validation metric choosing the best trial: accuracy, macro_f1, f1.<class> (classifiers); rmse, mae, r2, mape (regressions). */
  metric: z.string().min(1).max(200),
  /** Default: the metric's known direction. */
  direction: z.enum(['maximize', 'minimize']).optional(),
  /** The latest share of the training rows (by time) that trials are compared on (default 0.2). */
  validation_fraction: z.number().gt(0).lt(1).optional(),
  /** Trials fitted at once (default and at most: the worker's cores). */
  parallelism: z.number().int().min(1).max(256).optional(),
});

const ParamValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const TrialView = z.object({
  trial: z.number().int(),
  run_id: z.string(),
  params: z.record(z.string(), ParamValue),
  status: z.enum(['queued', 'running', 'finished', 'failed', 'killed']),
  /** The search metric on the validation rows. */
  value: z.number().nullable(),
  error: z.string().nullable(),
  updated_at: EpochMs,
});
export type TrialView = z.infer<typeof TrialView>;

export const SearchTrialsView = z.object({
  method: z.enum(['grid', 'random']),
  metric: z.string(),
  direction: z.enum(['maximize', 'minimize']),
  best_trial: z.number().int().nullable(),
  items: z.array(TrialView),
});
export type SearchTrialsView = z.infer<typeof SearchTrialsView>;

export const startSearch = endpoint({
  id: 'searches.create',
  method: 'POST',
  path: '/api/v1/projects/:project/searches',
  summary:
    'Search hyper-parameters in the background: a grid ({"method": "grid", "params": {"l2": [0.1, 1, 10]}}) or random draws ({"method": "random", "n_trials": 20, "params": {"learning_rate": {"log_uniform": [0.01, 0.3]}, "max_leaf_nodes": {"int": [8, 64]}}}), each trial a child run; the best by `metric` on the validation rows is the parent run’s model',
  tag: 'training',
  auth: { action: 'experiment.write' },
  status: 202,
  params: ProjectParams,
  body: TrainingSpecBody.extend({ search: SearchBody }),
  response: RunView,
});

export const listSearchTrials = endpoint({
  id: 'searches.trials',
  method: 'GET',
  path: '/api/v1/projects/:project/runs/:run/trials',
  summary: "A search's trials (params, status, validation metric) and the best one",
  tag: 'training',
  auth: { action: 'experiment.read' },
  params: ProjectParams.extend({ run: z.string().min(1).max(100) }),
  response: SearchTrialsView,
});
