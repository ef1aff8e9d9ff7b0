// The columns of a logged prediction, as DuckDB reads them from the open NDJSON segments and
// as they are stored in the rolled Parquet files (inputs and probabilities as JSON text; `shadow`
// true for a shadow model's outputs, a column segments rolled before it existed lack).

/** read_json's `columns` argument for the NDJSON lines the writer appends. */
export const NDJSON_COLUMNS =
  "{id: 'VARCHAR', project_id: 'VARCHAR', deployment_id: 'VARCHAR', deployment: 'VARCHAR', " +
  "model_version_id: 'VARCHAR', model_version: 'INTEGER', inputs: 'JSON', label: 'VARCHAR', " +
  "probabilities: 'JSON', latency_ms: 'DOUBLE', event_time: 'BIGINT', received_at: 'BIGINT', shadow: 'BOOLEAN'}";

/** The Parquet columns, in order (inputs and probabilities become VARCHAR JSON text). */
export const PARQUET_SELECT =
  'id, project_id, deployment_id, deployment, model_version_id, model_version, ' +
  'inputs::VARCHAR AS inputs, label, probabilities::VARCHAR AS probabilities, latency_ms, event_time, received_at, ' +
  'coalesce(shadow, false) AS shadow';
