// The penalised binary cross-entropy of logistic regression and its gradient, on a row-major design
// matrix: the two-class softmax objective with half the work (one weight vector instead of two).
// Parameters θ are (D coefficients, 1 intercept).
import { addDesignGradient } from './design-gradient.js';

/**
 * Returns f(θ) = Σ_i log(1 + exp(−s_i·z_i)) + (l2/4)·‖w‖², with z_i = b + w·x_i and s_i = +1 for
 * class 1, −1 for class 0, and writes ∇f into `grad`:
 *   ∂f/∂w_j = Σ_i (σ(z_i) − [y_i = 1])·x_ij + (l2/2)·w_j,   ∂f/∂b = Σ_i (σ(z_i) − [y_i = 1]).
 * At w = W_1 − W_0, b = b_1 − b_0 this is the two-class {@link softmaxObjective} with penalty
 * (l2/2)(‖W_0‖² + ‖W_1‖²) at its optimum W_1 = −W_0 = w/2, with the same gradient there, so
 * both have the same minimiser and stopping test.
 */
export function binaryLogisticObjective(X: Float64Array, rows: number, width: number, y: Int32Array, l2: number): (theta: Float64Array, grad: Float64Array) => number {
  const D = width;
  const half = l2 / 2;
  const residual = new Float64Array(rows);
  return (theta, grad) => {
    const b = theta[D];
    let loss = 0;
    let gb = 0;
    for (let i = 0; i < rows; i++) {
      const row = i * D;
      let z = b;
      for (let j = 0; j < D; j++) z += theta[j] * X[row + j];
      // m = s·z; log(1 + e^(−m)) computed without overflow for either sign.
      const m = y[i] === 1 ? z : -z;
      const e = Math.exp(-Math.abs(z));
      loss += m > 0 ? Math.log1p(e) : Math.log1p(e) - m;
      const r = (z >= 0 ? 1 / (1 + e) : e / (1 + e)) - y[i];
      residual[i] = r;
      gb += r;
    }
    grad.fill(0);
    addDesignGradient(X, rows, D, residual, 1, 0, grad);
    let penalty = 0;
    for (let j = 0; j < D; j++) {
      penalty += theta[j] * theta[j];
      grad[j] += half * theta[j];
    }
    grad[D] = gb;
    return loss + (half / 2) * penalty;
  };
}
