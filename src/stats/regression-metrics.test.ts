// Regression metrics: hand-checked cases and the reference program's numbers on seattle-weather
// (precipitation, mostly zeros, exercises MAPE's epsilon).
import { describe, expect, it } from 'vitest';
import { precipitationCase, temperatureCase } from '../../test/fixtures/ml/metric-cases.js';
import { runSklearnPeer, sklearnPeerUnavailable } from '../../test/fixtures/ml/sklearn-metrics.js';
import { meanAbsoluteError, meanAbsolutePercentageError, r2Score, regressionReport, rootMeanSquaredError } from './regression-metrics.js';

const NO_PEER = sklearnPeerUnavailable();
if (NO_PEER) console.warn(`SKIPPED: regression metrics vs the reference program — ${NO_PEER}`);

describe('regression metrics by hand', () => {
  it('computes MAE, RMSE, R² and MAPE', () => {
    expect(meanAbsoluteError([1, 2, 4], [2, 2, 1])).toBe(4 / 3);
    expect(rootMeanSquaredError([1, 2, 4], [2, 2, 1])).toBe(Math.sqrt(10 / 3));
    expect(r2Score([1, 2, 3], [1, 2, 4])).toBe(0.5);
    expect(meanAbsolutePercentageError([1, 2, 4], [2, 2, 1])).toBeCloseTo(1.75 / 3, 15);
  });

  it('follows sklearn on the edge cases', () => {
    expect(meanAbsolutePercentageError([0, 0], [0, 1])).toBe(2 ** 52 / 2); // |1 − 0| / ε, halved
    expect(r2Score([5, 5], [5, 5])).toBe(1); // perfect on a constant target
    expect(r2Score([5, 5], [4, 5])).toBe(0); // constant target, imperfect prediction
    expect(r2Score([1], [1])).toBeNaN(); // fewer than two rows
    expect(() => meanAbsoluteError([], [])).toThrow(/at least one row/);
    expect(() => rootMeanSquaredError([1, Number.NaN], [1, 2])).toThrow(/non-finite value at row 1/);
  });
});

describe.skipIf(NO_PEER !== null)('regression metrics vs the reference program (sklearn_metrics.py)', () => {
  it.each([precipitationCase(5), temperatureCase()])('matches MAE, RMSE, R² and MAPE on $name', (c) => {
    const sk = runSklearnPeer('regression', { y_true: c.yTrue, y_pred: c.yPred });
    const mine = regressionReport(c.yTrue, c.yPred);
    for (const key of ['mae', 'rmse', 'r2', 'mape'] as const) {
      const expected = sk[key]!;
      expect(Math.abs(mine[key] - expected), `${key}: ${mine[key]} vs sklearn ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
    }
  });
});
