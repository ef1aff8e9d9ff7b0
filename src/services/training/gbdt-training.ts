// The gradient-boosted trees trainer of a run: its params resolved (a bad one is a 4xx naming
// `body.params.<name>`, checked by trainers.ts before anything is written), the fit, and what the
// run records of it (params, metrics with the validation-loss history, tags).
import type { MetricPoint } from '../../domain/tracking.js';
import { fitGbdt, resolveGbdtParams, type Columns, type FeatureSpec, type GbdtModel, type GbdtParams } from '../../ml/index.js';
import type { TrainingSpec } from './training-spec.js';

/** The resolved gbdt params of a spec (the run's seed unless params.seed is given). */
export function gbdtParams(spec: Pick<TrainingSpec, 'params' | 'seed'>): GbdtParams {
  const params = { ...((spec.params ?? {}) as Record<string, unknown>) };
  if (params.seed === undefined && spec.seed !== undefined) params.seed = spec.seed;
  return resolveGbdtParams(params, 'body.params.');
}

/** Fit the trees of a run, reporting progress per round between `from` and `to`. */
export function fitGbdtForRun(
  spec: Pick<TrainingSpec, 'params' | 'seed'> & { features: FeatureSpec[] },
  data: { columns: Columns; target: string[] | Float64Array },
  progress: (fraction: number, message?: string) => void,
  from = 0.2,
  to = 0.7,
  threads?: number,
): GbdtModel {
  return fitGbdt({ features: spec.features, columns: data.columns, target: data.target }, gbdtParams(spec), {
    threads,
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
