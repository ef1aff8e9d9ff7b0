// A regression model's holdout metrics as the KPI gate measures them: named as runs record them,
// undefined ones left out, and per slice of a categorical column — each against scikit-learn's
// values from the reference program (../shared/peers/sklearn_metrics.py) on seattle-weather.
import { describe, expect, it } from 'vitest';
import { temperatureCase } from '../../../test/fixtures/ml/metric-cases.js';
import { loadSeattleWeather } from '../../../test/fixtures/ml/seattle-weather.js';
import { runSklearnPeer, sklearnPeerUnavailable } from '../../../test/fixtures/ml/sklearn-metrics.js';
import { takeRows } from '../../stats/index.js';
import { regressionMetrics, regressionSliceValues } from './regression-evaluation.js';

const NO_PEER = sklearnPeerUnavailable();
if (NO_PEER) console.warn(`SKIPPED: regression evaluation vs the reference program — ${NO_PEER}`);

const close = (mine: number, theirs: number) => Math.abs(mine - theirs) <= 1e-12 * Math.max(1, Math.abs(theirs));

describe('regressionMetrics', () => {
  it('names rmse, mae, r2 and mape, and leaves out what is undefined', () => {
    const m = regressionMetrics([1, 2, 3], [1, 2, 4]);
    expect(Object.keys(m).sort()).toEqual(['mae', 'mape', 'r2', 'rmse']);
    expect(m.r2).toBe(0.5);
    expect(m.mae).toBeCloseTo(1 / 3, 15);
    expect(regressionMetrics([5], [4])).toEqual({ rmse: 1, mae: 1, mape: 0.2 }); // R² needs two rows
    expect(regressionMetrics([1, 2], [1, Number.NaN])).toEqual({}); // a value that is not finite: nothing measured
    expect(regressionMetrics([], [])).toEqual({});
  });

  it('measures a metric per slice, missing values as one slice', () => {
    expect(regressionSliceValues(['a', 'a', null, 'b'], [1, 3, 2, 5], [2, 3, 2, 1], 'mae')).toEqual([
      { slice: 'a', n: 2, value: 0.5 },
      { slice: 'b', n: 1, value: 4 },
      { slice: null, n: 1, value: 0 },
    ]);
    expect(regressionSliceValues(['a'], [1], [2], 'r2')).toEqual([{ slice: 'a', n: 1, value: null }]);
  });
});

describe.skipIf(NO_PEER !== null)('regression evaluation vs the reference program (sklearn_metrics.py)', () => {
  it('matches MAE, RMSE, R² and MAPE overall and on every weather slice of seattle-weather', () => {
    const c = temperatureCase();
    const weather = loadSeattleWeather().weather;
    const all = runSklearnPeer('regression', { y_true: c.yTrue, y_pred: c.yPred });
    const mine = regressionMetrics(c.yTrue, c.yPred);
    for (const key of ['mae', 'rmse', 'r2', 'mape'] as const) expect(close(mine[key], all[key]!), `${key}: ${mine[key]} vs ${all[key]}`).toBe(true);
    const keys = ['mae', 'rmse', 'r2', 'mape'] as const;
    const slices = Object.fromEntries(keys.map((key) => [key, regressionSliceValues(weather, c.yTrue, c.yPred, key)]));
    expect(slices.mae.map((s) => s.slice)).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);
    slices.mae.forEach((s, j) => {
      const rows = weather.flatMap((w, i) => (w === s.slice ? [i] : []));
      const sk = runSklearnPeer('regression', { y_true: takeRows(c.yTrue, rows), y_pred: takeRows(c.yPred, rows) });
      expect(s.n).toBe(rows.length);
      for (const key of keys) {
        const mine = slices[key][j].value!;
        expect(close(mine, sk[key]!), `${key} on ${s.slice}: ${mine} vs ${sk[key]}`).toBe(true);
      }
    });
  }, 60_000);
});
