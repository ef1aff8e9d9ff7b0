// Slice metrics: grouping by a categorical column, undefined metrics per slice, and per-month
// metrics on seattle-weather against scikit-learn computed slice by slice.
import { describe, expect, it } from 'vitest';
import { precipitationCase, seattleMulticlassCase } from '../../test/fixtures/ml/metric-cases.js';
import { loadSeattleWeather } from '../../test/fixtures/ml/seattle-weather.js';
import { runSklearn, sklearnUnavailable } from '../../test/fixtures/ml/sklearn-metrics.js';
import { classificationReport } from './classification-metrics.js';
import { logLoss } from './log-loss.js';
import { meanAbsoluteError } from './regression-metrics.js';
import { rocAuc, rocAucOvr } from './roc-auc.js';
import { sliceMetrics, sliceRows, takeMatrixRows, takeRows } from './slice-metrics.js';

const NO_SKLEARN = sklearnUnavailable();
if (NO_SKLEARN) console.warn(`SKIPPED: slice metrics vs scikit-learn — ${NO_SKLEARN}`);

describe('slice metrics by hand', () => {
  it('groups rows by value in code-point order, missing last', () => {
    const rows = sliceRows(['b', 'a', null, 'b', '', 'B']);
    expect(rows.map(([v, r]) => [v, [...r]])).toEqual([
      ['B', [5]],
      ['a', [1]],
      ['b', [0, 3]],
      [null, [2, 4]],
    ]);
    expect([...takeMatrixRows([1, 2, 3, 4, 5, 6], 2, [2, 0])]).toEqual([5, 6, 1, 2]);
  });

  it('computes a metric per slice and records where it is undefined', () => {
    const yTrue = ['n', 'p', 'n', 'n'];
    const score = [0.2, 0.9, 0.4, 0.1];
    const region = ['east', 'east', 'west', 'west'];
    const out = sliceMetrics(region, (rows) => rocAuc(takeRows(yTrue, rows), takeRows(score, rows), 'p'));
    expect(out).toEqual([
      { slice: 'east', n: 2, value: 1, error: null },
      { slice: 'west', n: 2, value: null, error: 'ROC AUC needs both classes in y_true; only negatives found' },
    ]);
    expect(() => sliceMetrics(['a'], () => { throw new TypeError('bug'); })).toThrow(TypeError); // only ValidationErrors are captured
  });
});

describe.skipIf(NO_SKLEARN !== null)('slice metrics vs scikit-learn, per month of seattle-weather', () => {
  it('matches accuracy, macro-F1, OvR ROC AUC, log loss and MAE on every month', () => {
    const multi = seattleMulticlassCase(3);
    const reg = precipitationCase(5);
    const month = loadSeattleWeather().month;
    const k = multi.labels.length;
    const mine = sliceMetrics(month, (rows) => {
      const yt = takeRows(multi.yTrue, rows);
      const r = classificationReport(yt, takeRows(multi.yPred, rows));
      const proba = takeMatrixRows(multi.proba, k, rows);
      let auc: number | null = null;
      try {
        auc = rocAucOvr(yt, proba, multi.labels);
      } catch {
        auc = null; // a month without snow: the snow-vs-rest AUC is undefined, as in sklearn
      }
      return { acc: r.accuracy, f1: r.macroF1, auc, ll: logLoss(yt, proba, multi.labels), mae: meanAbsoluteError(takeRows(reg.yTrue, rows), takeRows(reg.yPred, rows)) };
    });
    type Out = [string, { n: number; acc: number; f1: number; auc: number | null; ll: number; mae: number }][]; // a list: JS objects put keys like "10" first
    const sk = runSklearn<Out>(
      `yt = np.array(INPUT["yt"]); yp = np.array(INPUT["yp"]); labels = INPUT["labels"]; m = np.array(INPUT["month"])
proba = np.array(INPUT["proba"], dtype=np.float64).reshape(len(yt), len(labels))
rt = np.array(INPUT["rt"], dtype=np.float64); rp = np.array(INPUT["rp"], dtype=np.float64)
out = []
for v in sorted(set(m)):
    s = m == v
    try:
        auc = metrics.roc_auc_score(yt[s], proba[s], multi_class="ovr", labels=labels)
    except ValueError:
        auc = None
    out.append([v, {"n": int(s.sum()), "acc": metrics.accuracy_score(yt[s], yp[s]), "f1": metrics.f1_score(yt[s], yp[s], average="macro", zero_division=0),
              "auc": auc, "ll": metrics.log_loss(yt[s], proba[s], labels=labels), "mae": metrics.mean_absolute_error(rt[s], rp[s])}])
print(json.dumps(out))`,
      { yt: multi.yTrue, yp: multi.yPred, labels: multi.labels, month, proba: Array.from(multi.proba), rt: Array.from(reg.yTrue), rp: Array.from(reg.yPred) },
    );
    expect(mine.map((s) => s.slice)).toEqual(sk.map(([v]) => v));
    const byMonth = new Map(sk);
    const near = (a: number, b: number, what: string) => expect(Math.abs(a - b), `${what}: ${a} vs sklearn ${b}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
    let undefinedAuc = 0;
    for (const s of mine) {
      const e = byMonth.get(s.slice!)!;
      const v = s.value!;
      expect(s.n).toBe(e.n);
      near(v.acc, e.acc, `${s.slice} accuracy`);
      near(v.f1, e.f1, `${s.slice} macro-F1`);
      near(v.ll, e.ll, `${s.slice} log loss`);
      near(v.mae, e.mae, `${s.slice} MAE`);
      if (e.auc === null) {
        expect(v.auc, `${s.slice} ROC AUC undefined in both`).toBeNull();
        undefinedAuc++;
      } else near(v.auc!, e.auc, `${s.slice} ROC AUC`);
    }
    expect(undefinedAuc).toBeGreaterThan(0); // summer months have no snow
  });
});
