// Softmax regression: the gradient is right, the fit on seattle-weather converges deterministically
// and quickly, bad input is rejected, and the JSON form round-trips.
import { describe, expect, it } from 'vitest';
import { accuracy } from '../stats/classification-metrics.js';
import { loadSeattleWeather } from '../../test/fixtures/ml/seattle-weather.js';
import type { Columns, FeatureSpec } from './feature-spec.js';
import { fitLogisticRegression, LogisticModel } from './logistic-regression.js';
import { softmaxObjective } from './softmax-objective.js';

const SEATTLE_FEATURES: FeatureSpec[] = [
  { name: 'precipitation', kind: 'numeric' },
  { name: 'temp_max', kind: 'numeric' },
  { name: 'temp_min', kind: 'numeric' },
  { name: 'wind', kind: 'numeric' },
  { name: 'month', kind: 'categorical' },
];

describe('softmaxObjective', () => {
  it('has the gradient of its value (central differences)', () => {
    const X = Float64Array.of(0.5, -1, 2, 0.3, -0.7, 1.1, 0, 0.2, 1.5, -2, 0.1, 0.4);
    const y = Int32Array.of(0, 2, 1, 2);
    const f = softmaxObjective(X, 4, 3, y, 3, 0.7);
    const theta = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
    const g = new Float64Array(12);
    f(theta, g);
    const h = 1e-6;
    for (let i = 0; i < 12; i++) {
      const tp = Float64Array.from(theta);
      const tm = Float64Array.from(theta);
      tp[i] += h;
      tm[i] -= h;
      const numeric = (f(tp, new Float64Array(12)) - f(tm, new Float64Array(12))) / (2 * h);
      expect(g[i]).toBeCloseTo(numeric, 7);
    }
  });
});

describe('fitLogisticRegression on seattle-weather', () => {
  const sw = loadSeattleWeather();
  const table = { features: SEATTLE_FEATURES, columns: sw as unknown as Columns, target: sw.weather };

  it('converges, predicts better than the majority class, and is deterministic', () => {
    const started = performance.now();
    const model = fitLogisticRegression(table);
    const ms = performance.now() - started;
    console.info(
      `seattle-weather fit: ${sw.weather.length} rows × ${model.preprocessor.width} design columns × ${model.classes.length} classes in ${ms.toFixed(1)} ms ` +
        `(${model.training.iterations} iterations, ${model.training.evaluations} evaluations, ${model.training.reason}, mean loss ${model.training.meanLoss.toFixed(6)})`,
    );
    expect(model.training).toMatchObject({ converged: true, rows: 1461, l2: 1 });
    expect(model.training.gradientNorm).toBeLessThanOrEqual(1e-6);
    expect(model.preprocessor.columnNames.slice(0, 5)).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind', 'month=01']);
    const labels = model.predict(sw as unknown as Columns);
    const majority = sw.weather.filter((w) => w === 'sun').length / sw.weather.length; // 'sun' ≈ 0.44
    expect(accuracy(sw.weather, labels)).toBeGreaterThan(majority + 0.3);
    const again = fitLogisticRegression(table);
    expect(again.coefficients).toEqual(model.coefficients);
    expect(again.intercepts).toEqual(model.intercepts);
    expect(model.intercepts.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(ms).toBeLessThan(5000);
  });

  it('reports max_iter when the iteration cap is hit', () => {
    const model = fitLogisticRegression(table, { maxIter: 5 });
    expect(model.training).toMatchObject({ converged: false, reason: 'max_iter', iterations: 5 });
  });

  it('shrinks the weights as l2 grows', () => {
    const norm = (m: LogisticModel) => Math.hypot(...m.coefficients);
    expect(norm(fitLogisticRegression(table, { l2: 100 }))).toBeLessThan(norm(fitLogisticRegression(table, { l2: 0.01 })));
  });

  it('round-trips through JSON and rejects a document that is not a model', () => {
    const model = fitLogisticRegression(table, { tol: 1e-4 });
    const back = LogisticModel.fromJSON(JSON.stringify(model));
    expect(back.toJSON()).toEqual(model.toJSON());
    expect(back.predictProba(sw as unknown as Columns)).toEqual(model.predictProba(sw as unknown as Columns));
    expect(() => LogisticModel.fromJSON({ format: 'other' })).toThrow(/not a logistic regression model/);
    const broken = model.toJSON();
    broken.coefficients[0] = broken.coefficients[0].slice(1);
    expect(() => LogisticModel.fromJSON(broken)).toThrow(/coefficients/);
  });
});

describe('fitLogisticRegression input checks', () => {
  const features: FeatureSpec[] = [{ name: 'x', kind: 'numeric' }];
  it('needs two classes, complete targets and matching rows', () => {
    expect(() => fitLogisticRegression({ features, columns: { x: [1, 2] }, target: ['a', 'a'] })).toThrow(/at least two are needed/);
    expect(() => fitLogisticRegression({ features, columns: { x: [1, 2] }, target: ['a', null] })).toThrow(/missing at row 1/);
    expect(() => fitLogisticRegression({ features, columns: { x: [1, 2, 3] }, target: ['a', 'b'] })).toThrow(/3 rows but the target has 2/);
    expect(() => fitLogisticRegression({ features, columns: { x: [1, 2] }, target: ['a', 'b'] }, { l2: -1 })).toThrow(/l2/);
    expect(() => fitLogisticRegression({ features: [{ name: 'c', kind: 'categorical' }], columns: { c: [null, ''] }, target: ['a', 'b'] })).toThrow(/no usable feature/);
  });
  it('fits a tiny separable problem and predicts the documented example', () => {
    const model = fitLogisticRegression(
      {
        features: [{ name: 'temp_max', kind: 'numeric' }, { name: 'month', kind: 'categorical' }],
        columns: { temp_max: Float64Array.of(12.8, 10.6, 25.1, 30.2), month: ['01', '01', '07', '07'] },
        target: ['rain', 'rain', 'sun', 'sun'],
      },
      { l2: 1 },
    );
    expect(model.predictProba({ temp_max: [28], month: ['07'] }).labels).toEqual(['sun']);
  });
});
