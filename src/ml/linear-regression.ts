// Linear regression with L2 (ridge) on the design matrix of its fitted preprocessing: solved
// exactly by Cholesky on the normal equations, or by our L-BFGS for very wide designs; predicts
// values and round-trips through JSON.
import { ValidationError } from '../domain/errors.js';
import { validateFeatures, type Columns, type FeatureSpec } from './feature-spec.js';
import { minimizeLbfgs, type LbfgsStop } from './lbfgs.js';
import { fitPreprocessor, Preprocessor, type PreprocessorState } from './preprocessor.js';
import { ridgeObjective, solveRidgeCholesky } from './ridge-solve.js';
import { isFiniteNumber, openModelJson, preprocessorFromJson } from './model-json.js';

/** Training data of a regression: feature columns by name and one numeric target per row. */
export interface RegressionTable {
  features: readonly FeatureSpec[];
  columns: Columns;
  /** Target value of each row; a missing (null, undefined, NaN) or infinite value is a ValidationError. */
  target: ArrayLike<number | null | undefined>;
}

export type LinearSolver = 'auto' | 'cholesky' | 'lbfgs';

export interface LinearRegressionOptions {
  /** L2 strength (scikit-learn Ridge's alpha). Default 1. */
  l2?: number;
  /**
   * 'cholesky': the normal equations, exact, O(N·D² + D³); 'lbfgs': iterative, O(N·D) per step;
   * 'auto' (default): Cholesky up to {@link CHOLESKY_MAX_WIDTH} design columns (and when the
   * system is positive definite), L-BFGS otherwise.
   */
  solver?: LinearSolver;
  /** L-BFGS: stop when max |∇(f/N)| ≤ tol. Default 1e-8. */
  tol?: number;
  /** L-BFGS iteration cap. Default 1000. */
  maxIter?: number;
}

/** Design columns up to which 'auto' solves the normal equations. */
export const CHOLESKY_MAX_WIDTH = 2000;

/** How the fit went. */
export interface LinearTraining {
  rows: number;
  l2: number;
  solver: 'cholesky' | 'lbfgs';
  /** L-BFGS iterations (0 for Cholesky). */
  iterations: number;
  converged: boolean;
  reason: LbfgsStop | 'exact';
  /** Mean squared error on the training rows. */
  trainMse: number;
}

/** The stored form (`toJSON`), plain JSON. */
export interface LinearModelJson {
  format: 'flywheel.linear_regression';
  version: 1;
  features: FeatureSpec[];
  preprocessing: PreprocessorState;
  designColumns: string[];
  coefficients: number[];
  intercept: number;
  training: LinearTraining;
}

/** A fitted linear model. Build it with {@link fitLinearRegression} or {@link LinearModel.fromJSON}. */
export class LinearModel {
  readonly kind = 'linear_regression' as const;
  /** A regression model has no classes (as GbdtModel's regression). */
  readonly classes = null;
  readonly features: readonly FeatureSpec[];
  readonly preprocessor: Preprocessor;
  readonly coefficients: Float64Array;
  readonly intercept: number;
  readonly training: LinearTraining;

  constructor(args: { preprocessor: Preprocessor; coefficients: Float64Array; intercept: number; training: LinearTraining }) {
    if (args.coefficients.length !== args.preprocessor.width) {
      throw new ValidationError(`expected ${args.preprocessor.width} coefficients, got ${args.coefficients.length}`);
    }
    if (!Number.isFinite(args.intercept)) throw new ValidationError('the intercept must be finite');
    this.preprocessor = args.preprocessor;
    this.features = args.preprocessor.features;
    this.coefficients = args.coefficients;
    this.intercept = args.intercept;
    this.training = args.training;
  }

  /**
   * Predicted values b + w·z_i of raw feature columns, preprocessed as in training.
   * @example model.predictValues({ temp_min: [5.6], month: ['01'] }) // Float64Array [≈ 10.9]
   */
  predictValues(columns: Columns): Float64Array {
    const X = this.preprocessor.transform(columns);
    const D = X.width;
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += X.values[i * D + j] * this.coefficients[j];
      out[i] = s + this.intercept;
    }
    return out;
  }

  toJSON(): LinearModelJson {
    return {
      format: 'flywheel.linear_regression',
      version: 1,
      features: this.features.map((f) => ({ name: f.name, kind: f.kind })),
      preprocessing: structuredClone(this.preprocessor.state),
      designColumns: [...this.preprocessor.columnNames],
      coefficients: Array.from(this.coefficients),
      intercept: this.intercept,
      training: { ...this.training },
    };
  }

  /** Rebuild a model from {@link LinearModel.toJSON}'s output (or its JSON text). */
  static fromJSON(input: unknown): LinearModel {
    const { json, bad } = openModelJson<LinearModelJson>(input, 'flywheel.linear_regression', 'linear regression');
    if (!Array.isArray(json.features) || !Array.isArray(json.coefficients)) throw bad('features and coefficients must be arrays');
    const preprocessor = preprocessorFromJson(json.features, json.preprocessing, bad);
    if (!json.coefficients.every(isFiniteNumber) || !isFiniteNumber(json.intercept)) throw bad('coefficients');
    return new LinearModel({ preprocessor, coefficients: Float64Array.from(json.coefficients), intercept: json.intercept, training: { ...json.training } });
  }
}


