// Annotation agreement: majority vote over the labels of one item, percent agreement, and the
// chance-corrected coefficients Cohen's kappa, Fleiss' kappa and Krippendorff's alpha.
import { ValidationError } from '../domain/errors.js';
import { compareCodePoints } from './order.js';

/** A label that may be missing (an annotator who skipped the item). */
export type Rating = string | null | undefined;

const present = (r: Rating): r is string => r !== null && r !== undefined && r !== '';

/** The outcome of a majority vote over the labels of one item. */
export interface MajorityVote {
  /** The winning label; null when the item has no label at all. */
  label: string | null;
  /** Votes for the winner. */
  count: number;
  /** Labels counted (missing ones are skipped). */
  total: number;
  /** count / total (NaN when total = 0). */
  share: number;
  /** True when more than one label has the top count. */
  tie: boolean;
  /** Every label with the top count, in tie-break order (the first is `label`). */
  tied: string[];
}

/**
 * Majority vote over one item's labels. Missing labels (null, undefined, '') are skipped. Ties are
 * broken deterministically: the tied label that comes first in `labelOrder` wins (labels absent from
 * `labelOrder`, or all labels when it is omitted, follow in code-point order) and `tie` is true.
 * @example majorityVote(['cat', 'dog', 'dog', null]) // { label: 'dog', count: 2, total: 3, share: 2/3, tie: false, tied: ['dog'] }
 * @example majorityVote(['dog', 'cat'], ['dog', 'cat']) // { label: 'dog', tie: true, tied: ['dog', 'cat'], ... }
 */
export function majorityVote(labels: ArrayLike<Rating>, labelOrder: readonly string[] = []): MajorityVote {
  const counts = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!present(l)) continue;
    counts.set(l, (counts.get(l) ?? 0) + 1);
    total++;
  }
  if (total === 0) return { label: null, count: 0, total: 0, share: NaN, tie: false, tied: [] };
  const rank = new Map(labelOrder.map((l, i) => [l, i]));
  let best = 0;
  for (const c of counts.values()) best = Math.max(best, c);
  const tied = [...counts.entries()]
    .filter(([, c]) => c === best)
    .map(([l]) => l)
    .sort((a, b) => {
      const ra = rank.get(a) ?? Infinity;
      const rb = rank.get(b) ?? Infinity;
      return ra !== rb ? (ra < rb ? -1 : 1) : compareCodePoints(a, b);
    });
  return { label: tied[0], count: best, total, share: best / total, tie: tied.length > 1, tied };
}

/**
 * Percent (pairwise) agreement of items × raters ratings: for each item with m ≥ 2 labels,
 * the share of its m(m−1)/2 rater pairs that agree, averaged over those items — Fleiss' P̄,
 * which for two raters is the share of items they label alike. Missing labels are skipped;
 * NaN when no item has two labels.
 * @example percentAgreement([['a', 'a'], ['a', 'b'], ['b', 'b'], ['a', null]]) // (1 + 0 + 1) / 3
 */
export function percentAgreement(ratings: ArrayLike<ArrayLike<Rating>>): number {
  let sum = 0;
  let items = 0;
  for (let u = 0; u < ratings.length; u++) {
    const counts = new Map<string, number>();
    let m = 0;
    const row = ratings[u];
    for (let r = 0; r < row.length; r++) {
      const l = row[r];
      if (!present(l)) continue;
      counts.set(l, (counts.get(l) ?? 0) + 1);
      m++;
    }
    if (m < 2) continue;
    let agreeing = 0;
    for (const c of counts.values()) agreeing += c * (c - 1);
    sum += agreeing / (m * (m - 1));
    items++;
  }
  return items === 0 ? NaN : sum / items;
}

/**
 * Subjects × categories counts from items × raters labels (missing labels skipped), the input
 * of {@link fleissKappa}. Categories default to every label seen, in code-point order.
 * @example ratingCounts([['a', 'b'], ['b', 'b']]) // { categories: ['a', 'b'], counts: [[1, 1], [0, 2]] }
 */
