// The columns of a logged prediction, as DuckDB reads them from the open NDJSON segments and
// as they are stored in the rolled Parquet files: inputs and probabilities as JSON text; `shadow`
// true for a shadow model's outputs; `input_columns` (a JSON array of names) when the request
// sent `{columns, data}`, whose rows' inputs are then kept as the JSON array of values sent, in
// that order (building an object per row made rolling twice as slow; the reader zips them).
// Columns a segment rolled before they existed lack read as NULL. A line is one prediction, or
// a batch of them in lists (record-lines.ts), unnested here into one row each; a batch line
// carries each row's inputs and probabilities as ready JSON texts (`input_rows`, `prob_texts`),
// or, written by an earlier version, as JSON values (`input_list`, `probs`) turned into text here.
// `value` is a regression model's predicted value (NULL for a classifier's prediction).

/** read_json's `columns` argument for the NDJSON lines the writer appends. */
export const NDJSON_COLUMNS =
  "{id: 'VARCHAR', project_id: 'VARCHAR', deployment_id: 'VARCHAR', deployment: 'VARCHAR', " +
  "model_version_id: 'VARCHAR', model_version: 'INTEGER', inputs: 'JSON', label: 'VARCHAR', " +
  "probabilities: 'JSON', latency_ms: 'DOUBLE', event_time: 'BIGINT', received_at: 'BIGINT', shadow: 'BOOLEAN', " +
  "ids: 'VARCHAR[]', labels: 'VARCHAR[]', classes: 'VARCHAR[]', probs: 'DOUBLE[][]', event_times: 'BIGINT[]', " +
  "input_columns: 'VARCHAR[]', input_rows: 'VARCHAR[]', prob_texts: 'VARCHAR[]', input_list: 'JSON[]', value: 'DOUBLE', \"values\": 'DOUBLE[]'}";

/** The Parquet columns of single-prediction lines, in order. */
export const PARQUET_SELECT =
  'id, project_id, deployment_id, deployment, model_version_id, model_version, ' +
  'inputs::VARCHAR AS inputs, label, probabilities::VARCHAR AS probabilities, latency_ms, event_time, received_at, ' +
  'coalesce(shadow, false) AS shadow, NULL::VARCHAR AS input_columns, value';

/** One row per prediction of the batch lines of `table` (their lists unnested side by side; the column names' JSON made once a line, in a subquery: beside the unnests it was made once a row). */
export const BATCH_ROWS = (table: string) => `
  SELECT unnest(ids) AS id, unnest(labels) AS label,
         unnest(coalesce(prob_texts, list_transform(probs, p -> to_json(map_from_entries(list_zip(classes, p)))::VARCHAR))) AS prob_text,
         unnest(coalesce(input_rows, list_transform(input_list, x -> x::VARCHAR))) AS input_row, unnest("values") AS value,
         unnest(coalesce(event_times, list_transform(ids, x -> received_at))) AS event_time,
         input_columns_json, project_id, deployment_id, deployment, model_version_id, model_version, latency_ms, received_at, shadow
  FROM (SELECT *, to_json(input_columns)::VARCHAR AS input_columns_json FROM ${table}) WHERE ids IS NOT NULL`;

/** The Parquet columns of the unnested batch rows, in PARQUET_SELECT's order. */
export const BATCH_SELECT =
  'id, project_id, deployment_id, deployment, model_version_id, model_version, input_row AS inputs, ' +
  'label, prob_text AS probabilities, latency_ms, event_time, received_at, ' +
  'coalesce(shadow, false) AS shadow, input_columns_json AS input_columns, value';

/** One row per prediction of the lines of `lines` (a table or a parenthesised query), in PARQUET_SELECT's columns. */
export const PREDICTION_ROWS = (lines: string) =>
  `SELECT ${PARQUET_SELECT} FROM ${lines} WHERE ids IS NULL UNION ALL SELECT ${BATCH_SELECT} FROM (${BATCH_ROWS(lines)})`;

/**
 * Per project and deployment of the lines of `table`: the predictions (n) and the lowest and
 * highest event time (lo, hi) of PREDICTION_ROWS, from the lines themselves (no row unnested).
 */
export const LINE_GROUPS = (table: string) => `
  SELECT project_id, deployment_id, sum(n)::BIGINT AS n, min(lo) AS lo, max(hi) AS hi FROM (
    SELECT project_id, deployment_id,
           CASE WHEN ids IS NULL THEN 1 ELSE len(ids) END AS n,
           CASE WHEN ids IS NULL THEN event_time WHEN event_times IS NULL THEN received_at ELSE list_min(event_times) END AS lo,
           CASE WHEN ids IS NULL THEN event_time WHEN event_times IS NULL THEN received_at ELSE list_max(event_times) END AS hi
    FROM ${table})
  GROUP BY ALL ORDER BY ALL`;

/** A logged row's inputs as an object: the object sent, or the values sent zipped with their column names. */
export function inputsObject(inputs: string, inputColumns: string | null | undefined): Record<string, unknown> {
  const value = JSON.parse(inputs) as unknown;
  if (inputColumns === null || inputColumns === undefined || !Array.isArray(value)) return value as Record<string, unknown>;
  const names = JSON.parse(inputColumns) as string[];
  const out: Record<string, unknown> = {};
  names.forEach((name, k) => Object.defineProperty(out, name, { value: value[k], enumerable: true, writable: true, configurable: true }));
  return out;
}
