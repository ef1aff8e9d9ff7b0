// Multinomial (softmax) logistic regression with L2, trained by our own L-BFGS on the design
// matrix of its fitted preprocessing; predicts class probabilities and round-trips through JSON.
import { ValidationError } from '../domain/errors.js';
import { compareCodePoints } from '../stats/order.js';
import { validateFeatures, type Columns, type FeatureSpec } from './feature-spec.js';
import { binaryLogisticObjective } from './binary-logistic-objective.js';
import { minimizeLbfgs, type LbfgsResult, type LbfgsStop } from './lbfgs.js';
import { fitPreprocessor, Preprocessor, type PreprocessorState } from './preprocessor.js';
import { softmaxObjective } from './softmax-objective.js';
import { isFiniteNumber, openModelJson, preprocessorFromJson } from './model-json.js';

/** Training data: feature columns by name and one target label per row. */
export interface TrainingTable {
  features: readonly FeatureSpec[];
  columns: Columns;
  /** Class label of each row; a missing label (null, undefined, '') is a ValidationError. */
  target: ArrayLike<string | null | undefined>;
}

export interface LogisticRegressionOptions {
  /** L2 strength λ of the objective below (sklearn's C = 1/λ). Default 1. */
  l2?: number;
  /** Stop when max |∇(f/N)| ≤ tol, the gradient of the per-row objective. Default 1e-6. */
  tol?: number;
  /** L-BFGS iteration cap. Default 1000. */
  maxIter?: number;
  /** L-BFGS correction pairs. Default 10. */
  memory?: number;
  /**
   * Also stop when the objective's relative reduction in a step is ≤ ftol. Default 64·ε
   * (scipy's L-BFGS-B, which scikit-learn's lbfgs uses, defaults to 1e7·ε ≈ 2.2e-9).
   */
  ftol?: number;
}

/** How the fit went. */
export interface LogisticTraining {
  rows: number;
  l2: number;
  tol: number;
  maxIter: number;
  iterations: number;
  evaluations: number;
  /** True when a tolerance was met; false when max_iter was reached or the line search failed. */
  converged: boolean;
  reason: LbfgsStop;
  /** Final objective f divided by the number of rows. */
  meanLoss: number;
  /** max |∇(f/N)| at the solution. */
  gradientNorm: number;
}

/** Probabilities of every row, row-major N × C in the order of `classes`, and the arg-max label. */
export interface ProbabilityPrediction {
  classes: string[];
  probabilities: Float64Array;
  labels: string[];
}

/** The stored form (`toJSON`), plain JSON. */
export interface LogisticModelJson {
  format: 'flywheel.logistic_regression';
  version: 1;
  features: FeatureSpec[];
  classes: string[];
  preprocessing: PreprocessorState;
  /** Names of the design columns the coefficients refer to. */
  designColumns: string[];
  /** C rows of D coefficients. */
  coefficients: number[][];
  intercepts: number[];
  training: LogisticTraining;
}

/** A fitted model. Build it with {@link fitLogisticRegression} or {@link LogisticModel.fromJSON}. */
export class LogisticModel {
  readonly kind = 'logistic_regression' as const;
  readonly features: readonly FeatureSpec[];
  readonly classes: readonly string[];
  readonly preprocessor: Preprocessor;
  /** Row-major C × D. */
  readonly coefficients: Float64Array;
  readonly intercepts: Float64Array;
  readonly training: LogisticTraining;

  constructor(args: {
    preprocessor: Preprocessor;
    classes: readonly string[];
    coefficients: Float64Array;
    intercepts: Float64Array;
    training: LogisticTraining;
  }) {
    const C = args.classes.length;
    const D = args.preprocessor.width;
    if (C < 2) throw new ValidationError('a classifier needs at least two classes');
    if (new Set(args.classes).size !== C) throw new ValidationError('class labels must be distinct');
    if (args.coefficients.length !== C * D || args.intercepts.length !== C) {
      throw new ValidationError(`expected ${C} × ${D} coefficients and ${C} intercepts`);
    }
    this.preprocessor = args.preprocessor;
    this.features = args.preprocessor.features;
    this.classes = [...args.classes];
    this.coefficients = args.coefficients;
    this.intercepts = args.intercepts;
    this.training = args.training;
  }

