// Turn a predict request body into the model's input columns, checking every value: a missing
// feature or a value of the wrong type fails the request with a 400 naming the field (e.g.
// `body.rows[3].temp_max`), and nothing is predicted or logged. A null numeric value is a missing
// value: fed to the model as NaN when the model imputes missing values (its contract says so,
// see model-contract.ts), refused naming the field otherwise. A feature left out of a row is
// always refused: the caller must say a value is missing, not forget it.
//   { "rows": [ { "temp_max": 12.2, … }, … ], "event_times"?: [epoch ms, …] }
//   { "columns": ["temp_max", …], "data": [[12.2, …], …], "event_times"?: [...] }
import { ValidationError } from '../../domain/errors.js';
import type { FeatureColumn } from '../../domain/ports/model-runtime.js';
import type { FeatureSpec, PredictionInputs } from '../../domain/serving.js';
import type { NumericBatch } from './numeric-batch-scan.js';

export const MAX_PREDICT_ROWS = 10_000;

export interface PredictBody {
  rows?: unknown[];
  columns?: unknown[];
  data?: unknown[];
  event_times?: unknown[];
}

/** A `{columns, data}` body of numbers already read from its text by scanNumericBatch (the predict route's fast path). */
export class ScannedPredictBody {
  constructor(readonly batch: NumericBatch) {}
}

export interface PredictBatch {
  rows: number;
  /** One column per feature, in the model's feature order. */
  columns: Record<string, FeatureColumn>;
  /** The rows' inputs as sent (logged with their predictions): the row objects, or the columns and rows of values. */
  inputs: PredictionInputs;
  /** Per row, when given. */
  eventTimes: number[] | null;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function bad(field: string, message: string, extra: Record<string, unknown> = {}): never {
  throw new ValidationError(`${field} ${message}`, { field, ...extra });
}

function checkCount(n: number, field: string): void {
  if (n === 0) bad(field, 'is empty: send at least one row');
  if (n > MAX_PREDICT_ROWS) bad(field, `has ${n} rows; at most ${MAX_PREDICT_ROWS} are accepted per request`);
}

export interface ParseOptions {
  /** The model imputes missing numeric values: a null numeric value is fed as NaN (otherwise it is refused). */
  imputesMissing?: boolean;
}

/** Put one value into its feature column, or fail naming `field`. */
function place(f: FeatureSpec, col: FeatureColumn, i: number, v: unknown, field: string, imputes: boolean): void {
  if (v === undefined) bad(field, `is missing: the model needs feature '${f.name}'`, { feature: f.name });
  if (f.kind === 'numeric') {
    if (typeof v === 'number' && Number.isFinite(v)) (col as Float32Array)[i] = v;
    else if (v === null && imputes) (col as Float32Array)[i] = NaN;
    else if (v === null) bad(field, `must be a number (feature '${f.name}' is numeric), got null: this model does not impute missing values`, { feature: f.name });
    else bad(field, `must be a number (feature '${f.name}' is numeric), got ${describe(v)}`, { feature: f.name });
  } else {
    if (typeof v === 'string') (col as string[])[i] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') (col as string[])[i] = String(v);
    else bad(field, `must be a string (feature '${f.name}' is categorical), got ${describe(v)}`, { feature: f.name });
  }
}

function emptyColumns(features: FeatureSpec[], n: number): Record<string, FeatureColumn> {
  const columns: Record<string, FeatureColumn> = {};
  for (const f of features) columns[f.name] = f.kind === 'numeric' ? new Float32Array(n) : new Array<string>(n);
  return columns;
}

function eventTimesOf(body: PredictBody, n: number): number[] | null {
  const given = body.event_times;
  if (given === undefined || given === null) return null;
  if (!Array.isArray(given)) bad('body.event_times', 'must be an array of epoch milliseconds');
  if (given.length !== n) bad('body.event_times', `has ${given.length} entries but there are ${n} rows`);
  return given.map((t, i) => {
    if (typeof t !== 'number' || !Number.isFinite(t)) bad(`body.event_times[${i}]`, `must be epoch milliseconds (a number), got ${describe(t)}`);
    return Math.round(t);
  });
}

/** Features that are not among `names`: the first one fails the request, as for a parsed body. */
function checkColumnNames(names: string[], features: FeatureSpec[]): Map<string, number> {
  if (new Set(names).size !== names.length) bad('body.columns', 'names a column twice');
  const index = new Map(names.map((c, k) => [c, k]));
  for (const f of features) if (!index.has(f.name)) bad('body.columns', `lacks feature '${f.name}' (the model needs ${features.map((x) => x.name).join(', ')})`, { feature: f.name });
  return index;
}

/** A scanned body's columns in the model's feature order (numbers only: a categorical feature gets their text, as for a parsed body). */
function fromScanned({ columns: names, values, rows, data: bytes, bounds, breaks }: NumericBatch, features: FeatureSpec[]): PredictBatch {
  const index = checkColumnNames(names, features);
  checkCount(rows, 'body.data');
  let data: unknown[][] | undefined;
  // The rows as values only for a reader that asks (the log writes their text).
  const parsed = () => (data ??= JSON.parse(new TextDecoder().decode(bytes)) as unknown[][]);
  const columns: Record<string, FeatureColumn> = {};
  for (const f of features) {
    const k = index.get(f.name)!;
    // A categorical feature sent as numbers gets their text, as JSON.parse reads them.
    columns[f.name] = f.kind === 'numeric' ? values[k] : parsed().map((row) => String(row[k]));
  }
  const inputs: PredictionInputs = {
    columns: names,
    // Rows with a tab or line break inside are serialised by the log instead.
    ...(breaks ? {} : { received: { bytes, bounds } }),
    get data() {
      return parsed();
    },
  };
  return { rows, columns, inputs, eventTimes: null };
}

/** Check a predict body against the model's features and build its input columns. */
export function parsePredictBody(body: PredictBody | ScannedPredictBody, features: FeatureSpec[], options: ParseOptions = {}): PredictBatch {
  if (body instanceof ScannedPredictBody) return fromScanned(body.batch, features);
  const imputes = options.imputesMissing === true;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) bad('body', `must be a JSON object, got ${describe(body)}`);
  const hasRows = body.rows !== undefined;
  const hasColumns = body.columns !== undefined || body.data !== undefined;
  if (hasRows && hasColumns) bad('body', 'has both "rows" and "columns"/"data": send one of the two forms');
  if (!hasRows && !hasColumns) bad('body', 'needs "rows" (an array of objects) or "columns" and "data"');

