// Fitting histogram-based gradient-boosted trees (scikit-learn's HistGradientBoosting algorithm):
// bin the features, then each round compute gradients, grow one tree per output leaf-wise on
// gradient histograms, add its shrunk leaf values to the scores, and stop early when the
// validation loss stops improving. Every random choice (validation split, binning sample, row and
// column subsampling) comes from one seeded generator, and the worker threads never change a
// sum's order, so the same data, params and seed give the same model bytes.
import { ValidationError } from '../domain/errors.js';
import { seededRandom } from '../domain/seeded-random.js';
import { compareCodePoints } from '../stats/order.js';
import { rowCount, validateFeatures, type Columns, type FeatureSpec } from './feature-spec.js';
import { BINNING_SAMPLE, binCount, binRows, fitBinning } from './gbdt-binning.js';
import { FEATURE_STRIDE, localHistogramBuilder } from './gbdt-histogram.js';
import { TreeGrower, type GrowerLayout } from './gbdt-grower.js';
import { GbdtModel } from './gbdt-model.js';
import { baselineScores, GRADIENT_KIND, gradientRows, meanLoss, scoreCount } from './gbdt-objectives.js';
import { EARLY_STOPPING_AUTO_ROWS, resolveGbdtParams, type GbdtObjective, type GbdtParamsInput } from './gbdt-params.js';
import { predictBinnedRow, type GbdtTree } from './gbdt-tree.js';
import { kernelArena, workspaceKernels } from './gbdt-wasm-kernel.js';
import { addLeafValues, defaultThreads, PARTITION_MAX_CHUNKS, histogramPool, sharedArray, type AttachedBuilder, type TrainingWorkspace } from './gbdt-worker-pool.js';

/** Training data: feature columns and one target per row (labels, or numbers for regression). */
export interface GbdtTable {
  features: readonly FeatureSpec[];
  columns: Columns;
  target: ArrayLike<string | number | null | undefined>;
}

export interface GbdtFitOptions {
  /** Threads that build histograms (the caller included). Default: every core. The model does not depend on it. */
  threads?: number;
  /** Called after each round with the number of rounds done and max_iter. */
  onIteration?: (done: number, maxIter: number) => void;
  /**
   * Node histograms kept at once (default: one per leaf, at most 256, within 256 MB). Fewer saves
   * memory: a leaf whose histogram was dropped has both children's built instead of subtracted.
   */
  histogramSlots?: number;
  /**
   * Run the histogram, partition, gradient and leaf-value loops as WebAssembly when a shared
   * WebAssembly memory can hold the workspace (default true). The model does not depend on it.
   */
  wasm?: boolean;
}

/** Histogram memory cap: the arena holds at most this many bytes… */
const HIST_ARENA_BYTES = 256 * 1024 * 1024;
/** …and at most this many node histograms. */
const MAX_SLOTS = 256;
/** Below this many binned cells (rows × features) a fit uses no worker threads at all. */
const POOL_MIN_CELLS = 1 << 18;

/**
 * Fit gradient-boosted trees.
 * @example
 *   const model = fitGbdt({
 *     features: [{ name: 'temp_max', kind: 'numeric' }, { name: 'month', kind: 'categorical' }],
 *     columns: { temp_max: sw.temp_max, month: sw.month },
 *     target: sw.weather,
 *   }, { max_iter: 50, learning_rate: 0.1 });
 *   model.predictProba({ temp_max: [28], month: ['07'] }).labels // ['sun']
 */
