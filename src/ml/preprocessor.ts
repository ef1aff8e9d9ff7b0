// Preprocessing fitted with a model: numeric features standardised with the training mean and
// standard deviation (missing → the mean), categorical features one-hot encoded over the
// categories seen in training (unknown or missing → all zeros).
import { ValidationError } from '../domain/errors.js';
import { compareCodePoints } from '../stats/order.js';
import { categoricalCell, numericCell, rowCount, validateFeatures, type Columns, type FeatureSpec } from './feature-spec.js';

/** Standardisation of one numeric feature: z = (x − mean) · (1 / std); missing x → mean (z = 0). */
export interface NumericStep {
  name: string;
  /** Training mean over non-missing values (0 when the column had none). */
  mean: number;
  /** Population standard deviation (ddof = 0, like sklearn's StandardScaler); 1 when it was 0. */
  std: number;
}

/** One-hot encoding of one categorical feature: a 1 in the column of its category, zeros otherwise. */
export interface CategoricalStep {
  name: string;
  /** Categories seen in training, in code-point order (missing values are not a category). */
  categories: string[];
}

/** The fitted state; plain data, stored in the model's JSON. */
export interface PreprocessorState {
  numeric: NumericStep[];
  categorical: CategoricalStep[];
}

/** A row-major design matrix. */
export interface DesignMatrix {
  rows: number;
  width: number;
  /** rows × width values, row-major. */
  values: Float64Array;
}

/**
 * The fitted preprocessing. The design matrix has every numeric feature first (in feature order),
 * then each categorical feature's one-hot block (in feature order, categories in code-point order).
 */
export class Preprocessor {
  readonly features: readonly FeatureSpec[];
  readonly state: PreprocessorState;
  /** Name of each design column: the feature name, or `name=category` for one-hot columns. */
  readonly columnNames: readonly string[];

  constructor(features: readonly FeatureSpec[], state: PreprocessorState) {
    validateFeatures(features);
    const numeric = features.filter((f) => f.kind === 'numeric').map((f) => f.name);
    const categorical = features.filter((f) => f.kind === 'categorical').map((f) => f.name);
    if (numeric.join('\u0000') !== state.numeric.map((s) => s.name).join('\u0000') || categorical.join('\u0000') !== state.categorical.map((s) => s.name).join('\u0000')) {
      throw new ValidationError('preprocessing steps do not match the features', { field: 'preprocessing' });
    }
    this.features = features.map((f) => ({ name: f.name, kind: f.kind }));
    this.state = state;
    this.columnNames = [...state.numeric.map((s) => s.name), ...state.categorical.flatMap((s) => s.categories.map((c) => `${s.name}=${c}`))];
  }

  get width(): number {
    return this.columnNames.length;
  }

  /**
   * Transform raw columns into the design matrix.
   * @example
   *   const p = fitPreprocessor([{ name: 't', kind: 'numeric' }, { name: 'm', kind: 'categorical' }],
   *                             { t: Float64Array.of(1, 3), m: ['a', 'b'] });
   *   p.transform({ t: [NaN, 5], m: ['b', 'zzz'] }).values
   *   // rows [0, 0, 1] and [3, 0, 0]: missing t → the mean (z = 0); unseen 'zzz' → zeros
   */
  transform(columns: Columns): DesignMatrix {
    const n = rowCount(this.features, columns);
    const width = this.width;
    const values = new Float64Array(n * width);
    let offset = 0;
    for (const s of this.state.numeric) {
      const col = columns[s.name];
      const scale = 1 / s.std;
      for (let i = 0; i < n; i++) {
        const x = numericCell(col, i, s.name);
        values[i * width + offset] = Number.isNaN(x) ? 0 : (x - s.mean) * scale;
      }
      offset++;
    }
    for (const s of this.state.categorical) {
      const col = columns[s.name];
      const index = new Map(s.categories.map((c, j) => [c, j]));
      for (let i = 0; i < n; i++) {
        const v = categoricalCell(col, i);
        const j = v === null ? undefined : index.get(v);
        if (j !== undefined) values[i * width + offset + j] = 1;
      }
      offset += s.categories.length;
    }
    return { rows: n, width, values };
  }
}

/**
 * Fit the preprocessing on training columns.
 * @example
 *   fitPreprocessor([{ name: 't', kind: 'numeric' }], { t: [1, 3, null] }).state.numeric
 *   // [{ name: 't', mean: 2, std: 1 }]
 */
export function fitPreprocessor(features: readonly FeatureSpec[], columns: Columns): Preprocessor {
  validateFeatures(features);
  const n = rowCount(features, columns);
  const numeric: NumericStep[] = [];
  const categorical: CategoricalStep[] = [];
  for (const f of features) {
    const col = columns[f.name];
    if (f.kind === 'numeric') {
      let count = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const x = numericCell(col, i, f.name);
        if (Number.isNaN(x)) continue;
        if (!Number.isFinite(x)) throw new ValidationError(`numeric feature '${f.name}' has an infinite value at row ${i}`, { feature: f.name, row: i });
        sum += x;
        count++;
      }
      const mean = count === 0 ? 0 : sum / count;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const x = numericCell(col, i, f.name);
        if (!Number.isNaN(x)) ss += (x - mean) * (x - mean);
      }
      const std = count === 0 ? 0 : Math.sqrt(ss / count);
      numeric.push({ name: f.name, mean, std: std === 0 ? 1 : std });
    } else {
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const v = categoricalCell(col, i);
        if (v !== null) seen.add(v);
      }
      categorical.push({ name: f.name, categories: [...seen].sort(compareCodePoints) });
    }
  }
  return new Preprocessor(features, { numeric, categorical });
}
