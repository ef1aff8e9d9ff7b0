// The gradient-boosted trees trainer of a run: its params checked when the run is asked for (a bad
// one is a 4xx naming `body.params.<name>`, and nothing is written), the fit, and what the run
// records of it (params, metrics with the validation-loss history, tags).
import { ValidationError } from '../../domain/errors.js';
import type { MetricPoint } from '../../domain/tracking.js';
import { fitGbdt, GBDT_DEFAULTS, resolveGbdtParams, type Columns, type FeatureSpec, type GbdtModel, type GbdtParams } from '../../ml/index.js';
import type { TrainingSpec } from './training-spec.js';

export const ALGORITHMS = ['logistic_regression', 'gbdt'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Params only logistic regression takes. */
const LOGISTIC_PARAMS = new Set(['l2', 'max_iter', 'tol']);

/**
 * Check a spec's algorithm and params before anything is written.
 * @example checkAlgorithmParams({ ...spec, algorithm: 'gbdt', params: { max_bins: 300 } })
 *   // ValidationError "max_bins must be an integer in [2, 255], got 300", details.field 'body.params.max_bins'
 */
export function checkAlgorithmParams(spec: Pick<TrainingSpec, 'algorithm' | 'params' | 'seed'>): void {
  const algorithm = spec.algorithm ?? 'logistic_regression';
  if (!(ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new ValidationError(`algorithm must be one of ${ALGORITHMS.join(', ')}, got '${String(algorithm)}'`, { field: 'body.algorithm' });
  }
  const params = (spec.params ?? {}) as Record<string, unknown>;
  if (algorithm === 'logistic_regression') {
    for (const key of Object.keys(params)) {
      if (!LOGISTIC_PARAMS.has(key) && key in GBDT_DEFAULTS) {
        throw new ValidationError(`'${key}' is a gbdt parameter; set algorithm 'gbdt' to use it`, { field: `body.params.${key}` });
      }
    }
    return;
  }
  const p = gbdtParams(spec);
  if (p.objective === 'regression') {
    throw new ValidationError("training runs fit classifiers (their holdout metrics and KPI gate are accuracy and F1); objective 'regression' is not available here", { field: 'body.params.objective' });
  }
}

/** The resolved gbdt params of a spec (the run's seed unless params.seed is given). */
export function gbdtParams(spec: Pick<TrainingSpec, 'params' | 'seed'>): GbdtParams {
  const params = { ...((spec.params ?? {}) as Record<string, unknown>) };
  if (params.seed === undefined && spec.seed !== undefined) params.seed = spec.seed;
  return resolveGbdtParams(params, 'body.params.');
}

/** Fit the trees of a run, reporting progress per round between `from` and `to`. */
export function fitGbdtForRun(
  spec: Pick<TrainingSpec, 'params' | 'seed'> & { features: FeatureSpec[] },
  data: { columns: Columns; target: string[] },
  progress: (fraction: number, message?: string) => void,
  from = 0.2,
  to = 0.7,
): GbdtModel {
  return fitGbdt({ features: spec.features, columns: data.columns, target: data.target }, gbdtParams(spec), {
    onIteration: (done, max) => {
      if (done === max || done % 10 === 0) progress(from + ((to - from) * done) / max, `boosting round ${done}/${max}`);
    },
  });
}

/** The params a gbdt run logs (every resolved hyper-parameter, as text). */
export function gbdtRunParams(model: GbdtModel): Record<string, string> {
  const out: Record<string, string> = { model: 'gbdt', objective: model.objective };
  for (const [k, v] of Object.entries(model.params)) if (k !== 'objective') out[k] = String(v);
  return out;
}

/** Training metrics of a gbdt run: the final training loss and the validation loss of each round. */
export function gbdtRunMetrics(model: GbdtModel, timestamp: number): MetricPoint[] {
  const points: MetricPoint[] = [{ key: 'train_loss', value: model.training.train_loss, step: 0, timestamp }];
  model.training.validation_loss?.forEach((value, step) => points.push({ key: 'validation_loss', value, step, timestamp }));
  return points;
}

export function gbdtRunTags(model: GbdtModel): Record<string, string> {
  return {
    'flywheel.iterations': String(model.training.iterations),
    'flywheel.early_stopped': String(model.training.early_stopped),
    'flywheel.trees': String(model.trees.length),
  };
}
