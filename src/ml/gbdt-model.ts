// A fitted gradient-boosted trees model: binning, starting scores and trees; predictions from raw
// feature columns (numbers cast to float32, categories coded, as the ONNX export does) and the
// stored JSON form, which round-trips bit for bit.
import { ValidationError } from '../domain/errors.js';
import { categoricalCell, numericCell, rowCount, validateFeatures, type Columns, type FeatureSpec } from './feature-spec.js';
import { binCount, type FeatureBinning } from './gbdt-binning.js';
import { probabilities, scoreCount } from './gbdt-objectives.js';
import { resolveGbdtParams, type GbdtObjective, type GbdtParams } from './gbdt-params.js';
import { predictValueRow, type GbdtTree } from './gbdt-tree.js';
import type { ProbabilityPrediction } from './logistic-regression.js';
import { openModelJson } from './model-json.js';

/** How the fit went (deterministic: no timings, so equal fits give equal bytes). */
export interface GbdtTraining {
  /** Rows the trees were fitted on (after the validation split). */
  rows: number;
  /** Rows held out for early stopping (0 without it). */
  validation_rows: number;
  /** Boosting rounds done. */
  iterations: number;
  early_stopped: boolean;
  /** Mean training loss after the last round (log loss or half squared error). */
  train_loss: number;
  /** Validation loss before the first round and after each one (early stopping only). */
  validation_loss: number[] | null;
}

/** One tree in the stored JSON: node arrays; categories = the left set of categorical splits. */
export interface GbdtTreeJson {
  feature: number[];
  bin: number[];
  threshold: number[];
  missing_left: number[];
  left: number[];
  right: number[];
  value: number[];
  categories: (number[] | null)[];
}

/** The stored form (`toJSON`), plain JSON. */
export interface GbdtModelJson {
  format: 'flywheel.gbdt';
  version: 1;
  objective: GbdtObjective;
  features: FeatureSpec[];
  /** Class labels (code-point order); null for regression. */
  classes: string[] | null;
  binning: FeatureBinning[];
  /** Starting raw score per tree output (one, or one per class for multiclass). */
  baseline: number[];
  /** Trees in boosting order; tree i adds to raw score i mod baseline.length. */
  trees: GbdtTreeJson[];
  params: GbdtParams;
  training: GbdtTraining;
}

export class GbdtModel {
  readonly kind = 'gbdt' as const;
  readonly objective: GbdtObjective;
  readonly features: readonly FeatureSpec[];
  readonly classes: readonly string[] | null;
  readonly binning: readonly FeatureBinning[];
  readonly baseline: Float64Array;
  readonly trees: readonly GbdtTree[];
  readonly params: GbdtParams;
  readonly training: GbdtTraining;

  constructor(args: {
    objective: GbdtObjective;
    features: readonly FeatureSpec[];
    classes: readonly string[] | null;
    binning: readonly FeatureBinning[];
    baseline: Float64Array;
    trees: readonly GbdtTree[];
    params: GbdtParams;
    training: GbdtTraining;
  }) {
    validateFeatures(args.features);
    const K = scoreCount(args.objective, args.classes?.length ?? 0);
    if (args.objective === 'regression' ? args.classes !== null : !args.classes || args.classes.length < 2) {
      throw new ValidationError(args.objective === 'regression' ? 'a regression model has no classes' : 'a classifier needs at least two classes', { field: 'classes' });
    }
    if (args.objective === 'binary' && args.classes!.length !== 2) throw new ValidationError('a binary model has exactly two classes', { field: 'classes' });
    if (args.baseline.length !== K || args.trees.length % K !== 0) throw new ValidationError(`expected ${K} starting scores and a multiple of ${K} trees`, { field: 'trees' });
    if (args.binning.length !== args.features.length) throw new ValidationError('one binning per feature is expected', { field: 'binning' });
    this.objective = args.objective;
    this.features = args.features.map((f) => ({ name: f.name, kind: f.kind }));
    this.classes = args.classes ? [...args.classes] : null;
    this.binning = args.binning;
    this.baseline = args.baseline;
    this.trees = args.trees;
    this.params = args.params;
    this.training = args.training;
  }

  /** Tree outputs per row: 1, or the number of classes for multiclass. */
  get outputs(): number {
    return this.baseline.length;
  }

  /**
   * The matrix the trees read (row-major, one column per feature): numbers cast to float32,
   * categories as their codes; NaN for a missing value or an unknown category.
   */
  valueMatrix(columns: Columns): { rows: number; values: Float64Array } {
    const n = rowCount(this.features, columns);
    const F = this.features.length;
    const values = new Float64Array(n * F);
    this.features.forEach((f, j) => {
      const col = columns[f.name];
      const b = this.binning[j];
      if (b.kind === 'numeric') {
        for (let i = 0; i < n; i++) values[i * F + j] = Math.fround(numericCell(col, i, f.name));
      } else {
        const codes = new Map(b.categories.map((c, k) => [c, k]));
        for (let i = 0; i < n; i++) {
          const v = categoricalCell(col, i);
          values[i * F + j] = v === null ? NaN : (codes.get(v) ?? NaN);
        }
      }
    });
    return { rows: n, values };
  }

  /** Raw scores, class-major (output k of row i at k·rows + i): starting score plus every tree. */
  predictRaw(columns: Columns): { rows: number; raw: Float64Array } {
    const { rows, values } = this.valueMatrix(columns);
    const K = this.outputs;
    const F = this.features.length;
    const raw = new Float64Array(K * rows);
    for (let k = 0; k < K; k++) raw.fill(this.baseline[k], k * rows, (k + 1) * rows);
    this.trees.forEach((t, ti) => {
      const off = (ti % K) * rows;
      for (let i = 0; i < rows; i++) raw[off + i] += predictValueRow(t, values, F, i);
    });
    return { rows, raw };
  }

