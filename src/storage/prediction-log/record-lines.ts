// NDJSON lines of the prediction log. A column-wise batch of predictions (one request) is one
// line holding lists, which the roller unnests into one row per prediction (segment-roller.ts):
//   {"ids":[…],"labels":[…],"classes":[…],"prob_texts":["{\"no\":0.2,\"yes\":0.8}", …],
//    "values":[…]?,"event_times":[…]?,"input_columns":[…]?,"input_rows":["<row as JSON>", …],
//    "project_id":…,"deployment_id":…, …}
// Each row's inputs and probabilities are JSON texts inside strings, ready to store: the roller
// only cuts the lists apart, it parses no row (which was most of rolling's cost). `input_rows`
// holds the request's `rows` objects or, with `input_columns`, its `data` arrays (values in the
// order of the columns), as the text received when known. `values` holds a regression model's
// predicted values (its `labels` are their texts, `classes` empty and each row's probabilities
// `{}`). A single PredictionRecord stays one plain line.
import type { PredictionBatch } from '../../domain/serving.js';

/** A finite number as JSON; NaN and ±Infinity become null (as JSON.stringify writes them). */
const num = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

/** Characters a JSON string must escape besides quotes and backslashes. */
const CONTROL = /[\u0000-\u001f]/;

/** Each row serialised, as a JSON string. */
function rowStrings(rows: unknown[]): string {
  return rows.map((r) => JSON.stringify(JSON.stringify(r))).join(',');
}

const ROW_BOUNDARY = /\]\s*,\s*\[/g;

/**
 * `[[1, 2], [3, 4]]` (rows of numbers: no quotes, backslashes or nested arrays; line breaks ruled
 * out by the caller) → `"[1, 2]","[3, 4]"`: the text cut at the row boundaries, each row a string.
 * Text without white space (`compact`) is cut at each `],[` by a plain search.
 */
function numericRows(text: string, compact: boolean): string {
  const inner = compact ? text.slice(1, -1) : text.trim().slice(1, -1).trim();
  if (inner === '') return '';
  return `"${compact ? inner.replaceAll('],[', ']","[') : inner.replace(ROW_BOUNDARY, ']","[')}"`;
}

/** The rows' texts as JSON strings: cut from the numeric text received when there is one, else serialised. */
function inputRows(inputs: PredictionBatch['inputs']): string {
  const text = inputs.numericRowsText;
  // Compact text has no white space, so no control character (the scan let only numbers through).
  if (text !== undefined && (inputs.numericRowsCompact === true || !CONTROL.test(text))) return numericRows(text, inputs.numericRowsCompact === true);
  return rowStrings('rows' in inputs ? inputs.rows : inputs.data);
}

/** The batch as one NDJSON line (ending with a newline). */
export function batchLine(batch: PredictionBatch): string {
  const n = batch.ids.length;
  const c = batch.classes.length;
  const labelJson = new Map<string, string>();
  const labels = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const label = batch.labels[i];
    let lj = labelJson.get(label);
    if (lj === undefined) labelJson.set(label, (lj = JSON.stringify(label)));
    labels[i] = lj;
  }
  const p = batch.probabilities;
  // Each row's probabilities as the JSON text of an object, itself a JSON string.
  const keys = batch.classes.map((name, k) => (k === 0 ? '"{' : ',') + JSON.stringify(JSON.stringify(name)).slice(1, -1) + ':');
  let probs = '';
  for (let i = 0; i < n; i++) {
    let row = i === 0 ? '' : ',';
    if (c === 0) row += '"{';
    for (let k = 0; k < c; k++) row += keys[k] + num(p[i * c + k]);
    probs += `${row}}"`;
  }
  const inputs = batch.inputs;
  const list = inputRows(inputs);
  // Ids are the server's UUIDv7 strings: nothing in them needs escaping.
  return (
    `{"ids":["${batch.ids.join('","')}"],"labels":[${labels.join(',')}],"classes":${JSON.stringify(batch.classes)},"prob_texts":[${probs}]` +
    (batch.values ? `,"values":[${Array.from(batch.values, num).join(',')}]` : '') +
    (batch.event_times ? `,"event_times":${JSON.stringify(batch.event_times)}` : '') +
    ('columns' in inputs ? `,"input_columns":${JSON.stringify(inputs.columns)}` : '') +
    `,"input_rows":[${list}]` +
    `,"project_id":${JSON.stringify(batch.project_id)},"deployment_id":${JSON.stringify(batch.deployment_id)},"deployment":${JSON.stringify(batch.deployment)}` +
    `,"model_version_id":${JSON.stringify(batch.model_version_id)},"model_version":${num(batch.model_version)},"latency_ms":${num(batch.latency_ms)}` +
    `,"received_at":${num(batch.received_at)}${batch.shadow ? ',"shadow":true' : ''}}\n`
  );
}
