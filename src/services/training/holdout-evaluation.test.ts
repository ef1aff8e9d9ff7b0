import { describe, expect, it } from 'vitest';
import { classifierMetrics, completeRows, featureColumn, sliceKeys, sliceValues } from './holdout-evaluation.js';

const actual = ['a', 'a', 'b', 'b'];
const out = { labels: ['a', 'b', 'b', 'b'], probabilities: [0.9, 0.1, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8], classes: ['a', 'b'] };

describe('classifierMetrics', () => {
  it('names metrics as training does and adds log loss, AUC and ECE', () => {
    const m = classifierMetrics(actual, out);
    expect(m.accuracy).toBe(0.75);
    expect(m['f1.a']).toBeCloseTo(2 / 3, 12);
    expect(m['f1.b']).toBeCloseTo(0.8, 12);
    expect(m.macro_f1).toBeCloseTo((2 / 3 + 0.8) / 2, 12);
    expect(m.auc).toBe(1); // every b scores above every a
    expect(m.log_loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.4) + Math.log(0.7) + Math.log(0.8)) / 4, 12);
    expect(m.ece).toBeGreaterThan(0);
  });

  it('leaves out a metric that is undefined on the rows (AUC with one class present)', () => {
    const m = classifierMetrics(['a', 'a'], { labels: ['a', 'b'], probabilities: [0.9, 0.1, 0.4, 0.6], classes: ['a', 'b'] });
    expect(m.accuracy).toBe(0.5);
    expect(m.auc).toBeUndefined();
    expect(classifierMetrics([], out)).toEqual({});
  });
});

describe('slices and columns', () => {
  it('measures a metric per value of a column, missing values as one slice', () => {
    const keys = sliceKeys(['n', 'n', null, 's']);
    expect(sliceValues(keys, actual, out, 'accuracy')).toEqual([
      { slice: 'n', n: 2, value: 0.5 },
      { slice: 's', n: 1, value: 1 },
      { slice: null, n: 1, value: 1 },
    ]);
    expect(sliceKeys(Float64Array.from([1, NaN]))).toEqual(['1', null]);
  });

  it('keeps rows whose numeric features are complete, and shapes columns for the runtime', () => {
    const columns = { x: Float64Array.from([1, NaN, 3]), c: ['u', null, 'v'] };
    expect(Array.from(completeRows(columns, [{ name: 'x', kind: 'numeric' }, { name: 'c', kind: 'categorical' }], 3))).toEqual([1, 0, 1]);
    expect(featureColumn(columns.x, 'numeric', [0, 2])).toEqual(Float32Array.from([1, 3]));
    expect(featureColumn(columns.c, 'categorical', [1, 2])).toEqual(['', 'v']);
  });
});
