// The predict answer serialised from the column-wise outcome is the JSON of its object form.
import { describe, expect, it } from 'vitest';
import { predictionsOf } from '../services/serving/predict.service.js';
import { predictJson } from './predict-json.js';

describe('predictJson', () => {
  it('writes the same JSON as the object form, names and labels escaped, non-finite numbers as null', () => {
    const outcome = {
      deployment: 'weather "prod"',
      model: 'wéather',
      model_version: 2,
      classes: ['rain', 'sun "x"', 'snow'],
      ids: ['0190a0b0-0000-7000-8000-000000000001', '0190a0b0-0000-7000-8000-000000000002'],
      labels: ['sun "x"', 'rain'],
      probabilities: Float32Array.from([0.1, 0.7, 0.2, Number.NaN, 0.5, 0.5]),
    };
    const text = predictJson(outcome).toString('utf8');
    const want = { deployment: outcome.deployment, model: outcome.model, model_version: 2, predictions: predictionsOf(outcome) };
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(want)));
    expect(JSON.parse(text).predictions[1].probabilities.rain).toBeNull();
    expect(predictJson({ ...outcome, ids: [], labels: [], probabilities: new Float32Array(0) }).toString('utf8')).toBe('{"deployment":"weather \\"prod\\"","model":"wéather","model_version":2,"predictions":[]}');
  });

  it('writes a batch of many pieces whole', () => {
    const n = 2_000;
    const outcome = {
      deployment: 'd',
      model: 'm',
      model_version: 1,
      classes: ['no', 'yës'],
      ids: Array.from({ length: n }, (_, i) => `id-${i}`),
      labels: Array.from({ length: n }, (_, i) => (i % 3 ? 'yës' : 'no')),
      probabilities: Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 ? 0.75 : 0.25)),
    };
    const parsed = JSON.parse(predictJson(outcome).toString('utf8'));
    expect(parsed.predictions).toEqual(predictionsOf(outcome).map((p) => JSON.parse(JSON.stringify(p))));
    // Rows after the first piece much longer than those in it: the buffer grows.
    const growing = { ...outcome, labels: outcome.labels.map((l, i) => (i < 64 ? 'no' : `${l}-${'long label '.repeat(20)}`)) };
    const grown = JSON.parse(predictJson(growing).toString('utf8'));
    expect(grown.predictions).toEqual(predictionsOf(growing).map((p) => JSON.parse(JSON.stringify(p))));
  });
});

describe('predictJson for a regression model', () => {
  it('answers { id, value } per row, with the float32 digits and null for a value that is not finite', () => {
    const outcome = {
      deployment: 'temps',
      model: 'temps',
      model_version: 1,
      classes: [],
      ids: ['a', 'b', 'c'],
      labels: ['10.9', '-2.5', 'NaN'],
      probabilities: new Float32Array(0),
      values: Float32Array.of(10.9, -2.5, Number.NaN),
    };
    const text = predictJson(outcome).toString('utf8');
    expect(JSON.parse(text)).toEqual({ deployment: 'temps', model: 'temps', model_version: 1, predictions: predictionsOf(outcome) });
    expect(text).toBe('{"deployment":"temps","model":"temps","model_version":1,"predictions":[{"id":"a","value":10.9},{"id":"b","value":-2.5},{"id":"c","value":null}]}');
  });
});