export function ratingCounts(ratings: ArrayLike<ArrayLike<Rating>>, categories?: readonly string[]): { categories: string[]; counts: number[][] } {
  const seen = new Set<string>();
  for (let u = 0; u < ratings.length; u++) for (let r = 0; r < ratings[u].length; r++) if (present(ratings[u][r])) seen.add(ratings[u][r] as string);
  const cats = categories ? [...categories] : [...seen].sort(compareCodePoints);
  const index = new Map(cats.map((c, i) => [c, i]));
  const counts: number[][] = [];
  for (let u = 0; u < ratings.length; u++) {
    const row = new Array<number>(cats.length).fill(0);
    for (let r = 0; r < ratings[u].length; r++) {
      const l = ratings[u][r];
      if (!present(l)) continue;
      const j = index.get(l);
      if (j === undefined) throw new ValidationError(`label '${l}' is not one of the categories`, { label: l });
      row[j]++;
    }
    counts.push(row);
  }
  return { categories: cats, counts };
}

/**
 * Fleiss' kappa (Fleiss 1971) of N subjects each rated by the same n raters into k categories,
 * given counts n_ij (raters who put subject i in category j):
 *   P_i = (Σ_j n_ij² − n) / (n(n−1)),  P̄ = (1/N) Σ_i P_i,
 *   p_j = Σ_i n_ij / (N n),            P̄e = Σ_j p_j²,
 *   κ = (P̄ − P̄e) / (1 − P̄e).
 * Computed in integers as κ = (A·Nn − S·(n−1)) / ((n−1)·((Nn)² − S)) with A = Σ n_ij² − Nn and
 * S = Σ_j (Σ_i n_ij)², so the only rounding is the final division. NaN when P̄e = 1.
 * @example fleissKappa([[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], ...]) // 0.2099307… (Fleiss 1971, 10 × 14 table)
 */
export function fleissKappa(counts: ArrayLike<ArrayLike<number>>): number {
  const N = counts.length;
  if (N === 0) throw new ValidationError('Fleiss kappa needs at least one subject');
  const k = counts[0].length;
  let n = -1;
  let sumSquares = 0;
  const totals = new Array<number>(k).fill(0);
  for (let i = 0; i < N; i++) {
    const row = counts[i];
    if (row.length !== k) throw new ValidationError(`subject ${i} has ${row.length} categories, expected ${k}`);
    let ni = 0;
    for (let j = 0; j < k; j++) {
      const c = row[j];
      if (!Number.isInteger(c) || c < 0) throw new ValidationError(`count [${i}][${j}] is not a non-negative integer`);
      ni += c;
      sumSquares += c * c;
      totals[j] += c;
    }
    if (n === -1) n = ni;
    else if (ni !== n) throw new ValidationError(`subject ${i} has ${ni} ratings, expected ${n} (Fleiss needs equal raters per subject)`);
  }
  if (n < 2) throw new ValidationError('Fleiss kappa needs at least two ratings per subject');
  const M = N * n;
  const A = sumSquares - M;
  let S = 0;
  for (const t of totals) S += t * t;
  return (A * M - S * (n - 1)) / ((n - 1) * (M * M - S));
}

/**
 * Cohen's kappa of two raters (sklearn cohen_kappa_score, unweighted): with N items, agreement
 * count a and marginal counts r_c (rater 1) and s_c (rater 2),
 *   p_o = a / N,  p_e = Σ_c r_c s_c / N²,  κ = (p_o − p_e) / (1 − p_e) = (N·a − Σ r_c s_c) / (N² − Σ r_c s_c).
 * Items where either rating is missing are skipped; with `labels`, only items whose both ratings are
 * in it count (as sklearn). NaN when p_e = 1.
 * @example cohenKappa(['y', 'y', 'n', 'n'], ['y', 'n', 'n', 'n']) // (4·3 − 8) / (16 − 8) = 0.5
 */
export function cohenKappa(rater1: ArrayLike<Rating>, rater2: ArrayLike<Rating>, labels?: readonly string[]): number {
  if (rater1.length !== rater2.length) throw new ValidationError(`the raters rated ${rater1.length} and ${rater2.length} items`);
  const allowed = labels ? new Set(labels) : null;
  const r = new Map<string, number>();
  const s = new Map<string, number>();
  let N = 0;
  let agree = 0;
  for (let i = 0; i < rater1.length; i++) {
    const a = rater1[i];
    const b = rater2[i];
    if (!present(a) || !present(b)) continue;
    if (allowed && (!allowed.has(a) || !allowed.has(b))) continue;
    N++;
    if (a === b) agree++;
    r.set(a, (r.get(a) ?? 0) + 1);
    s.set(b, (s.get(b) ?? 0) + 1);
  }
  return cohenFromCounts(N, agree, r, s);
}

