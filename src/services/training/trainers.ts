// The built-in trainers a run (or a search trial) can use, by name: which task each solves, how its
// params are checked (a bad or unknown one is a ValidationError naming `<prefix><name>`), the fit,
// the holdout metrics, the ONNX export, and what a run records of the model. Pure: the search's
// worker threads fit trials with it too.
import { ValidationError } from '../../domain/errors.js';
import type { MetricPoint } from '../../domain/tracking.js';
import {
  exportGbdtOnnx,
  exportLinearOnnx,
  exportOnnx,
  fitLinearRegression,
  fitLogisticRegression,
  GBDT_DEFAULTS,
  GbdtModel,
  LinearModel,
  LogisticModel,
  type Columns,
  type FeatureSpec,
} from '../../ml/index.js';
import { fitGbdtForRun, gbdtParams, gbdtRunMetrics, gbdtRunParams, gbdtRunTags } from './gbdt-training.js';
import { holdoutMetrics } from './holdout-metrics.js';
import { regressionMetrics } from './regression-evaluation.js';

export const ALGORITHMS = ['logistic_regression', 'linear_regression', 'gbdt'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
export type TrainerTask = 'classification' | 'regression';
export type TrainedModel = LogisticModel | LinearModel | GbdtModel;

/** Rows to fit or evaluate on: class labels for classification, numbers for regression. */
export interface TrainerData {
  columns: Columns;
  target: string[] | Float64Array;
  rows: number;
}

/** What fitting needs to know of the run: the features, the params and the seed. */
export interface TrainerSpec {
  algorithm?: string;
  features: FeatureSpec[];
  params?: Record<string, unknown>;
  seed?: number;
}

/** Params each linear trainer takes, with their checks. */
const LINEAR_CHECKS: Record<string, (v: unknown) => string | null> = {
  l2: (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'a number > 0'),
  max_iter: (v) => (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100_000 ? null : 'an integer in [1, 100000]'),
  tol: (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'a number > 0'),
};
const PARAM_NAMES: Record<Exclude<Algorithm, 'gbdt'>, Record<string, (v: unknown) => string | null>> = {
  logistic_regression: LINEAR_CHECKS,
  linear_regression: { ...LINEAR_CHECKS, solver: (v) => (v === 'auto' || v === 'cholesky' || v === 'lbfgs' ? null : "'auto', 'cholesky' or 'lbfgs'") },
};

/** The algorithm of a spec (logistic_regression by default); a ValidationError naming `<prefix>algorithm` otherwise. */
export function algorithmOf(spec: Pick<TrainerSpec, 'algorithm'>, prefix = 'body.'): Algorithm {
  const algorithm = spec.algorithm ?? 'logistic_regression';
  if (!(ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new ValidationError(`algorithm must be one of ${ALGORITHMS.join(', ')}, got '${String(algorithm)}'`, { field: `${prefix}algorithm` });
  }
  return algorithm as Algorithm;
}

/** Classification, or regression for linear_regression and gbdt with objective 'regression'. */
export function taskOf(spec: Pick<TrainerSpec, 'algorithm' | 'params'>): TrainerTask {
  const algorithm = spec.algorithm ?? 'logistic_regression';
  if (algorithm === 'linear_regression') return 'regression';
  if (algorithm === 'gbdt' && spec.params?.objective === 'regression') return 'regression';
  return 'classification';
}

/**
 * Check a spec's algorithm and params before anything is written; `prefix` names the params'
 * place in the request (errors say `body.params.max_bins`, or `body.search.params.l2` for a trial).
 * @example checkTrainerParams({ algorithm: 'gbdt', params: { max_bins: 300 }, features })
 *   // ValidationError "max_bins must be an integer in [2, 255], got 300", details.field 'body.params.max_bins'
 */
export function checkTrainerParams(spec: Pick<TrainerSpec, 'algorithm' | 'params' | 'seed'>, prefix = 'body.params.'): void {
  const algorithm = algorithmOf(spec);
  const params = (spec.params ?? {}) as Record<string, unknown>;
  if (algorithm === 'gbdt') {
    resolveGbdtForSpec(spec, prefix);
    return;
  }
  const checks = PARAM_NAMES[algorithm];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const check = checks[key];
    if (!check && key in GBDT_DEFAULTS) throw new ValidationError(`'${key}' is a gbdt parameter; set algorithm 'gbdt' to use it`, { field: `${prefix}${key}` });
    if (!check) {
      throw new ValidationError(`unknown ${algorithm} parameter '${key}' (known: ${Object.keys(checks).join(', ')})`, { field: `${prefix}${key}` });
    }
    const want = check(value);
    if (want) throw new ValidationError(`${key} must be ${want}, got ${JSON.stringify(value)}`, { field: `${prefix}${key}` });
  }
}

function resolveGbdtForSpec(spec: Pick<TrainerSpec, 'params' | 'seed'>, prefix: string) {
  try {
    return gbdtParams(spec as never);
  } catch (e) {
    if (e instanceof ValidationError && typeof e.details?.field === 'string') {
      throw new ValidationError(e.message, { ...e.details, field: String(e.details.field).replace(/^body\.params\./, prefix) });
    }
    throw e;
  }
}

/**
 * Fit the trainer of `spec` on `data`, reporting gbdt's rounds as progress between 0.2 and 0.7.
 * `threads` caps gbdt's histogram threads (a search running trials side by side passes 1).
 */
export function fitTrainer(spec: TrainerSpec, data: TrainerData, progress: (fraction: number, message?: string) => void = () => undefined, options: { threads?: number } = {}): TrainedModel {
  const algorithm = algorithmOf(spec);
  const p = (spec.params ?? {}) as Record<string, number | string | undefined>;
  if (algorithm === 'gbdt') return fitGbdtForRun({ ...spec, params: spec.params as never }, data, progress, 0.2, 0.7, options.threads);
  if (algorithm === 'linear_regression') {
    return fitLinearRegression(
      { features: spec.features, columns: data.columns, target: data.target as Float64Array },
      { l2: (p.l2 as number) ?? 1, maxIter: (p.max_iter as number) ?? 1000, tol: p.tol as number | undefined, solver: (p.solver as 'auto') ?? 'auto' },
    );
  }
  return fitLogisticRegression(
    { features: spec.features, columns: data.columns, target: data.target as string[] },
    { l2: (p.l2 as number) ?? 1, maxIter: (p.max_iter as number) ?? 1000, tol: (p.tol as number) ?? 1e-6 },
  );
}

/**
 * The metrics of `model` on labelled rows: accuracy, macro_f1 and f1.<class> for a classifier;
 * rmse, mae, r2 and mape for a regression.
 */
export function evaluateModel(model: TrainedModel, data: TrainerData): Record<string, number> {
  if (data.rows === 0) return {};
  if (model.classes === null) {
    const predicted = (model as LinearModel | GbdtModel).predictValues(data.columns);
    return regressionMetrics(data.target as Float64Array, predicted);
  }
  return holdoutMetrics(data.target as string[], (model as LogisticModel | GbdtModel).predict(data.columns));
}

export function exportModelOnnx(model: TrainedModel): Uint8Array {
  if (model.kind === 'gbdt') return exportGbdtOnnx(model);
  if (model.kind === 'linear_regression') return exportLinearOnnx(model);
  return exportOnnx(model);
}

/** Rebuild a model from its stored JSON (any built-in trainer's `toJSON`). */
export function modelFromJson(json: unknown): TrainedModel {
  const format = (json as { format?: string } | null)?.format;
  if (format === 'flywheel.gbdt') return GbdtModel.fromJSON(json);
  if (format === 'flywheel.linear_regression') return LinearModel.fromJSON(json);
  return LogisticModel.fromJSON(json);
}

/** The params a run logs of its model (every resolved hyper-parameter, as text). */
export function modelRunParams(model: TrainedModel, spec: Pick<TrainerSpec, 'params'>): Record<string, string> {
  if (model.kind === 'gbdt') return gbdtRunParams(model);
  const p = spec.params ?? {};
  if (model.kind === 'linear_regression') {
    return { model: 'linear_regression', l2: String(model.training.l2), solver: model.training.solver, ...(p.max_iter !== undefined ? { max_iter: String(p.max_iter) } : {}) };
  }
  return { model: 'logistic_regression', l2: String(p.l2 ?? 1), max_iter: String(p.max_iter ?? 1000), ...(p.tol !== undefined ? { tol: String(p.tol) } : {}) };
}

/** Training metrics a run logs beside its holdout metrics (the training loss, gbdt's validation-loss history). */
export function modelRunMetrics(model: TrainedModel, timestamp: number): MetricPoint[] {
  if (model.kind === 'gbdt') return gbdtRunMetrics(model, timestamp);
  if (model.kind === 'linear_regression') return [{ key: 'train_mse', value: model.training.trainMse, step: 0, timestamp }];
  return [{ key: 'train_loss', value: model.training.meanLoss, step: 0, timestamp }];
}

export function modelRunTags(model: TrainedModel): Record<string, string> {
  if (model.kind === 'gbdt') return gbdtRunTags(model);
  return { 'flywheel.converged': String(model.training.converged), 'flywheel.iterations': String(model.training.iterations) };
}