  /**
   * Class probabilities p_ik = softmax_k(b_k + W_k · x_i) of raw feature columns, preprocessed
   * as in training; the label is the most probable class (the first one on an exact tie).
   * @example
   *   const { classes, probabilities, labels } = model.predictProba({ temp_max: [12.8], month: ['01'] });
   *   // probabilities[0 * classes.length + k] is P(classes[k]) for row 0
   */
  predictProba(columns: Columns): ProbabilityPrediction {
    const X = this.preprocessor.transform(columns);
    const C = this.classes.length;
    const D = X.width;
    const probabilities = new Float64Array(X.rows * C);
    const labels = new Array<string>(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let max = -Infinity;
      for (let k = 0; k < C; k++) {
        let s = this.intercepts[k];
        for (let j = 0; j < D; j++) s += this.coefficients[k * D + j] * X.values[i * D + j];
        probabilities[i * C + k] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let k = 0; k < C; k++) {
        const e = Math.exp(probabilities[i * C + k] - max);
        probabilities[i * C + k] = e;
        sum += e;
      }
      let best = 0;
      for (let k = 0; k < C; k++) {
        probabilities[i * C + k] /= sum;
        if (probabilities[i * C + k] > probabilities[i * C + best]) best = k;
      }
      labels[i] = this.classes[best];
    }
    return { classes: [...this.classes], probabilities, labels };
  }

  /** The arg-max labels only. */
  predict(columns: Columns): string[] {
    return this.predictProba(columns).labels;
  }

  toJSON(): LogisticModelJson {
    const D = this.preprocessor.width;
    return {
      format: 'flywheel.logistic_regression',
      version: 1,
      features: this.features.map((f) => ({ name: f.name, kind: f.kind })),
      classes: [...this.classes],
      preprocessing: structuredClone(this.preprocessor.state),
      designColumns: [...this.preprocessor.columnNames],
      coefficients: this.classes.map((_, k) => Array.from(this.coefficients.subarray(k * D, (k + 1) * D))),
      intercepts: Array.from(this.intercepts),
      training: { ...this.training },
    };
  }

  /** Rebuild a model from {@link LogisticModel.toJSON}'s output (or its JSON text). */
  static fromJSON(input: unknown): LogisticModel {
    const { json, bad } = openModelJson<LogisticModelJson>(input, 'flywheel.logistic_regression', 'logistic regression');
    if (!Array.isArray(json.features) || !Array.isArray(json.classes) || !Array.isArray(json.coefficients) || !Array.isArray(json.intercepts)) {
      throw bad('features, classes, coefficients and intercepts must be arrays');
    }
    const preprocessor = preprocessorFromJson(json.features, json.preprocessing, bad);
    const flat = json.coefficients.flat();
    if (json.coefficients.some((r) => !Array.isArray(r) || r.length !== preprocessor.width) || !flat.every(isFiniteNumber) || !json.intercepts.every(isFiniteNumber)) {
      throw bad('coefficients');
    }
    return new LogisticModel({
      preprocessor,
      classes: json.classes,
      coefficients: Float64Array.from(flat),
      intercepts: Float64Array.from(json.intercepts),
      training: { ...json.training },
    });
  }
}


/**
 * Fit a multinomial logistic regression. The preprocessing (standardise numeric features, impute
 * missing ones with the training mean, one-hot categorical ones) is fitted on the same rows, then
 * the weights W (C × D) and intercepts b (C) minimise, by L-BFGS from zero,
 *
 *   f(W, b) = Σ_i −log softmax(W·x_i + b)_{y_i}  +  (l2/2)·‖W‖²        (b is not penalised)
 *
 * — scikit-learn's LogisticRegression(multi_class='multinomial', C = 1/l2) objective. Classes are
 * the distinct target labels in code-point order; two classes give the same softmax form (its
 * optimum has W_1 = −W_0, i.e. sklearn's binary model with C = 2/l2 and coef = W_1 − W_0), which
 * is fitted as that binary model (one weight vector, see binaryLogisticObjective).
 * No randomness is used: the same data and options give bit-identical weights. Intercepts are
 * centred to sum 0 (softmax is unchanged by a common shift).
 * @example
 *   const model = fitLogisticRegression({
 *     features: [{ name: 'temp_max', kind: 'numeric' }, { name: 'month', kind: 'categorical' }],
 *     columns: { temp_max: Float64Array.of(12.8, 10.6, 25.1, 30.2), month: ['01', '01', '07', '07'] },
 *     target: ['rain', 'rain', 'sun', 'sun'],
 *   }, { l2: 1 });
 *   model.predictProba({ temp_max: [28], month: ['07'] }).labels // ['sun']
 */
