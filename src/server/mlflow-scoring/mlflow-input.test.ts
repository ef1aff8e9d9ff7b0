import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../domain/serving.js';
import { parsePredictBody } from '../../services/serving/predict-input.js';
import { renameFields, scoringCsvInput, scoringJsonInput } from './mlflow-input.js';

const FEATURES: FeatureSpec[] = [
  { name: 'temp', kind: 'numeric' },
  { name: 'station', kind: 'categorical' },
];
const ROWS = [
  { temp: 1.5, station: 'north' },
  { temp: -2, station: 'south' },
];

/** The model's input columns for a payload, as the predict service would build them. */
function columnsOf(payload: unknown) {
  const { body } = scoringJsonInput(payload, FEATURES);
  const batch = parsePredictBody(body, FEATURES);
  return { temp: [...(batch.columns.temp as Float32Array)], station: batch.columns.station };
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('MLflow scoring inputs', () => {
  const want = { temp: [1.5, -2], station: ['north', 'south'] };

  it('reads every accepted JSON form into the same model columns', () => {
    expect(columnsOf({ dataframe_split: { columns: ['station', 'temp'], data: [['north', 1.5], ['south', -2]] } })).toEqual(want);
    expect(columnsOf({ dataframe_split: { data: [[1.5, 'north'], [-2, 'south']] } })).toEqual(want);
    expect(columnsOf({ dataframe_records: ROWS })).toEqual(want);
    expect(columnsOf({ instances: ROWS })).toEqual(want);
    expect(columnsOf({ instances: [[1.5, 'north'], [-2, 'south']] })).toEqual(want);
    expect(columnsOf({ inputs: { temp: [1.5, -2], station: ['north', 'south'] } })).toEqual(want);
    expect(columnsOf({ inputs: ROWS, params: { anything: 1 } })).toEqual(want);
    expect(columnsOf({ inputs: { temp: 1.5, station: 'north' } })).toEqual({ temp: [1.5], station: ['north'] });
  });

  it('reads CSV, turning numeric features into numbers and keeping other columns as text', () => {
    const { body } = scoringCsvInput('station,temp,note\nnorth,1.5,a\r\nsouth,-2,"b, c"\n', FEATURES);
    expect(body.data).toEqual([['north', 1.5, 'a'], ['south', -2, 'b, c']]);
    expect(parsePredictBody(body, FEATURES).inputs).toEqual({ columns: ['station', 'temp', 'note'], data: [['north', 1.5, 'a'], ['south', -2, 'b, c']] });
  });

  it('refuses payloads with no accepted form, or several, naming the fields', () => {
    expect(errorOf(() => scoringJsonInput({ rows: ROWS }, FEATURES))).toMatch(/exactly one of the input fields dataframe_split, dataframe_records, instances, inputs; received the fields \["rows"\]/);
    expect(errorOf(() => scoringJsonInput({ instances: ROWS, inputs: ROWS }, FEATURES))).toMatch(/exactly one/);
    expect(errorOf(() => scoringJsonInput([1], FEATURES))).toMatch(/must be a JSON object/);
    expect(errorOf(() => scoringJsonInput({ instances: [1, 2] }, FEATURES))).toMatch(/instances must be a list of records/);
    expect(errorOf(() => scoringJsonInput({ inputs: { temp: [1, 2], station: ['x'] } }, FEATURES))).toMatch(/inputs\.station has 1 values but inputs\.temp has 2/);
    expect(errorOf(() => scoringJsonInput({ dataframe_records: [[1, 'x']] }, FEATURES))).toMatch(/dataframe_records must be a list of records/);
  });

  it('renames the predict body fields in validation errors to the ones the caller sent', () => {
    const input = scoringJsonInput({ dataframe_records: [{ temp: 'hot', station: 'x' }] }, FEATURES);
    const message = errorOf(() => {
      try {
        parsePredictBody(input.body, FEATURES);
      } catch (e) {
        throw renameFields(e, input.rename);
      }
    });
    expect(message).toMatch(/^dataframe_records\[0\]\.temp must be a number/);
    const split = scoringJsonInput({ dataframe_split: { columns: ['temp'], data: [[1]] } }, FEATURES);
    expect(errorOf(() => {
      try {
        parsePredictBody(split.body, FEATURES);
      } catch (e) {
        throw renameFields(e, split.rename);
      }
    })).toMatch(/^dataframe_split\.columns lacks feature 'station'/);
  });
});
