// Ridge regression: the L-BFGS objective has the gradient of its value, Cholesky and L-BFGS reach
// the same minimiser, the fit is deterministic, bad input is rejected, JSON round-trips.
import { describe, expect, it } from 'vitest';
import { loadSeattleWeather } from '../../test/fixtures/ml/seattle-weather.js';
import type { Columns, FeatureSpec } from './feature-spec.js';
import { fitLinearRegression, LinearModel } from './linear-regression.js';
import { ridgeObjective, solveRidgeCholesky } from './ridge-solve.js';

const FEATURES: FeatureSpec[] = [
  { name: 'precipitation', kind: 'numeric' },
  { name: 'temp_min', kind: 'numeric' },
  { name: 'wind', kind: 'numeric' },
  { name: 'month', kind: 'categorical' },
];

describe('ridge solvers', () => {
  it('ridgeObjective has the gradient of its value (central differences)', () => {
    const X = Float64Array.of(0.5, -1, 2, 0.3, -0.7, 1.1, 0, 0.2, 1.5, -2, 0.1, 0.4);
    const y = Float64Array.of(1, -2, 0.5, 3);
    const f = ridgeObjective(X, 4, 3, y, 0.7);
    const theta = Float64Array.from({ length: 4 }, (_, i) => Math.sin(i + 1));
    const g = new Float64Array(4);
    f(theta, g);
    for (let i = 0; i < 4; i++) {
      const [tp, tm] = [Float64Array.from(theta), Float64Array.from(theta)];
      tp[i] += 1e-6;
      tm[i] -= 1e-6;
      expect(g[i]).toBeCloseTo((f(tp, new Float64Array(4)) - f(tm, new Float64Array(4))) / 2e-6, 6);
    }
  });

  it('solves an exact line and refuses a singular system', () => {
    const s = solveRidgeCholesky(Float64Array.of(0, 1, 2), 3, 1, Float64Array.of(1, 3, 5), 0)!;
    expect(s.coefficients[0]).toBeCloseTo(2, 12);
    expect(s.intercept).toBeCloseTo(1, 12);
    // Two identical columns and no penalty: no unique minimiser.
    expect(solveRidgeCholesky(Float64Array.of(0, 0, 1, 1, 2, 2), 3, 2, Float64Array.of(1, 3, 5), 0)).toBeNull();
  });
});

describe('fitLinearRegression on seattle-weather (temp_max)', () => {
  const sw = loadSeattleWeather();
  const table = { features: FEATURES, columns: sw as unknown as Columns, target: sw.temp_max };

  it('fits exactly by Cholesky, deterministically, and L-BFGS reaches the same coefficients', () => {
    const a = fitLinearRegression(table, { l2: 1 });
    const b = fitLinearRegression(table, { l2: 1 });
    expect(a.training).toMatchObject({ solver: 'cholesky', converged: true, reason: 'exact', rows: 1461 });
    expect(b.coefficients).toEqual(a.coefficients);
    expect(b.intercept).toBe(a.intercept);
    expect(Math.sqrt(a.training.trainMse)).toBeLessThan(4); // temp_max from temp_min and the month: a few degrees
    const it = fitLinearRegression(table, { l2: 1, solver: 'lbfgs', tol: 1e-10, maxIter: 5000 });
    expect(it.training.solver).toBe('lbfgs');
    expect(it.training.converged).toBe(true);
    for (let j = 0; j < a.coefficients.length; j++) expect(Math.abs(it.coefficients[j] - a.coefficients[j])).toBeLessThan(1e-6);
    expect(Math.abs(it.intercept - a.intercept)).toBeLessThan(1e-6);
  });

  it('falls back to L-BFGS when l2 = 0 leaves the one-hot block collinear with the intercept', () => {
    const m = fitLinearRegression({ ...table, features: [{ name: 'month', kind: 'categorical' }] }, { l2: 0 });
    expect(m.training.solver).toBe('lbfgs');
    // The least-squares fit of a one-hot block is each month's mean.
    const pred = m.predictValues({ month: ['01', '07'] });
    const meanOf = (month: string) => {
      const v = sw.temp_max.filter((_, i) => sw.month[i] === month);
      return v.reduce((s, x) => s + x, 0) / v.length;
    };
    expect(pred[0]).toBeCloseTo(meanOf('01'), 4);
    expect(pred[1]).toBeCloseTo(meanOf('07'), 4);
    expect(() => fitLinearRegression({ ...table, features: [{ name: 'month', kind: 'categorical' }] }, { l2: 0, solver: 'cholesky' })).toThrow(/singular/);
  });

  it('rejects missing targets, bad options and empty designs, naming the problem', () => {
    const target = Float64Array.from(sw.temp_max);
    target[7] = NaN;
    expect(() => fitLinearRegression({ ...table, target })).toThrow(/missing at row 7/);
    expect(() => fitLinearRegression(table, { l2: -1 })).toThrow(/l2/);
    expect(() => fitLinearRegression(table, { solver: 'qr' as never })).toThrow(/solver/);
    expect(() => fitLinearRegression({ ...table, target: [] })).toThrow(/no training rows/);
    expect(() => fitLinearRegression({ features: [{ name: 'c', kind: 'categorical' }], columns: { c: [null, null] }, target: [1, 2] })).toThrow(/no usable feature/);
  });

  it('survives a JSON round trip bit for bit', () => {
    const m = fitLinearRegression(table, { l2: 0.5 });
    const back = LinearModel.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(back.predictValues(table.columns)).toEqual(m.predictValues(table.columns));
    expect(() => LinearModel.fromJSON({ ...m.toJSON(), format: 'x' })).toThrow(/not a linear regression model/);
  });
});
