// The tabular input of the built-in trainers: named feature columns with a kind, and a target.
import { ValidationError } from '../domain/errors.js';

export type FeatureKind = 'numeric' | 'categorical';

/** One input column of a model. Its name is also the name of the ONNX graph input. */
export interface FeatureSpec {
  name: string;
  kind: FeatureKind;
}

/** A numeric column: NaN, null and undefined are missing values. */
export type NumericColumn = ArrayLike<number | null | undefined>;
/** A categorical column: null, undefined and '' are missing values. */
export type CategoricalColumn = ArrayLike<string | null | undefined>;
/** Columns by feature name (extra columns are ignored). */
export type Columns = Readonly<Record<string, NumericColumn | CategoricalColumn>>;

/** Names the ONNX export reserves for its outputs; a feature may not use them. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['label', 'probabilities']);

/** Check a feature list: non-empty, unique non-empty names, known kinds, no reserved name. */
export function validateFeatures(features: readonly FeatureSpec[]): void {
  if (features.length === 0) throw new ValidationError('a model needs at least one feature', { field: 'features' });
  const seen = new Set<string>();
  for (const f of features) {
    if (typeof f.name !== 'string' || f.name === '') throw new ValidationError('a feature name must be a non-empty string', { field: 'features' });
    if (f.kind !== 'numeric' && f.kind !== 'categorical') {
      throw new ValidationError(`feature '${f.name}' has kind '${String(f.kind)}'; expected 'numeric' or 'categorical'`, { field: 'features', feature: f.name });
    }
    if (seen.has(f.name)) throw new ValidationError(`feature '${f.name}' is listed twice`, { field: 'features', feature: f.name });
    if (RESERVED_NAMES.has(f.name) || f.name.startsWith('flywheel/')) {
      throw new ValidationError(`feature name '${f.name}' is reserved (outputs 'label', 'probabilities' and 'flywheel/*' names)`, { field: 'features', feature: f.name });
    }
    seen.add(f.name);
  }
}

/** The number of rows shared by every feature column; throws when one is absent or of another length. */
export function rowCount(features: readonly FeatureSpec[], columns: Columns, expected?: number): number {
  let n = expected ?? -1;
  for (const f of features) {
    const col = columns[f.name];
    if (col === undefined || col === null || typeof col.length !== 'number') {
      throw new ValidationError(`column '${f.name}' is missing`, { field: 'columns', feature: f.name });
    }
    if (n === -1) n = col.length;
    else if (col.length !== n) {
      throw new ValidationError(`column '${f.name}' has ${col.length} rows, expected ${n}`, { field: 'columns', feature: f.name });
    }
  }
  return n;
}

/** A numeric cell as a number, NaN when missing; throws on a non-number. */
export function numericCell(col: NumericColumn | CategoricalColumn, i: number, name: string): number {
  const v = col[i];
  if (v === null || v === undefined) return NaN;
  if (typeof v !== 'number') throw new ValidationError(`numeric feature '${name}' has a non-number at row ${i}`, { feature: name, row: i });
  return v;
}

/** A categorical cell as a string, null when missing (numbers are stringified). */
export function categoricalCell(col: NumericColumn | CategoricalColumn, i: number): string | null {
  const v = col[i];
  if (v === null || v === undefined || v === '') return null;
  return typeof v === 'string' ? v : String(v);
}