export function fitGbdt(table: GbdtTable, paramsInput: GbdtParamsInput = {}, options: GbdtFitOptions = {}): GbdtModel {
  const params = resolveGbdtParams(paramsInput);
  validateFeatures(table.features);
  const features = table.features.map((f) => ({ name: f.name, kind: f.kind }));
  const N = table.target.length;
  if (N === 0) throw new ValidationError('no training rows', { field: 'target' });
  const n0 = rowCount(features, table.columns);
  if (n0 !== N) throw new ValidationError(`the features have ${n0} rows but the target has ${N}`, { field: 'target' });
  const threads = options.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new ValidationError('threads must be a positive integer', { field: 'threads' });

  // Target → y (class index or value) and the objective.
  const { objective, classes, y } = encodeTarget(table.target, params.objective);
  const K = scoreCount(objective, classes?.length ?? 0);
  const random = seededRandom(params.seed);

  // Validation split for early stopping (stratified for classification).
  const early = params.early_stopping === 'auto' ? N > EARLY_STOPPING_AUTO_ROWS : params.early_stopping;
  const [trainRows, validRows] = early ? splitRows(y, objective === 'regression' ? 0 : classes!.length, params.validation_fraction, random) : [identity(N), new Uint32Array(0)];
  if (early && (validRows.length === 0 || trainRows.length === 0)) {
    throw new ValidationError(`${N} rows are too few for a validation split of ${params.validation_fraction}`, { field: 'validation_fraction' });
  }
  const n = trainRows.length;
  const nv = validRows.length;
  const F = features.length;
  const yValid = Float64Array.from(validRows, (r) => y[r]);

  // Binning, fitted on the training rows (quantiles on a sample of them).
  const sample = n > BINNING_SAMPLE ? sortedSample(n, BINNING_SAMPLE, random).map((i) => trainRows[i]) : trainRows;
  const binning = fitBinning(features, table.columns, trainRows, sample, params.max_bins);
  const layout: GrowerLayout = {
    nBins: Int32Array.from(binning, binCount),
    categorical: Uint8Array.from(binning, (b) => (b.kind === 'categorical' ? 1 : 0)),
    thresholds: binning.map((b) => (b.kind === 'numeric' ? Float64Array.from(b.thresholds) : new Float64Array(0))),
  };
  // One histogram per splittable leaf (plus one) when that fits; beyond, the grower rebuilds what it evicted.
  const slotsWanted = options.histogramSlots ?? Math.min(params.max_leaf_nodes === null ? MAX_SLOTS : params.max_leaf_nodes + 1, MAX_SLOTS);
  const slots = Math.max(3, Math.min(slotsWanted, Math.floor(HIST_ARENA_BYTES / (F * FEATURE_STRIDE * 8))));
  // The workspace (shared with the workers): in one WebAssembly memory when it can be had, so
  // the WebAssembly kernels run on it; plain shared buffers otherwise. The byte lengths list one
  // entry per array taken below (bins, cols, rows, gh, feats, hist, y, raw, leafValue, scratch, goesLeft).
  const arena = options.wasm === false ? null : kernelArena([F * n, F * n, 4 * n, 16 * K * n, 4 * F, 8 * slots * F * FEATURE_STRIDE, 8 * n, 8 * K * n, 8 * n, 4 * n, 256]);
  const take = <T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(Ctor: { new (b: SharedArrayBuffer, o: number, l: number): T; new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T =>
    arena ? arena.take(Ctor, length) : sharedArray(Ctor, length);
  const yTrain = take(Float64Array, n);
  for (let i = 0; i < n; i++) yTrain[i] = y[trainRows[i]];
  // Raw scores, and each partition position's leaf value after a tree.
  const raw = take(Float64Array, K * n);
  const leafValue = take(Float64Array, n);
  const ws: TrainingWorkspace = {
    bins: take(Uint8Array, F * n),
    width: F,
    cols: take(Uint8Array, F * n),
    rows: take(Uint32Array, n),
    gh: take(Float64Array, 2 * K * n),
    feats: take(Int32Array, F),
    hist: take(Float64Array, slots * F * FEATURE_STRIDE),
    y: yTrain,
    raw,
    leafValue,
    scratch: take(Uint32Array, n),
    goesLeft: take(Uint8Array, 256),
    counts: sharedArray(Int32Array, PARTITION_MAX_CHUNKS),
    ...(arena ? { wasm: arena.wasm } : {}),
  };
  binRows(features, binning, table.columns, trainRows, ws.bins, true);
  // Column-major copy: a partition reads one feature of scattered rows.
  for (let f = 0; f < F; f++) for (let i = 0, c = f * n; i < n; i++) ws.cols[c + i] = ws.bins[i * F + f];
  const validBins = new Uint8Array(F * nv);
  binRows(features, binning, table.columns, validRows, validBins, true);

  const pool = n * F >= POOL_MIN_CELLS ? histogramPool(threads) : null;
  const attached: AttachedBuilder | null = pool ? pool.attach(ws) : null;
  try {
    const grower = new TreeGrower(
      ws,
      attached ?? localHistogramBuilder(ws),
      layout,
      { maxLeafNodes: params.max_leaf_nodes, maxDepth: params.max_depth, minSamplesLeaf: params.min_samples_leaf, l2: params.l2_regularization, learningRate: params.learning_rate },
      F,
      slots,
    );
    const baseline = baselineScores(objective, yTrain, classes?.length ?? 0);
    const rawValid = new Float64Array(K * nv);
    for (let k = 0; k < K; k++) {
      raw.fill(baseline[k], k * n, (k + 1) * n);
      rawValid.fill(baseline[k], k * nv, (k + 1) * nv);
    }
    const trees: GbdtTree[] = [];
    const validLoss: number[] | null = early ? [meanLoss(objective, yValid, rawValid, K)] : null;
    const m = params.subsample < 1 ? Math.max(1, Math.round(params.subsample * n)) : n;
    const nFeats = params.colsample_bytree < 1 ? Math.max(1, Math.round(params.colsample_bytree * F)) : F;
    const perm = identity(n);
    const featPerm = Int32Array.from({ length: F }, (_, j) => j);
    const inSample = new Uint8Array(m < n ? n : 0);
    let sampleRows = identity(n);
    let earlyStopped = false;

    for (let iter = 0; iter < params.max_iter; iter++) {
      if (attached) attached.gradients(GRADIENT_KIND[objective], K);
      else (workspaceKernels(ws)?.gradients ?? gradientRows)(GRADIENT_KIND[objective], yTrain, raw, K, ws.gh, 0, n);
      if (m < n) {
        sampleRows = partialShuffle(perm, m, random).sort();
        inSample.fill(0);
        for (let i = 0; i < m; i++) inSample[sampleRows[i]] = 1;
      }
      for (let k = 0; k < K; k++) {
        if (nFeats < F) ws.feats.set(partialShuffle(featPerm, nFeats, random).sort());
        else ws.feats.set(featPerm);
        grower.partition.set(sampleRows);
        const { tree, leaves } = grower.grow(k * n, m, nFeats);
        trees.push(tree);
        const off = k * n;
        for (const leaf of leaves) leafValue.fill(leaf.value, leaf.start, leaf.start + leaf.count);
        if (attached) attached.addLeafValues(off, m);
        else (workspaceKernels(ws)?.leafValues ?? addLeafValues)(raw, off, grower.partition, leafValue, 0, m);
        if (m < n) for (let i = 0; i < n; i++) if (inSample[i] === 0) raw[off + i] += predictBinnedRow(tree, ws.bins, F, i);
        for (let i = 0; i < nv; i++) rawValid[k * nv + i] += predictBinnedRow(tree, validBins, F, i);
      }
      options.onIteration?.(iter + 1, params.max_iter);
      if (validLoss) {
        validLoss.push(meanLoss(objective, yValid, rawValid, K));
        if (shouldStop(validLoss, params.n_iter_no_change, params.tol)) {
          earlyStopped = true;
          break;
        }
      }
    }
    return new GbdtModel({
      objective,
      features,
      classes,
      binning,
      baseline,
      trees,
      params,
      training: {
        rows: n,
        validation_rows: nv,
        iterations: trees.length / K,
        early_stopped: earlyStopped,
        train_loss: meanLoss(objective, yTrain, raw, K),
        validation_loss: validLoss,
      },
    });
  } finally {
    attached?.detach();
  }
}

/** Class labels in code-point order and y as class indices, or numeric targets for regression. */
function encodeTarget(target: GbdtTable['target'], wanted: 'auto' | GbdtObjective): { objective: GbdtObjective; classes: string[] | null; y: Float64Array } {
  const N = target.length;
  const y = new Float64Array(N);
  if (wanted === 'regression') {
    for (let i = 0; i < N; i++) {
      const v = target[i];
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(x)) throw new ValidationError(`the regression target must be a finite number at row ${i}, got ${JSON.stringify(v)}`, { field: 'target', row: i });
      y[i] = x;
    }
    return { objective: 'regression', classes: null, y };
  }
  const labels = new Set<string>();
  for (let i = 0; i < N; i++) {
    const v = target[i];
    if (v === null || v === undefined || v === '') throw new ValidationError(`the target is missing at row ${i}`, { field: 'target', row: i });
    labels.add(String(v));
  }
  const classes = [...labels].sort(compareCodePoints);
  if (classes.length < 2) throw new ValidationError(`the target has ${classes.length} class; at least two are needed`, { field: 'target' });
  if (wanted === 'binary' && classes.length !== 2) throw new ValidationError(`objective 'binary' needs two classes, the target has ${classes.length}`, { field: 'objective' });
  const index = new Map(classes.map((c, k) => [c, k]));
  for (let i = 0; i < N; i++) y[i] = index.get(String(target[i]))!;
  const objective: GbdtObjective = wanted === 'auto' ? (classes.length === 2 ? 'binary' : 'multiclass') : wanted;
  return { objective, classes, y };
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** The first m entries of `a` after a partial Fisher–Yates shuffle (a stays a permutation). */
function partialShuffle<T extends Uint32Array | Int32Array>(a: T, m: number, random: () => number): T {
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(random() * (a.length - i));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a.slice(0, m) as T;
}

/** m distinct indices of 0..n−1, ascending. */
function sortedSample(n: number, m: number, random: () => number): Uint32Array {
  return partialShuffle(identity(n), m, random).sort();
}

/**
 * Training and validation rows (each ascending): per class (or over all rows for regression),
 * round(fraction · count) rows drawn at random go to validation.
 */
function splitRows(y: Float64Array, classes: number, fraction: number, random: () => number): [Uint32Array, Uint32Array] {
  const groups: number[][] = classes === 0 ? [Array.from(y, (_, i) => i)] : Array.from({ length: classes }, () => []);
  if (classes > 0) y.forEach((c, i) => groups[c].push(i));
  const valid: number[] = [];
  for (const rows of groups) {
    const a = Uint32Array.from(rows);
    const take = Math.round(fraction * a.length);
    for (const i of partialShuffle(a, take, random)) valid.push(i);
  }
  const isValid = new Uint8Array(y.length);
  for (const i of valid) isValid[i] = 1;
  const train: number[] = [];
  for (let i = 0; i < y.length; i++) if (!isValid[i]) train.push(i);
  return [Uint32Array.from(train), Uint32Array.from(valid).sort()];
}

/**
 * scikit-learn's rule: stop when none of the last n_iter_no_change losses improved on the one
 * before them by more than tol. `losses` starts with the loss before the first round.
 */
function shouldStop(losses: number[], nIterNoChange: number, tol: number): boolean {
  if (losses.length < nIterNoChange + 1) return false;
  const reference = losses[losses.length - nIterNoChange - 1];
  for (let i = losses.length - nIterNoChange; i < losses.length; i++) if (losses[i] < reference - tol) return false;
  return true;
}
