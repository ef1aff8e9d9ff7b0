// MLflow scoring protocol inputs → Flywheel predict bodies. Accepted, as `mlflow models serve`:
//   {"dataframe_split": {"columns": [...], "data": [[...], ...]}}   (columns optional: model feature order)
//   {"dataframe_records": [{...}, ...]}
//   {"instances": [...]} / {"inputs": [...]}   records, or lists of values in the model's feature order
//   {"instances": {...}} / {"inputs": {...}}   a dict of columns (arrays of equal length), or of scalars (one row)
//   text/csv with a header row
// `params` beside the input is ignored. `rename` maps the predict body's field names in error
// messages back to the names the caller sent (e.g. body.rows → dataframe_records).
import { ValidationError } from '../../domain/errors.js';
import type { FeatureSpec } from '../../domain/serving.js';
import type { PredictBody } from '../../services/serving/predict-input.js';
import { parseCsv } from './csv-table.js';

export interface ScoringInput {
  body: PredictBody;
  rename: Array<[string, string]>;
}

export const INPUT_FIELDS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(field: string, message: string): never {
  throw new ValidationError(`${field} ${message}`, { field });
}

function featureOrder(features: FeatureSpec[]): string[] {
  return features.map((f) => f.name);
}

/** A list of records, or of value lists in the model's feature order. */
function fromList(list: unknown[], field: string, features: FeatureSpec[]): ScoringInput {
  if (list.length > 0 && list.every(isPlainObject)) return { body: { rows: list }, rename: [['body.rows', field]] };
  if (list.length > 0 && list.every(Array.isArray)) {
    return { body: { columns: featureOrder(features), data: list }, rename: [['body.data', field], ['body.columns', `${field} (values in feature order)`]] };
  }
  if (list.length === 0) bad(field, 'is empty: send at least one row');
  return bad(field, `must be a list of records (objects) or of value lists in the model's feature order (${featureOrder(features).join(', ')}), not a mix or scalars`);
}

/** A dict of columns: {"temp_max": [12.2, 8.1], …} (or of scalars for a single row). */
function fromColumns(dict: Record<string, unknown>, field: string): ScoringInput {
  const names = Object.keys(dict);
  if (names.length === 0) bad(field, 'is an empty object: send one column per feature');
  const values = names.map((n) => dict[n]);
  if (values.every((v) => !Array.isArray(v))) return { body: { rows: [dict] }, rename: [['body.rows[0]', field], ['body.rows', field]] };
  const n = (values[0] as unknown[] | undefined)?.length;
  names.forEach((name, k) => {
    const v = values[k];
    if (!Array.isArray(v)) bad(`${field}.${name}`, 'must be an array of values, as the other columns are');
    if (v.length !== n) bad(`${field}.${name}`, `has ${v.length} values but ${field}.${names[0]} has ${n}`);
  });
  const data = Array.from({ length: n ?? 0 }, (_, i) => values.map((v) => (v as unknown[])[i]));
  return { body: { columns: names, data }, rename: [['body.data', `${field} (rows)`], ['body.columns', field]] };
}

/** Convert an MLflow scoring JSON payload; a 400 naming the problem when it has no accepted form. */
export function scoringJsonInput(payload: unknown, features: FeatureSpec[]): ScoringInput {
  if (!isPlainObject(payload)) bad('body', `must be a JSON object with exactly one of the fields ${INPUT_FIELDS.join(', ')}`);
  const given = INPUT_FIELDS.filter((k) => payload[k] !== undefined);
  if (given.length !== 1) {
    bad('body', `must have exactly one of the input fields ${INPUT_FIELDS.join(', ')}; received the fields ${JSON.stringify(Object.keys(payload))}`);
  }
  const field = given[0];
  const value = payload[field];
  switch (field) {
    case 'dataframe_split': {
      if (!isPlainObject(value)) bad(field, 'must be an object {"columns": [...], "data": [[...], ...]}');
      const columns = value.columns ?? featureOrder(features);
      return {
        body: { columns: columns as unknown[], data: value.data as unknown[] },
        rename: [['body.columns', `${field}.columns`], ['body.data', `${field}.data`], ['body.rows', field]],
      };
    }
    case 'dataframe_records':
      if (!Array.isArray(value)) bad(field, 'must be a list of records (objects)');
      if (value.length > 0 && !value.every(isPlainObject)) bad(field, 'must be a list of records (objects)');
      return { body: { rows: value }, rename: [['body.rows', field]] };
    default:
      if (Array.isArray(value)) return fromList(value, field, features);
      if (isPlainObject(value)) return fromColumns(value, field);
      return bad(field, 'must be a list of records, a list of value lists, or a dict of columns');
  }
}

/** Convert a text/csv body: numeric features' cells become numbers (a cell that is no number is kept and refused by validation). */
export function scoringCsvInput(text: string, features: FeatureSpec[]): ScoringInput {
  const { header, rows } = parseCsv(text);
  const numeric = header.map((h) => features.some((f) => f.name === h && f.kind === 'numeric'));
  const data = rows.map((r) =>
    r.map((cell, k) => {
      if (!numeric[k]) return cell;
      const t = cell.trim();
      const x = t === '' ? NaN : Number(t);
      return Number.isFinite(x) ? x : cell;
    }),
  );
  return { body: { columns: header, data }, rename: [['body.columns', 'csv header'], ['body.data', 'csv rows']] };
}

/** Re-raise a predict validation error with the caller's field names. */
export function renameFields(err: unknown, rename: Array<[string, string]>): unknown {
  if (!(err instanceof ValidationError)) return err;
  const swap = (s: string) => {
    for (const [from, to] of rename) if (s.startsWith(from)) return to + s.slice(from.length);
    return s;
  };
  const field = typeof err.details?.field === 'string' ? err.details.field : undefined;
  if (!field || !err.message.startsWith(field)) return err;
  return new ValidationError(swap(field) + err.message.slice(field.length), { ...err.details, field: swap(field) });
}
