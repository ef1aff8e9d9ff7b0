// The predict endpoint's answer, serialised straight from the column-wise outcome into bytes: the
// same JSON as `JSON.stringify({ deployment, model, model_version, predictions: [{ id, label,
// probabilities }] })` (a regression model's predictions: `[{ id, value }]`; the contract's
// response shape), without building an object per row or validating the response again (every
// part of it is made by the server). It is written in pieces of some thousands of characters, not
// as one string: a 1,000-row answer is ~128 KB, and a string that large is allocated on fresh
// memory pages every time.
import type { PredictOutcome } from '../services/serving/predict.service.js';
import { valueText } from '../services/serving/regression-values.js';

/** A finite number as JSON; NaN and ±Infinity become null, as JSON.stringify writes them. */
const num = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

/** Rows per text piece (~100 characters each). */
const PIECE_ROWS = 64;

/**
 * `head`, then `row(i)` for each of `n` rows joined by commas, then `]}`, as one buffer. Each piece
 * is written as soon as it is made, so at most one small piece is alive when the young
 * generation is collected; the buffer is sized from the first piece's bytes a row (grown if
 * later rows are longer).
 */
function answerBytes(head: string, n: number, row: (i: number) => string): Buffer {
  let out: Buffer | undefined;
  let at = 0;
  const put = (piece: string, rowsSoFar: number) => {
    const bytes = Buffer.byteLength(piece);
    if (!out) {
      const headBytes = Buffer.byteLength(head);
      out = Buffer.allocUnsafe(headBytes + Math.ceil((bytes / Math.max(1, rowsSoFar)) * n * 1.05) + 16);
      at = out.write(head, 0);
    }
    if (at + bytes > out.length) {
      const grown = Buffer.allocUnsafe(Math.max(at + bytes, Math.ceil(1.25 * out.length)));
      out.copy(grown, 0, 0, at);
      out = grown;
    }
    at += out.write(piece, at);
  };
  let piece = '';
  for (let i = 0; i < n; i++) {
    piece += i === 0 ? row(i) : `,${row(i)}`;
    if ((i + 1) % PIECE_ROWS === 0) {
      put(piece, i + 1);
      piece = '';
    }
  }
  put(`${piece}]}`, n);
  return out!.subarray(0, at);
}

type Outcome = Omit<PredictOutcome, 'route' | 'task' | 'values'> & { values?: PredictOutcome['values'] };

export function predictJson(o: Outcome): Buffer {
  const head = `{"deployment":${JSON.stringify(o.deployment)},"model":${JSON.stringify(o.model)},"model_version":${num(o.model_version)},"predictions":[`;
  const values = o.values;
  if (values) {
    // A regression model's answer: `{"id": …, "value": …}` per row (null for a value that is not finite).
    const float32 = values instanceof Float32Array;
    return answerBytes(head, o.ids.length, (i) => {
      const v = values[i];
      return `{"id":"${o.ids[i]}","value":${Number.isFinite(v) ? valueText(v, float32) : 'null'}}`;
    });
  }
  const c = o.classes.length;
  const keys = o.classes.map((name, k) => `${k === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  const labels = new Map<string, string>();
  const p = o.probabilities;
  return answerBytes(head, o.ids.length, (i) => {
    const label = o.labels[i];
    let lj = labels.get(label);
    if (lj === undefined) labels.set(label, (lj = JSON.stringify(label)));
    let probs = c === 0 ? '{' : '';
    for (let k = 0; k < c; k++) probs += keys[k] + num(p[i * c + k]);
    // Ids are the server's UUIDv7 strings: nothing in them needs escaping.
    return `{"id":"${o.ids[i]}","label":${lj},"probabilities":${probs}}}`;
  });
}