function cohenFromCounts(N: number, agree: number, r: Map<string, number>, s: Map<string, number>): number {
  let chance = 0;
  for (const [c, rc] of r) chance += rc * (s.get(c) ?? 0);
  return (N * agree - chance) / (N * N - chance);
}

/**
 * Cohen's kappa from a contingency table of pair counts keyed "label1,label2" (rater 1's label,
 * rater 2's label), e.g. { 'yes,yes': 20, 'yes,no': 5, 'no,yes': 10, 'no,no': 15 } → 0.4.
 * Labels must not contain commas.
 */
export function cohenKappaFromPairs(pairs: Readonly<Record<string, number>>): number {
  const r = new Map<string, number>();
  const s = new Map<string, number>();
  let N = 0;
  let agree = 0;
  for (const [key, count] of Object.entries(pairs)) {
    const parts = key.split(',');
    if (parts.length !== 2) throw new ValidationError(`pair key '${key}' is not "label1,label2"`);
    const [a, b] = parts;
    N += count;
    if (a === b) agree += count;
    r.set(a, (r.get(a) ?? 0) + count);
    s.set(b, (s.get(b) ?? 0) + count);
  }
  return cohenFromCounts(N, agree, r, s);
}

/** A value of reliability data: a label (nominal) or a number; null when the observer gave none. */
export type ReliabilityValue = string | number | null | undefined;

/**
 * Krippendorff's alpha (Krippendorff 2011) of observers × units reliability data with missing
 * values. Only units with m_u ≥ 2 values are pairable. Coincidences o_ck = Σ_u (pairs of values c, k
 * from different observers in u) / (m_u − 1); n_c = Σ_k o_ck; n = Σ_c n_c;
 *   α = 1 − D_o / D_e = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck,
 * with δ² = [c ≠ k] (nominal) or (c − k)² (interval). NaN when there is no disagreement to expect.
 * @example krippendorffAlpha([[1, 2, 3, 3], [1, 2, 3, 4]], 'nominal') // coincidences over 4 units
 */
export function krippendorffAlpha(data: ArrayLike<ArrayLike<ReliabilityValue>>, level: 'nominal' | 'interval' = 'nominal'): number {
  const observers = data.length;
  if (observers === 0) throw new ValidationError('Krippendorff alpha needs at least one observer');
  const units = data[0].length;
  for (let o = 1; o < observers; o++) {
    if (data[o].length !== units) throw new ValidationError(`observer ${o} rated ${data[o].length} units, expected ${units}`);
  }
  const values: (string | number)[] = [];
  const index = new Map<string | number, number>();
  const unitValues: number[][] = [];
  for (let u = 0; u < units; u++) {
    const vs: number[] = [];
    for (let o = 0; o < observers; o++) {
      const v = data[o][u];
      if (v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) continue;
      if (level === 'interval' && typeof v !== 'number') throw new ValidationError(`interval alpha needs numbers, got '${v}'`);
      let id = index.get(v);
      if (id === undefined) {
        id = values.length;
        values.push(v);
        index.set(v, id);
      }
      vs.push(id);
    }
    if (vs.length >= 2) unitValues.push(vs);
  }
  const V = values.length;
  const o = new Float64Array(V * V);
  for (const vs of unitValues) {
    const w = 1 / (vs.length - 1);
    for (let a = 0; a < vs.length; a++) for (let b = 0; b < vs.length; b++) if (a !== b) o[vs[a] * V + vs[b]] += w;
  }
  const nc = new Float64Array(V);
  let n = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) nc[c] += o[c * V + k];
    n += nc[c];
  }
  const delta2 = (c: number, k: number): number =>
    level === 'nominal' ? (c === k ? 0 : 1) : ((values[c] as number) - (values[k] as number)) ** 2;
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      const d = delta2(c, k);
      observed += o[c * V + k] * d;
      expected += nc[c] * nc[k] * d;
    }
  }
  return 1 - ((n - 1) * observed) / expected;
}
