// Ridge regression on a row-major design matrix: the exact solution of the normal equations by
// Cholesky (the default), and the same objective with its gradient for L-BFGS (wide designs).
//
//   f(w, b) = ½ Σ_i (y_i − b − w·x_i)² + (l2/2)·‖w‖²        (b is not penalised)
//
// which is scikit-learn's Ridge(alpha = l2) objective halved, so both have the same minimiser.

/** The minimiser (w, b) of the ridge objective. */
export interface RidgeSolution {
  coefficients: Float64Array;
  intercept: number;
}

/**
 * Solve the ridge problem exactly: with x̄, ȳ the column and target means, w solves
 * (X_cᵀX_c + l2·I) w = X_cᵀ y_c on the centred data, and b = ȳ − x̄·w (the intercept is thereby
 * unpenalised). Cost O(N·D² + D³). Returns null when the system is not positive definite (l2 = 0
 * with collinear columns), where the minimiser is not unique.
 * @example solveRidgeCholesky(Float64Array.of(0, 1, 2), 3, 1, Float64Array.of(1, 3, 5), 0) // w = [2], b = 1
 */
export function solveRidgeCholesky(X: Float64Array, rows: number, width: number, y: ArrayLike<number>, l2: number): RidgeSolution | null {
  const D = width;
  const mean = new Float64Array(D);
  let yMean = 0;
  for (let i = 0; i < rows; i++) {
    const row = i * D;
    for (let j = 0; j < D; j++) mean[j] += X[row + j];
    yMean += y[i];
  }
  for (let j = 0; j < D; j++) mean[j] /= rows;
  yMean /= rows;

  // A = X_cᵀX_c (upper triangle, row-major D × D), r = X_cᵀ y_c.
  const A = new Float64Array(D * D);
  const r = new Float64Array(D);
  const xc = new Float64Array(D);
  for (let i = 0; i < rows; i++) {
    const row = i * D;
    for (let j = 0; j < D; j++) xc[j] = X[row + j] - mean[j];
    const yc = y[i] - yMean;
    for (let j = 0; j < D; j++) {
      const v = xc[j];
      if (v === 0) continue;
      r[j] += v * yc;
      const a = j * D;
      for (let k = j; k < D; k++) A[a + k] += v * xc[k];
    }
  }
  for (let j = 0; j < D; j++) {
    A[j * D + j] += l2;
    for (let k = 0; k < j; k++) A[j * D + k] = A[k * D + j];
  }
  const w = choleskySolve(A, D, r);
  if (w === null) return null;
  let b = yMean;
  for (let j = 0; j < D; j++) b -= mean[j] * w[j];
  return { coefficients: w, intercept: b };
}

/**
 * Solve A x = r for a symmetric positive definite A (row-major n × n, overwritten by its
 * Cholesky factor L in the lower triangle). Null when A is not positive definite.
 */
export function choleskySolve(A: Float64Array, n: number, r: Float64Array): Float64Array | null {
  let scale = 0;
  for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(A[j * n + j]));
  const floor = scale * n * Number.EPSILON;
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = A[rowJ + j];
    for (let k = 0; k < j; k++) d -= A[rowJ + k] * A[rowJ + k];
    if (!(d > floor)) return null;
    const ljj = Math.sqrt(d);
    A[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = A[rowI + j];
      for (let k = 0; k < j; k++) s -= A[rowI + k] * A[rowJ + k];
      A[rowI + j] = s / ljj;
    }
  }
  // L z = r, then Lᵀ x = z.
  const x = Float64Array.from(r);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= A[i * n + k] * x[k];
    x[i] = s / A[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= A[k * n + i] * x[k];
    x[i] = s / A[i * n + i];
  }
  return x;
}

/**
 * The ridge objective over θ = (w_1 … w_D, b) for L-BFGS: returns f(θ) and writes
 *   ∂f/∂w_j = −Σ_i r_i·x_ij + l2·w_j,   ∂f/∂b = −Σ_i r_i,   with r_i = y_i − b − w·x_i.
 */
export function ridgeObjective(X: Float64Array, rows: number, width: number, y: ArrayLike<number>, l2: number): (theta: Float64Array, grad: Float64Array) => number {
  const D = width;
  return (theta, grad) => {
    grad.fill(0);
    const b = theta[D];
    let loss = 0;
    let gb = 0;
    for (let i = 0; i < rows; i++) {
      const row = i * D;
      let s = b;
      for (let j = 0; j < D; j++) s += theta[j] * X[row + j];
      const res = y[i] - s;
      loss += res * res;
      gb -= res;
      for (let j = 0; j < D; j++) grad[j] -= res * X[row + j];
    }
    let penalty = 0;
    for (let j = 0; j < D; j++) {
      penalty += theta[j] * theta[j];
      grad[j] += l2 * theta[j];
    }
    grad[D] = gb;
    return 0.5 * loss + 0.5 * l2 * penalty;
  };
}