  if (hasRows) {
    const rows = body.rows;
    if (!Array.isArray(rows)) bad('body.rows', 'must be an array of objects');
    checkCount(rows.length, 'body.rows');
    const n = rows.length;
    const columns = emptyColumns(features, n);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      if (!isPlainObject(row)) bad(`body.rows[${i}]`, `must be an object of feature values, got ${describe(row)}`);
      for (const f of features) place(f, columns[f.name], i, row[f.name], `body.rows[${i}].${f.name}`, imputes);
    }
    return { rows: n, columns, inputs: { rows: rows as Array<Record<string, unknown>> }, eventTimes: eventTimesOf(body, n) };
  }

  const names = body.columns;
  const data = body.data;
  if (!Array.isArray(names) || !names.every((c) => typeof c === 'string')) bad('body.columns', 'must be an array of column names');
  if (new Set(names).size !== names.length) bad('body.columns', 'names a column twice');
  if (!Array.isArray(data)) bad('body.data', 'must be an array of rows (arrays of values in the order of "columns")');
  const index = checkColumnNames(names as string[], features);
  checkCount(data.length, 'body.data');
  const n = data.length;
  const columns = emptyColumns(features, n);
  const at = features.map((f) => index.get(f.name)!);
  for (let i = 0; i < n; i++) {
    const row = data[i];
    if (!Array.isArray(row)) bad(`body.data[${i}]`, `must be an array of ${names.length} values, got ${describe(row)}`);
    if (row.length !== names.length) bad(`body.data[${i}]`, `has ${row.length} values but there are ${names.length} columns`);
    for (let j = 0; j < features.length; j++) {
      const f = features[j];
      const k = at[j];
      place(f, columns[f.name], i, row[k], `body.data[${i}][${k}]`, imputes);
    }
  }
  return { rows: n, columns, inputs: { columns: names as string[], data: data as unknown[][] }, eventTimes: eventTimesOf(body, n) };
}
