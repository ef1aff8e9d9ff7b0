// Distribution drift between a reference and a current sample of one column: the binning and
// the statistics (PSI, Jensen-Shannon) defined by the reference implementation
// /work/shared/peers/scipy_drift.py, matched to 1e-9.
import { ValidationError } from '../domain/errors.js';
import { histogramCounts, sturgesBinEdges } from './histogram.js';
import { compareCodePoints } from './order.js';

/** Numeric samples (NaN and null are missing) or categorical samples (null, undefined and '' are missing). */
export type NumericSample = ArrayLike<number | null>;
export type CategoricalSample = ArrayLike<string | null | undefined>;

/** The common bins of two samples and their counts. */
export interface DriftBins {
  kind: 'numeric' | 'categorical';
  /** 'sturges': equal-width bins over both samples; 'values': one bin per distinct value. */
  binning: 'sturges' | 'values';
  /** Bin edges (length bins + 1) when binning = 'sturges'. */
  edges: Float64Array | null;
  /** The value of each bin when binning = 'values' (numbers ascending, strings in code-point order). */
  values: (number | string)[] | null;
  referenceCounts: Float64Array;
  currentCounts: Float64Array;
  nReference: number;
  nCurrent: number;
  /** Missing cells dropped before binning: [reference, current]. */
  droppedMissing: [number, number];
}

/** Above this many distinct reference values a numeric column gets Sturges bins. */
export const MAX_VALUE_BINS = 20;

/** Share of an empty bin used by PSI (a zero share would make ln(cur/ref) infinite). */
export const PSI_EMPTY_SHARE = 0.0001;

function numericValues(sample: NumericSample): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < sample.length; i++) {
    const v = sample[i];
    if (v !== null && v !== undefined && !Number.isNaN(v)) out.push(v);
  }
  return Float64Array.from(out);
}

function categoricalValues(sample: CategoricalSample): string[] {
  const out: string[] = [];
  for (let i = 0; i < sample.length; i++) {
    const v = sample[i];
    if (v !== null && v !== undefined && v !== '') out.push(v);
  }
  return out;
}

function countByValue<T extends number | string>(sample: ArrayLike<T>, index: Map<T, number>, size: number): Float64Array {
  const counts = new Float64Array(size);
  for (let i = 0; i < sample.length; i++) counts[index.get(sample[i])!]++;
  return counts;
}

function valueBins<T extends number | string>(ref: ArrayLike<T>, cur: ArrayLike<T>, cmp: (a: T, b: T) => number) {
  const set = new Set<T>();
  for (let i = 0; i < ref.length; i++) set.add(ref[i]);
  for (let i = 0; i < cur.length; i++) set.add(cur[i]);
  const values = [...set].sort(cmp);
  const index = new Map<T, number>(values.map((v, i) => [v, i]));
  return { values, referenceCounts: countByValue(ref, index, values.length), currentCounts: countByValue(cur, index, values.length) };
}

/**
 * Bin two samples of one column the way scipy_drift.py does. Numeric with more than 20 distinct
 * reference values: edges = numpy.histogram_bin_edges(concat(ref, cur), 'sturges'), counts =
 * numpy.histogram. Otherwise (categorical, or few values): one bin per value seen in either sample.
 * Missing cells are dropped first; an empty sample (after dropping) is a ValidationError.
 * @example driftBins(['a', 'b', 'b'], ['b', 'c'], 'categorical').values // ['a', 'b', 'c']
 */
export function driftBins(reference: NumericSample, current: NumericSample, kind: 'numeric'): DriftBins;
export function driftBins(reference: CategoricalSample, current: CategoricalSample, kind: 'categorical'): DriftBins;
export function driftBins(
  reference: NumericSample | CategoricalSample,
  current: NumericSample | CategoricalSample,
  kind: 'numeric' | 'categorical',
): DriftBins {
  const ref = kind === 'numeric' ? numericValues(reference as NumericSample) : categoricalValues(reference as CategoricalSample);
  const cur = kind === 'numeric' ? numericValues(current as NumericSample) : categoricalValues(current as CategoricalSample);
  if (ref.length === 0) throw new ValidationError('the reference sample has no values', { field: 'reference' });
  if (cur.length === 0) throw new ValidationError('the current sample has no values', { field: 'current' });
  const droppedMissing: [number, number] = [reference.length - ref.length, current.length - cur.length];
  const base = { kind, nReference: ref.length, nCurrent: cur.length, droppedMissing };
  if (kind === 'numeric') {
    const r = ref as Float64Array;
    const c = cur as Float64Array;
    if (new Set(r).size > MAX_VALUE_BINS) {
      const both = new Float64Array(r.length + c.length);
      both.set(r);
      both.set(c, r.length);
      const edges = sturgesBinEdges(both);
      return {
        ...base,
        binning: 'sturges',
        edges,
        values: null,
        referenceCounts: histogramCounts(r, edges),
        currentCounts: histogramCounts(c, edges),
      };
    }
    return { ...base, binning: 'values', edges: null, ...valueBins<number>(r, c, (a, b) => a - b) };
  }
  return { ...base, binning: 'values', edges: null, ...valueBins<string>(ref as string[], cur as string[], compareCodePoints) };
}

