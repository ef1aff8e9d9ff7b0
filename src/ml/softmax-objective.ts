// The penalised multinomial cross-entropy of softmax regression and its gradient, on a row-major
// design matrix. Parameters θ are K rows of (D coefficients, 1 intercept).
import { addDesignGradient } from './design-gradient.js';

/**
 * Returns f(θ) = Σ_i [ logsumexp_k(z_ik) − z_i,y_i ] + (l2/2)·Σ_k Σ_j W_kj², with
 * z_ik = b_k + Σ_j W_kj·x_ij (intercepts b not penalised), and writes ∇f into `grad`:
 *   ∂f/∂W_kj = Σ_i (p_ik − [y_i = k])·x_ij + l2·W_kj,   ∂f/∂b_k = Σ_i (p_ik − [y_i = k]).
 * This is scikit-learn's LogisticRegression(multinomial) objective with C = 1/l2.
 */
export function softmaxObjective(
  X: Float64Array,
  rows: number,
  width: number,
  y: Int32Array,
  classes: number,
  l2: number,
): (theta: Float64Array, grad: Float64Array) => number {
  const stride = width + 1;
  const z = new Float64Array(classes);
  // Residuals p_ik − [y_i = k], row-major N × C, summed into the gradient four rows at a time.
  const residual = new Float64Array(rows * classes);
  return (theta, grad) => {
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      const row = i * width;
      let max = -Infinity;
      for (let k = 0; k < classes; k++) {
        const w = k * stride;
        let s = theta[w + width];
        for (let j = 0; j < width; j++) s += theta[w + j] * X[row + j];
        z[k] = s;
        if (s > max) max = s;
      }
      const yi = y[i];
      const zy = z[yi] - max;
      let sum = 0;
      for (let k = 0; k < classes; k++) {
        z[k] = Math.exp(z[k] - max);
        sum += z[k];
      }
      // −log p_{i,y} = log Σ_k exp(z_k − max) − (z_y − max): stable for any scores.
      loss += Math.log(sum) - zy;
      const r = i * classes;
      for (let k = 0; k < classes; k++) residual[r + k] = z[k] / sum - (k === yi ? 1 : 0);
    }
    grad.fill(0);
    for (let k = 0; k < classes; k++) {
      addDesignGradient(X, rows, width, residual, classes, k, grad, k * stride);
      let gb = 0;
      for (let i = 0; i < rows; i++) gb += residual[i * classes + k];
      grad[k * stride + width] = gb;
    }
    let penalty = 0;
    for (let k = 0; k < classes; k++) {
      const w = k * stride;
      for (let j = 0; j < width; j++) {
        const c = theta[w + j];
        penalty += c * c;
        grad[w + j] += l2 * c;
      }
    }
    return loss + (l2 / 2) * penalty;
  };
}