  /**
   * Class probabilities (row-major N × C, classes in `classes` order) and the most probable label
   * (the first on an exact tie).
   * @example model.predictProba({ temp_max: [12.8], month: ['01'] }).labels // ['rain']
   */
  predictProba(columns: Columns): ProbabilityPrediction {
    if (this.classes === null) throw new ValidationError('a regression model has no class probabilities: use predictValues', { field: 'model' });
    const { rows, raw } = this.predictRaw(columns);
    const C = this.classes.length;
    const p = probabilities(this.objective, raw, rows, C);
    const labels = new Array<string>(rows);
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let k = 1; k < C; k++) if (p[i * C + k] > p[i * C + best]) best = k;
      labels[i] = this.classes[best];
    }
    return { classes: [...this.classes], probabilities: p, labels };
  }

  /** The predicted labels of a classifier. */
  predict(columns: Columns): string[] {
    return this.predictProba(columns).labels;
  }

  /** The predicted values of a regression model. */
  predictValues(columns: Columns): Float64Array {
    if (this.objective !== 'regression') throw new ValidationError('a classifier predicts labels: use predict or predictProba', { field: 'model' });
    return this.predictRaw(columns).raw;
  }

  toJSON(): GbdtModelJson {
    return {
      format: 'flywheel.gbdt',
      version: 1,
      objective: this.objective,
      features: this.features.map((f) => ({ name: f.name, kind: f.kind })),
      classes: this.classes ? [...this.classes] : null,
      binning: this.binning.map((b) => (b.kind === 'numeric' ? { kind: 'numeric', thresholds: [...b.thresholds] } : { kind: 'categorical', categories: [...b.categories] })),
      baseline: Array.from(this.baseline),
      trees: this.trees.map(treeToJson),
      params: { ...this.params },
      training: { ...this.training, validation_loss: this.training.validation_loss ? [...this.training.validation_loss] : null },
    };
  }

  /** Rebuild a model from {@link GbdtModel.toJSON}'s output (or its JSON text). */
  static fromJSON(input: unknown): GbdtModel {
    const { json, bad } = openModelJson<GbdtModelJson>(input, 'flywheel.gbdt', 'gradient-boosted trees');
    if (!Array.isArray(json.features) || !Array.isArray(json.binning) || !Array.isArray(json.trees) || !Array.isArray(json.baseline)) {
      throw bad('features, binning, trees and baseline must be arrays');
    }
    const binning = json.binning.map((b, j): FeatureBinning => {
      if (b?.kind === 'numeric' && Array.isArray(b.thresholds) && b.thresholds.every((t) => typeof t === 'number' && Number.isFinite(t))) return { kind: 'numeric', thresholds: [...b.thresholds] };
      if (b?.kind === 'categorical' && Array.isArray(b.categories) && b.categories.every((c) => typeof c === 'string')) return { kind: 'categorical', categories: [...b.categories] };
      throw bad(`binning of feature ${j}`);
    });
    const trees = json.trees.map((t, i) => treeFromJson(t, binning, () => bad(`tree ${i}`)));
    return new GbdtModel({
      objective: json.objective,
      features: json.features,
      classes: json.classes,
      binning,
      baseline: Float64Array.from(json.baseline),
      trees,
      params: resolveGbdtParams(json.params),
      training: { ...json.training },
    });
  }
}

function treeToJson(t: GbdtTree): GbdtTreeJson {
  const cats = t.leftCategories.map((c) => {
    if (c === null) return null;
    const out: number[] = [];
    for (let b = 0; b < c.length; b++) if (c[b] === 1) out.push(b);
    return out;
  });
  return {
    feature: Array.from(t.feature),
    bin: Array.from(t.binThreshold),
    threshold: Array.from(t.threshold),
    missing_left: Array.from(t.missingLeft),
    left: Array.from(t.left),
    right: Array.from(t.right),
    value: Array.from(t.value),
    categories: cats,
  };
}

function treeFromJson(j: GbdtTreeJson, binning: readonly FeatureBinning[], bad: () => Error): GbdtTree {
  const k = Array.isArray(j?.feature) ? j.feature.length : -1;
  const arrays = [j?.bin, j?.threshold, j?.missing_left, j?.left, j?.right, j?.value, j?.categories];
  if (k < 1 || arrays.some((a) => !Array.isArray(a) || a.length !== k)) throw bad();
  const t: GbdtTree = {
    feature: Int32Array.from(j.feature),
    binThreshold: Int32Array.from(j.bin),
    threshold: Float64Array.from(j.threshold),
    missingLeft: Uint8Array.from(j.missing_left),
    left: Int32Array.from(j.left),
    right: Int32Array.from(j.right),
    value: Float64Array.from(j.value),
    leftCategories: j.categories.map((c) => {
      if (c === null) return null;
      if (!Array.isArray(c)) throw bad();
      const table = new Uint8Array(256);
      for (const b of c) table[b] = 1;
      return table;
    }),
  };
  // Children must come after their parent (no cycles) and features must exist.
  for (let i = 0; i < k; i++) {
    const f = t.feature[i];
    if (f < 0) continue;
    if (f >= binning.length || t.left[i] <= i || t.right[i] <= i || t.left[i] >= k || t.right[i] >= k) throw bad();
    const b = binning[f];
    if ((b.kind === 'categorical') !== (t.leftCategories[i] !== null)) throw bad();
    if (b.kind === 'numeric' && (t.binThreshold[i] < 0 || t.binThreshold[i] >= binCount(b) - 1)) throw bad();
  }
  return t;
}