function shares(counts: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i] / n;
  return out;
}

/**
 * Population stability index of two share vectors over the same bins:
 *   PSI = Σ_b (cur_b − ref_b) · ln(cur_b / ref_b), zero shares replaced by 0.0001.
 * @example populationStabilityIndex([0.5, 0.5], [0.25, 0.75]) // 0.25·ln(1.5) + 0.25·ln(2) ≈ 0.2747
 */
export function populationStabilityIndex(referenceShares: ArrayLike<number>, currentShares: ArrayLike<number>): number {
  if (referenceShares.length !== currentShares.length) throw new ValidationError('share vectors differ in length');
  let psi = 0;
  for (let i = 0; i < referenceShares.length; i++) {
    const r = referenceShares[i] === 0 ? PSI_EMPTY_SHARE : referenceShares[i];
    const c = currentShares[i] === 0 ? PSI_EMPTY_SHARE : currentShares[i];
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/** scipy.special.rel_entr: x·ln(x/y), 0 when x = 0, +∞ when y = 0 < x. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/**
 * Jensen-Shannon distance (scipy.spatial.distance.jensenshannon, natural log): both vectors are
 * normalised to sum 1, m = (p + q)/2, JS = sqrt((KL(p‖m) + KL(q‖m)) / 2). Zero shares are kept.
 * Ranges over [0, sqrt(ln 2)].
 * @example jensenShannonDistance([1, 0], [0, 1]) // sqrt(ln 2) ≈ 0.8326
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new ValidationError('distributions differ in length');
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2.0;
    left += relEntr(pi, m);
    right += relEntr(qi, m);
  }
  return Math.sqrt((left + right) / 2.0);
}

/** PSI and Jensen-Shannon of one column, with the bins they were computed on. */
export interface DriftStatistics {
  kind: 'numeric' | 'categorical';
  bins: number;
  psi: number;
  jensenShannon: number;
  nReference: number;
  nCurrent: number;
  droppedMissing: [number, number];
  binned: DriftBins;
}

/**
 * Drift of one column: bins as {@link driftBins}, shares = counts / n, then PSI and JS.
 * @example
 *   driftStatistics(['a', 'a', 'b'], ['a', 'b', 'b'], 'categorical').psi
 *   // (1/3 − 2/3)·ln(1/2) + (2/3 − 1/3)·ln(2) = (2/3)·ln 2 ≈ 0.4621
 */
export function driftStatistics(reference: NumericSample, current: NumericSample, kind: 'numeric'): DriftStatistics;
export function driftStatistics(reference: CategoricalSample, current: CategoricalSample, kind: 'categorical'): DriftStatistics;
export function driftStatistics(
  reference: NumericSample | CategoricalSample,
  current: NumericSample | CategoricalSample,
  kind: 'numeric' | 'categorical',
): DriftStatistics {
  const binned =
    kind === 'numeric'
      ? driftBins(reference as NumericSample, current as NumericSample, 'numeric')
      : driftBins(reference as CategoricalSample, current as CategoricalSample, 'categorical');
  const rs = shares(binned.referenceCounts, binned.nReference);
  const cs = shares(binned.currentCounts, binned.nCurrent);
  return {
    kind,
    bins: binned.referenceCounts.length,
    psi: populationStabilityIndex(rs, cs),
    jensenShannon: jensenShannonDistance(rs, cs),
    nReference: binned.nReference,
    nCurrent: binned.nCurrent,
    droppedMissing: binned.droppedMissing,
    binned,
  };
}
