// NDJSON lines of the prediction log. A column-wise batch of predictions (one request) is one
// line holding lists, which the roller unnests into one row per prediction (segment-roller.ts):
//   {"ids":[…],"labels":[…],"classes":[…],"probs":[[p, …], …],"values":[…]?,"event_times":[…]?,
//    "input_columns":[…]?,"input_list":[rows as sent],"project_id":…,"deployment_id":…, …}
// `values` holds a regression model's predicted values (its `labels` are their texts, `classes`
// and each row's `probs` empty).
// `input_list` is the request's `rows` array (objects) or, with `input_columns`, its `data` array
// (arrays of values in the order of the columns), written as the text received when known, so
// the caller's numbers are not formatted again. A single PredictionRecord stays one plain line.
import type { PredictionBatch } from '../../domain/serving.js';

/** A finite number as JSON; NaN and ±Infinity become null (as JSON.stringify writes them). */
const num = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

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
  let probs = '';
  for (let i = 0; i < n; i++) {
    let row = i === 0 ? '[' : ',[';
    for (let k = 0; k < c; k++) row += (k === 0 ? '' : ',') + num(p[i * c + k]);
    probs += `${row}]`;
  }
  const inputs = batch.inputs;
  let list = inputs.json ?? JSON.stringify('rows' in inputs ? inputs.rows : inputs.data);
  // Text as received may be spread over lines; outside strings (where JSON allows no raw line
  // breaks) a line break is only white space, so a space keeps the value and the line whole.
  if (list.includes('\n') || list.includes('\r')) list = list.replace(/[\r\n]/g, ' ');
  // Ids are the server's UUIDv7 strings: nothing in them needs escaping.
  return (
    `{"ids":["${batch.ids.join('","')}"],"labels":[${labels.join(',')}],"classes":${JSON.stringify(batch.classes)},"probs":[${probs}]` +
    (batch.values ? `,"values":[${Array.from(batch.values, num).join(',')}]` : '') +
    (batch.event_times ? `,"event_times":${JSON.stringify(batch.event_times)}` : '') +
    ('columns' in inputs ? `,"input_columns":${JSON.stringify(inputs.columns)}` : '') +
    `,"input_list":${list}` +
    `,"project_id":${JSON.stringify(batch.project_id)},"deployment_id":${JSON.stringify(batch.deployment_id)},"deployment":${JSON.stringify(batch.deployment)}` +
    `,"model_version_id":${JSON.stringify(batch.model_version_id)},"model_version":${num(batch.model_version)},"latency_ms":${num(batch.latency_ms)}` +
    `,"received_at":${num(batch.received_at)}${batch.shadow ? ',"shadow":true' : ''}}\n`
  );
}
