// Krippendorff's alpha from per-unit value counts (how many observers gave each value to each
// unit) instead of the observers × units matrix: what a database aggregate (GROUP BY unit, value)
// answers, so alpha over a large job needs no row per label.
import { ValidationError } from '../domain/errors.js';

/**
 * Krippendorff's alpha of units given as counts: `counts[u][c]` observers gave value `values[c]`
 * to unit u (m_u = Σ_c counts[u][c]; units with m_u < 2 are not pairable and are skipped). A
 * unit's coincidences are o_ck += w_u · n_uc (n_uk − [c = k]) / (m_u − 1), with weight w_u
 * (default 1: a weight stands for that many identical units); then as {@link krippendorffAlpha}:
 *   α = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck,
 * δ² = [c ≠ k] (nominal) or (c − k)² (interval, numeric values). NaN when no disagreement is expected.
 * @example krippendorffAlphaFromCounts([[2, 0], [1, 1]], ['a', 'b']) // 1 − 3·2 / (3·1·2) = 0
 */
export function krippendorffAlphaFromCounts(
  counts: ArrayLike<ArrayLike<number>>,
  values: readonly (string | number)[],
  level: 'nominal' | 'interval' = 'nominal',
  weights?: ArrayLike<number>,
): number {
  const V = values.length;
  if (level === 'interval' && values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new ValidationError('interval alpha needs numeric values');
  }
  const o = new Float64Array(V * V);
  for (let u = 0; u < counts.length; u++) {
    const row = counts[u];
    if (row.length !== V) throw new ValidationError(`unit ${u} has ${row.length} counts, expected ${V}`);
    let m = 0;
    for (let c = 0; c < V; c++) m += row[c];
    if (m < 2) continue;
    const w = (weights ? weights[u] : 1) / (m - 1);
    for (let c = 0; c < V; c++) {
      if (row[c] === 0) continue;
      for (let k = 0; k < V; k++) o[c * V + k] += w * row[c] * (row[k] - (c === k ? 1 : 0));
    }
  }
  const nc = new Float64Array(V);
  let n = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) nc[c] += o[c * V + k];
    n += nc[c];
  }
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      const d = level === 'nominal' ? (c === k ? 0 : 1) : ((values[c] as number) - (values[k] as number)) ** 2;
      observed += o[c * V + k] * d;
      expected += nc[c] * nc[k] * d;
    }
  }
  return 1 - ((n - 1) * observed) / expected;
}
