// The predict endpoint's answer, serialised straight from the column-wise outcome: the same JSON
// as `JSON.stringify({ deployment, model, model_version, predictions: [{ id, label,
// probabilities }] })` (a regression model's predictions: `[{ id, value }]`; the contract's
// response shape), without building an object per row or validating the response again (every
// part of it is made by the server).
import type { PredictOutcome } from '../services/serving/predict.service.js';
import { valueText } from '../services/serving/regression-values.js';

/** A finite number as JSON; NaN and ±Infinity become null, as JSON.stringify writes them. */
const num = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

/** A regression model's answer: `{"id": …, "value": …}` per row (null for a value that is not finite). */
function valuesJson(head: string, o: Pick<PredictOutcome, 'ids'>, values: Float32Array | Float64Array): string {
  const float32 = values instanceof Float32Array;
  let out = head;
  for (let i = 0; i < o.ids.length; i++) {
    const v = values[i];
    out += `${i === 0 ? '' : ','}{"id":"${o.ids[i]}","value":${Number.isFinite(v) ? valueText(v, float32) : 'null'}}`;
  }
  return `${out}]}`;
}

export function predictJson(o: Omit<PredictOutcome, 'route' | 'task' | 'values'> & { values?: PredictOutcome['values'] }): string {
  if (o.values) return valuesJson(`{"deployment":${JSON.stringify(o.deployment)},"model":${JSON.stringify(o.model)},"model_version":${num(o.model_version)},"predictions":[`, o, o.values);
  const c = o.classes.length;
  const keys = o.classes.map((name, k) => `${k === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  const labels = new Map<string, string>();
  const p = o.probabilities;
  let out = `{"deployment":${JSON.stringify(o.deployment)},"model":${JSON.stringify(o.model)},"model_version":${num(o.model_version)},"predictions":[`;
  for (let i = 0; i < o.ids.length; i++) {
    const label = o.labels[i];
    let lj = labels.get(label);
    if (lj === undefined) labels.set(label, (lj = JSON.stringify(label)));
    let probs = c === 0 ? '{' : '';
    for (let k = 0; k < c; k++) probs += keys[k] + num(p[i * c + k]);
    // Ids are the server's UUIDv7 strings: nothing in them needs escaping.
    out += `${i === 0 ? '' : ','}{"id":"${o.ids[i]}","label":${lj},"probabilities":${probs}}}`;
  }
  return `${out}]}`;
}