/** The numeric target as a Float64Array; a missing or infinite value names its row. */
function targetValues(target: RegressionTable['target']): Float64Array {
  const n = target.length;
  if (n === 0) throw new ValidationError('no training rows', { field: 'target' });
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = target[i];
    if (v === null || v === undefined || Number.isNaN(v)) throw new ValidationError(`the target is missing at row ${i}`, { field: 'target', row: i });
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(`the target is not a finite number at row ${i}`, { field: 'target', row: i });
    y[i] = v;
  }
  return y;
}

/**
 * Fit a ridge regression. The preprocessing (standardise numeric features, impute missing ones
 * with the training mean, one-hot categorical ones) is fitted on the same rows; then w and b
 * minimise ½ Σ_i (y_i − b − w·x_i)² + (l2/2)·‖w‖² — scikit-learn's Ridge(alpha = l2) on the same
 * design matrix. Cholesky gives that minimiser exactly (to rounding), so the same data and options
 * give bit-identical coefficients; L-BFGS (from zero, deterministic too) stops at `tol`.
 * @example
 *   const model = fitLinearRegression({
 *     features: [{ name: 'temp_min', kind: 'numeric' }, { name: 'month', kind: 'categorical' }],
 *     columns: { temp_min: Float64Array.of(1, 2, 8, 9), month: ['01', '01', '07', '07'] },
 *     target: Float64Array.of(6, 7, 20, 21),
 *   }, { l2: 0.1 });
 *   model.predictValues({ temp_min: [8.5], month: ['07'] }) // ≈ [20.5]
 */
export function fitLinearRegression(table: RegressionTable, options: LinearRegressionOptions = {}): LinearModel {
  const l2 = options.l2 ?? 1.0;
  const solver = options.solver ?? 'auto';
  const tol = options.tol ?? 1e-8;
  const maxIter = options.maxIter ?? 1000;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new ValidationError('l2 must be a finite number ≥ 0', { field: 'l2' });
  if (!['auto', 'cholesky', 'lbfgs'].includes(solver)) throw new ValidationError(`solver must be 'auto', 'cholesky' or 'lbfgs', got '${String(solver)}'`, { field: 'solver' });
  if (!(tol > 0)) throw new ValidationError('tol must be > 0', { field: 'tol' });
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new ValidationError('max_iter must be a positive integer', { field: 'maxIter' });
  validateFeatures(table.features);
  const y = targetValues(table.target);
  const N = y.length;

  const preprocessor = fitPreprocessor(table.features, table.columns);
  const X = preprocessor.transform(table.columns);
  if (X.rows !== N) throw new ValidationError(`the features have ${X.rows} rows but the target has ${N}`, { field: 'target' });
  const D = X.width;
  if (D === 0) throw new ValidationError('no usable feature: every categorical column is empty', { field: 'features' });

  let coefficients: Float64Array;
  let intercept: number;
  let training: Omit<LinearTraining, 'rows' | 'l2' | 'trainMse'>;
  const exact = solver === 'lbfgs' || (solver === 'auto' && D > CHOLESKY_MAX_WIDTH) ? null : solveRidgeCholesky(X.values, N, D, y, l2);
  if (exact) {
    ({ coefficients, intercept } = exact);
    training = { solver: 'cholesky', iterations: 0, converged: true, reason: 'exact' };
  } else {
    if (solver === 'cholesky') {
      throw new ValidationError('the normal equations are singular (collinear design columns with l2 = 0): use l2 > 0 or solver lbfgs', { field: 'l2' });
    }
    const result = minimizeLbfgs(ridgeObjective(X.values, N, D, y, l2), new Float64Array(D + 1), { gtol: tol * N, maxIter });
    coefficients = Float64Array.from(result.x.subarray(0, D));
    intercept = result.x[D];
    training = { solver: 'lbfgs', iterations: result.iterations, converged: result.converged, reason: result.reason };
  }
  let sse = 0;
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += X.values[i * D + j] * coefficients[j];
    sse += (y[i] - (s + intercept)) ** 2;
  }
  return new LinearModel({ preprocessor, coefficients, intercept, training: { rows: N, l2, ...training, trainMse: sse / N } });
}
