// NDJSON lines of the prediction log, encoded into a LineBuffer. A column-wise batch of
// predictions (one request) is one line holding lists, which the roller unnests into one row per
// prediction (segment-roller.ts):
//   {"ids":[…],"labels":[…],"classes":[…],"prob_texts":["{\"no\":0.2,\"yes\":0.8}", …],
//    "values":[…]?,"event_times":[…]?,"input_columns":[…]?,"input_rows":["<row as JSON>", …],
//    "project_id":…,"deployment_id":…, …}
// Each row's inputs and probabilities are JSON texts inside strings, ready to store: the roller
// only cuts the lists apart, it parses no row (which was most of rolling's cost). `input_rows`
// holds the request's `rows` objects or, with `input_columns`, its `data` arrays (values in the
// order of the columns), copied byte for byte from the request when received as numbers. `values`
// holds a regression model's predicted values (its `labels` are their texts, `classes` empty and
// each row's probabilities `{}`). A single PredictionRecord stays one plain line.
import type { PredictionBatch, PredictionRecord } from '../../domain/serving.js';
import { joinedText, type LineBuffer } from './line-buffer.js';

/** A finite number as JSON; NaN and ±Infinity become null (as JSON.stringify writes them). */
const num = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

/** The rows' texts as JSON strings: copied as received when known, else serialised. */
function inputRows(out: LineBuffer, inputs: PredictionBatch['inputs']): void {
  // A received row of numbers holds nothing to escape.
  if (inputs.received) return out.quotedSpans(inputs.received.bytes, inputs.received.bounds);
  const rows: unknown[] = 'rows' in inputs ? inputs.rows : inputs.data;
  joinedText(out, rows.length, ',', (i) => JSON.stringify(JSON.stringify(rows[i])));
}

/** Append the batch as one NDJSON line (ending with a newline). */
export function writeBatchLine(out: LineBuffer, batch: PredictionBatch): void {
  const n = batch.ids.length;
  const c = batch.classes.length;
  const labelJson = new Map<string, string>();
  const label = (i: number) => {
    const l = batch.labels[i];
    let lj = labelJson.get(l);
    if (lj === undefined) labelJson.set(l, (lj = JSON.stringify(l)));
    return lj;
  };
  const p = batch.probabilities;
  // Each row's probabilities as the JSON text of an object, itself a JSON string.
  const keys = batch.classes.map((name, k) => (k === 0 ? '"{' : ',') + JSON.stringify(JSON.stringify(name)).slice(1, -1) + ':');
  const probs = (i: number) => {
    let row = c === 0 ? '"{' : '';
    for (let k = 0; k < c; k++) row += keys[k] + num(p[i * c + k]);
    return `${row}}"`;
  };
  const inputs = batch.inputs;
  // Ids are the server's UUIDv7 strings: nothing in them needs escaping.
  out.text('{"ids":["');
  joinedText(out, n, '","', (i) => batch.ids[i]);
  out.text('"],"labels":[');
  joinedText(out, n, ',', label);
  out.text(`],"classes":${JSON.stringify(batch.classes)},"prob_texts":[`);
  joinedText(out, n, ',', probs);
  out.text(']');
  const values = batch.values;
  if (values) {
    out.text(',"values":[');
    joinedText(out, values.length, ',', (i) => num(values[i]));
    out.text(']');
  }
  const times = batch.event_times;
  if (times) {
    out.text(',"event_times":[');
    joinedText(out, times.length, ',', (i) => num(times[i]));
    out.text(']');
  }
  if ('columns' in inputs) out.text(`,"input_columns":${JSON.stringify(inputs.columns)}`);
  out.text(',"input_rows":[');
  inputRows(out, inputs);
  out.text(
    `],"project_id":${JSON.stringify(batch.project_id)},"deployment_id":${JSON.stringify(batch.deployment_id)},"deployment":${JSON.stringify(batch.deployment)}` +
      `,"model_version_id":${JSON.stringify(batch.model_version_id)},"model_version":${num(batch.model_version)},"latency_ms":${num(batch.latency_ms)}` +
      `,"received_at":${num(batch.received_at)}${batch.shadow ? ',"shadow":true' : ''}}\n`,
  );
}

/** Append a single prediction as one NDJSON line. */
export function writeRecordLine(out: LineBuffer, record: PredictionRecord): void {
  out.text(`${JSON.stringify(record)}\n`);
}
