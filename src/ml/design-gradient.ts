// The gradient's data term Xᵀr of the linear models' objectives, on a row-major design matrix,
// four rows at a time: accumulating one row at a time into the gradient is bound by the latency
// of each element's load and store, four rows per update cut those by four (about 2× faster).

/**
 * Add Σ_i r[i·stride + offset]·x_i to grad[0..D) (x_i = row i of X, D wide): the residuals of
 * one output (class k of C: stride C, offset k) against the design rows.
 * @example addDesignGradient(X, 3, 2, Float64Array.of(1, -1, 0.5), 1, 0, g) // g += 1·x_0 − x_1 + 0.5·x_2
 */
export function addDesignGradient(X: Float64Array, rows: number, width: number, r: Float64Array, stride: number, offset: number, grad: Float64Array, gradOffset = 0): void {
  const D = width;
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const r0 = r[i * stride + offset];
    const r1 = r[(i + 1) * stride + offset];
    const r2 = r[(i + 2) * stride + offset];
    const r3 = r[(i + 3) * stride + offset];
    const b0 = i * D;
    const b1 = b0 + D;
    const b2 = b1 + D;
    const b3 = b2 + D;
    for (let j = 0; j < D; j++) grad[gradOffset + j] += r0 * X[b0 + j] + r1 * X[b1 + j] + r2 * X[b2 + j] + r3 * X[b3 + j];
  }
  for (; i < rows; i++) {
    const ri = r[i * stride + offset];
    const b = i * D;
    for (let j = 0; j < D; j++) grad[gradOffset + j] += ri * X[b + j];
  }
}
