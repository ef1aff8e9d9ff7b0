// Parsing predict bodies into model input columns: both request forms, null numerics fed as NaN
// only to models that impute them, and the 400s naming fields.
import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../domain/serving.js';
import { parsePredictBody } from './predict-input.js';

const FEATURES: FeatureSpec[] = [
  { name: 'temp_max', kind: 'numeric' },
  { name: 'city', kind: 'categorical' },
];

describe('parsePredictBody', () => {
  it('builds float and string columns from rows, keeping each row as its logged inputs', () => {
    const b = parsePredictBody({ rows: [{ temp_max: 1.5, city: 'a', extra: true }, { temp_max: -2, city: 7 }] }, FEATURES);
    expect(b.rows).toBe(2);
    expect(b.columns.temp_max).toEqual(new Float32Array([1.5, -2]));
    expect(b.columns.city).toEqual(['a', '7']);
    expect(b.inputs).toEqual({ rows: [{ temp_max: 1.5, city: 'a', extra: true }, { temp_max: -2, city: 7 }] });
    expect(b.eventTimes).toBeNull();
  });

  it('accepts columns + data in any order, with event times', () => {
    const b = parsePredictBody({ columns: ['city', 'temp_max'], data: [['x', 3]], event_times: [1700000000000.4] }, FEATURES);
    expect(b.columns.temp_max).toEqual(new Float32Array([3]));
    expect(b.inputs).toEqual({ columns: ['city', 'temp_max'], data: [['x', 3]] });
    expect(b.eventTimes).toEqual([1700000000000]);
  });

  it('feeds a null numeric value as NaN when the model imputes missing values, in both forms', () => {
    const rows = parsePredictBody({ rows: [{ temp_max: null, city: 'a' }, { temp_max: 2, city: 'b' }] }, FEATURES, { imputesMissing: true });
    expect(Number.isNaN(rows.columns.temp_max[0])).toBe(true);
    expect(rows.columns.temp_max[1]).toBe(2);
    expect(rows.inputs).toEqual({ rows: [{ temp_max: null, city: 'a' }, { temp_max: 2, city: 'b' }] });
    const cols = parsePredictBody({ columns: ['city', 'temp_max'], data: [['a', null]] }, FEATURES, { imputesMissing: true });
    expect(Number.isNaN(cols.columns.temp_max[0])).toBe(true);
  });

  it.each([
    [{ rows: [{ city: 'a' }] }, 'a left-out feature'],
    [{ rows: [{ temp_max: 'NaN', city: 'a' }] }, 'a string'],
    [{ rows: [{ temp_max: 1, city: null }] }, 'a null category'],
  ])('still refuses %j (%s) from a model that imputes', (body, _what) => {
    expect(() => parsePredictBody(body as never, FEATURES, { imputesMissing: true })).toThrow(/body\.rows\[0\]/);
  });

  it.each([
    [{ rows: [{ city: 'a' }] }, 'body.rows[0].temp_max', /is missing/],
    [{ rows: [{ temp_max: '3', city: 'a' }] }, 'body.rows[0].temp_max', /must be a number/],
    [{ rows: [{ temp_max: Number.NaN, city: 'a' }] }, 'body.rows[0].temp_max', /must be a number/],
    [{ rows: [{ temp_max: 1, city: null }] }, 'body.rows[0].city', /must be a string.*got null/],
    [{ rows: [{ temp_max: null, city: 'a' }] }, 'body.rows[0].temp_max', /got null: this model does not impute missing values/],
    [{ columns: ['temp_max', 'city'], data: [[null, 'a']] }, 'body.data[0][0]', /got null: this model does not impute/],
    [[{ temp_max: 1, city: 'a' }], 'body', /must be a JSON object, got an array/],
    [{ columns: ['temp_max'], data: [[1]] }, 'body.columns', /lacks feature 'city'/],
    [{ columns: ['temp_max', 'temp_max'], data: [[1, 1]] }, 'body.columns', /twice/],
    [{ columns: ['temp_max', 'city'], data: [[1]] }, 'body.data[0]', /has 1 values/],
    [{ rows: [{ temp_max: 1, city: 'a' }], event_times: 'now' }, 'body.event_times', /array/],
  ])('rejects %j naming %s', (body, field, message) => {
    try {
      parsePredictBody(body as never, FEATURES);
      expect.unreachable();
    } catch (err) {
      expect((err as { details: { field: string } }).details.field).toBe(field);
      expect((err as Error).message).toMatch(message);
    }
  });
});