export function fitLogisticRegression(table: TrainingTable, options: LogisticRegressionOptions = {}): LogisticModel {
  const l2 = options.l2 ?? 1.0;
  const tol = options.tol ?? 1e-6;
  const maxIter = options.maxIter ?? 1000;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new ValidationError('l2 must be a finite number ≥ 0', { field: 'l2' });
  if (!(tol > 0)) throw new ValidationError('tol must be > 0', { field: 'tol' });
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new ValidationError('max_iter must be a positive integer', { field: 'maxIter' });
  validateFeatures(table.features);

  const N = table.target.length;
  if (N === 0) throw new ValidationError('no training rows', { field: 'target' });
  const labelSet = new Set<string>();
  for (let i = 0; i < N; i++) {
    const t = table.target[i];
    if (t === null || t === undefined || t === '') throw new ValidationError(`the target is missing at row ${i}`, { field: 'target', row: i });
    labelSet.add(String(t));
  }
  const classes = [...labelSet].sort(compareCodePoints);
  if (classes.length < 2) throw new ValidationError(`the target has ${classes.length} class; at least two are needed`, { field: 'target' });
  const classIndex = new Map(classes.map((c, k) => [c, k]));
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) y[i] = classIndex.get(String(table.target[i]))!;

  const preprocessor = fitPreprocessor(table.features, table.columns);
  const X = preprocessor.transform(table.columns);
  if (X.rows !== N) throw new ValidationError(`the features have ${X.rows} rows but the target has ${N}`, { field: 'target' });
  if (X.width === 0) throw new ValidationError('no usable feature: every categorical column is empty', { field: 'features' });

  const C = classes.length;
  const D = X.width;
  const lbfgs = { gtol: tol * N, maxIter, memory: options.memory, ftol: options.ftol };
  const coefficients = new Float64Array(C * D);
  const intercepts = new Float64Array(C);
  let result: LbfgsResult;
  if (C === 2) {
    // One weight vector w = W_1 − W_0 (half the work); the softmax optimum is W_1 = −W_0 = w/2.
    result = minimizeLbfgs(binaryLogisticObjective(X.values, N, D, y, l2), new Float64Array(D + 1), lbfgs);
    for (let j = 0; j < D; j++) {
      coefficients[D + j] = result.x[j] / 2;
      coefficients[j] = -result.x[j] / 2;
    }
    intercepts[1] = result.x[D] / 2;
    intercepts[0] = -result.x[D] / 2;
  } else {
    result = minimizeLbfgs(softmaxObjective(X.values, N, D, y, C, l2), new Float64Array(C * (D + 1)), lbfgs);
    for (let k = 0; k < C; k++) {
      coefficients.set(result.x.subarray(k * (D + 1), k * (D + 1) + D), k * D);
      intercepts[k] = result.x[k * (D + 1) + D];
    }
  }
  const meanIntercept = intercepts.reduce((s, v) => s + v, 0) / C;
  for (let k = 0; k < C; k++) intercepts[k] -= meanIntercept;

  return new LogisticModel({
    preprocessor,
    classes,
    coefficients,
    intercepts,
    training: {
      rows: N,
      l2,
      tol,
      maxIter,
      iterations: result.iterations,
      evaluations: result.evaluations,
      converged: result.converged,
      reason: result.reason,
      meanLoss: result.f / N,
      gradientNorm: result.gradientNorm / N,
    },
  });
}
