// Floating-point sums in NumPy's order (pairwise summation), so means computed here agree with
// numpy/scikit-learn to the last bit rather than to n·ε.

const BLOCK = 128; // numpy's PW_BLOCKSIZE
const BUFFER = 8192; // numpy's ufunc buffer size: longer reductions run chunk by chunk

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= BLOCK) {
    const r = [a[start], a[start + 1], a[start + 2], a[start + 3], a[start + 4], a[start + 5], a[start + 6], a[start + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2);
}

/**
 * `np.sum` of a 1-D float64 array: pairwise summation (8 accumulators in blocks of ≤ 128, halves
 * above), over chunks of 8192 added in turn. Error O(ε·log n) instead of O(ε·n).
 * @example numpySum([0.1, 0.2, 0.3]) // 0.6000000000000001, as np.sum
 */
export function numpySum(values: ArrayLike<number>): number {
  let out = 0;
  for (let start = 0; start < values.length; start += BUFFER) out += pairwise(values, start, Math.min(BUFFER, values.length - start));
  return out;
}

/** `np.mean`: {@link numpySum} / n (NaN when n = 0). @example numpyMean([1, 2]) // 1.5 */
export function numpyMean(values: ArrayLike<number>): number {
  return numpySum(values) / values.length;
}
