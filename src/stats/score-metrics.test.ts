// ROC AUC, average precision, log loss, calibration curve and ECE: hand-checked cases, and
// scikit-learn's numbers (the reference program, plus inline sklearn for what it does not print).
import { describe, expect, it } from 'vitest';
import { binaryCase, seattleMulticlassCase } from '../../test/fixtures/ml/metric-cases.js';
import { runSklearn, runSklearnPeer, sklearnPeerUnavailable, sklearnUnavailable } from '../../test/fixtures/ml/sklearn-metrics.js';
import { averagePrecision, averagePrecisionOvr, precisionRecallCurve } from './average-precision.js';
import { calibrationCurve, uniformBin } from './calibration-curve.js';
import { binaryProbabilities } from './class-probabilities.js';
import { classificationReport, confusionMatrix } from './classification-metrics.js';
import { expectedCalibrationError } from './expected-calibration-error.js';
import { logLoss } from './log-loss.js';
import { rocAuc, rocAucOvr, rocCurve } from './roc-auc.js';

const NO_SKLEARN = sklearnUnavailable();
const NO_PEER = sklearnPeerUnavailable();
if (NO_SKLEARN) console.warn(`SKIPPED: score metrics vs scikit-learn — ${NO_SKLEARN}`);
else if (NO_PEER) console.warn(`SKIPPED: score metrics vs the reference program — ${NO_PEER}`);

/** |actual − expected| ≤ 1e-12 · max(1, |expected|). */
function near(actual: number, expected: number | undefined, what: string): void {
  expect(expected, `${what}: sklearn printed nothing`).toBeTypeOf('number');
  expect(Math.abs(actual - expected!), `${what}: ${actual} vs sklearn ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected!)));
}
function nearAll(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  expected.forEach((v, i) => near(actual[i], v, `${what}[${i}]`));
}

describe('score metrics by hand', () => {
  const y = ['n', 'n', 'p', 'p'];
  const s = [0.1, 0.4, 0.35, 0.8];

  it('computes the ROC curve and its area (sklearn docs example)', () => {
    const c = rocCurve(y, s);
    expect([...c.fpr]).toEqual([0, 0, 0.5, 0.5, 1]);
    expect([...c.tpr]).toEqual([0, 0.5, 0.5, 1, 1]);
    expect([...c.thresholds]).toEqual([1.8, 0.8, 0.4, 0.35, 0.1]);
    expect(rocAuc(y, s)).toBe(0.75);
    expect(rocAuc(['a', 'b', 'a', 'b'], [0.5, 0.5, 0.5, 0.5])).toBe(0.5); // all tied: one diagonal step
  });

  it('computes the precision-recall curve and average precision', () => {
    const c = precisionRecallCurve(y, s);
    expect([...c.precision]).toEqual([0.5, 2 / 3, 0.5, 1, 1]);
    expect([...c.recall]).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(averagePrecision(y, s)).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 15);
    expect(averagePrecision(y, s, 'n')).toBe(0.5 * 0.5 + 0.5 * 0.5); // 'n' as the positive class: precision ½ at both of its recalls
  });

  it('macro-averages one-vs-rest', () => {
    const labels = ['a', 'b', 'c'];
    const proba = [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4];
    expect(rocAucOvr(['a', 'b', 'c'], proba, labels)).toBe(1);
    expect(averagePrecisionOvr(['a', 'b', 'c'], proba, labels)).toBe(1);
    expect(() => rocAucOvr(['a', 'b', 'b'], proba, labels)).toThrow(/ROC AUC needs both classes/); // no 'c' row
    expect(() => rocAucOvr(['a', 'b', 'c'], [0.5, 0.1, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4], labels)).toThrow(/row 0 sums to/);
    expect(() => averagePrecisionOvr(['a', 'b', 'z'], proba, labels)).toThrow(/"z", which is not in labels/);
  });

  it('clips and renormalises in log loss as sklearn 1.2 does', () => {
    expect(logLoss(['a', 'b'], [0.8, 0.2, 0.4, 0.6], ['a', 'b'])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 15);
    expect(logLoss(['a'], [0, 1], ['a', 'b'])).toBeCloseTo(-Math.log(Number.EPSILON), 12); // ≈ 36.04, not ∞
    expect(logLoss(['a'], [2, 2], ['a', 'b'])).toBeCloseTo(Math.log(2 / (1 - Number.EPSILON)), 12); // clipped to 1 − ε each, renormalised
    expect(() => logLoss(['a'], [1], ['a'])).toThrow(/at least two labels/);
  });

  it('bins probabilities as calibration_curve does (edges i/n, a value on an edge goes down)', () => {
    expect([0, 0.2, 0.2000001, 0.5, 1].map((p) => uniformBin(p, 5))).toEqual([0, 0, 1, 2, 4]);
    expect(uniformBin(0.3, 10)).toBe(2); // 3 · 0.1 = 0.30000000000000004 > 0.3
    const c = calibrationCurve(['n', 'p', 'p', 'n'], [0.1, 0.9, 0.8, 0.7], 'p', 2);
    expect([...c.probTrue]).toEqual([0, 2 / 3]);
    expect([...c.probPred]).toEqual([0.1, (0.9 + 0.8 + 0.7) / 3]);
    expect([...c.counts]).toEqual([1, 3]);
    expect(() => calibrationCurve(['a', 'b', 'c'], [0.1, 0.2, 0.3], 'a')).toThrow(/binary/);
    expect(() => calibrationCurve(['a'], [1.5], 'a')).toThrow(/outside \[0, 1\]/);
  });

  it('computes ECE over top-class confidence bins', () => {
    expect(expectedCalibrationError(['a', 'a'], [0.9, 0.1, 0.4, 0.6], ['a', 'b'], 5)).toBeCloseTo(0.35, 15);
    // With 2 bins both rows share [0.5, 1]: |½ − 0.75| = 0.25.
    expect(expectedCalibrationError(['a', 'a'], [0.9, 0.1, 0.4, 0.6], ['a', 'b'], 2)).toBeCloseTo(0.25, 15);
    // A model that is right 75 % of the time with confidence 0.75 everywhere is calibrated.
    const y4 = ['a', 'a', 'a', 'b'];
    expect(expectedCalibrationError(y4, binaryProbabilities([0.25, 0.25, 0.25, 0.25]), ['a', 'b'])).toBe(0);
  });
});

const cases = [binaryCase('binary, tied scores on bin edges', 600, 7, 0.05), binaryCase('binary, continuous scores', 1000, 11, 0)];
const multi = seattleMulticlassCase(3);

describe.skipIf(NO_PEER !== null)('score metrics vs the reference program (sklearn_metrics.py)', () => {
  it.each(cases)('matches every metric on $name', (c) => {
    const sk = runSklearnPeer('classification', { y_true: c.yTrue, y_pred: c.yPred, y_score: c.score });
    const r = classificationReport(c.yTrue, c.yPred);
    expect(sk.labels).toEqual(r.labels);
    near(r.accuracy, sk.accuracy, 'accuracy');
    near(r.macroPrecision, sk.precision_macro, 'precision_macro');
    near(r.macroRecall, sk.recall_macro, 'recall_macro');
    near(r.macroF1, sk.f1_macro, 'f1_macro');
    expect([...confusionMatrix(c.yTrue, c.yPred).matrix]).toEqual(sk.confusion_matrix!.flat());
    near(rocAuc(c.yTrue, c.score), sk.roc_auc, 'roc_auc');
    near(averagePrecision(c.yTrue, c.score, c.labels[1]), sk.pr_auc, 'pr_auc');
    near(logLoss(c.yTrue, binaryProbabilities(c.score), c.labels), sk.log_loss, 'log_loss');
  });

  it('matches every metric on seattle-weather multiclass (snow never predicted, zero-probability truths)', () => {
    const columns: Record<string, ArrayLike<string | number>> = { y_true: multi.yTrue, y_pred: multi.yPred };
    multi.labels.forEach((l, j) => (columns[`proba_${l}`] = Array.from({ length: multi.yTrue.length }, (_, i) => multi.proba[i * multi.labels.length + j])));
    const sk = runSklearnPeer('classification', columns);
    const r = classificationReport(multi.yTrue, multi.yPred);
    expect(sk.labels).toEqual(r.labels);
    expect(r.precision[r.labels.indexOf('snow')]).toBe(0); // never predicted: zero_division = 0
    near(r.accuracy, sk.accuracy, 'accuracy');
    near(r.macroPrecision, sk.precision_macro, 'precision_macro');
    near(r.macroRecall, sk.recall_macro, 'recall_macro');
    near(r.macroF1, sk.f1_macro, 'f1_macro');
    expect([...confusionMatrix(multi.yTrue, multi.yPred).matrix]).toEqual(sk.confusion_matrix!.flat());
    near(rocAucOvr(multi.yTrue, multi.proba, multi.labels), sk.roc_auc_ovr, 'roc_auc_ovr');
    near(logLoss(multi.yTrue, multi.proba, multi.labels), sk.log_loss, 'log_loss');
  });
});

describe.skipIf(NO_SKLEARN !== null)('score metrics vs inline scikit-learn (what the reference program does not print)', () => {
  const BINS = [5, 10, 15];

  it.each(cases)('matches calibration_curve, ECE, roc_curve and precision_recall_curve on $name', (c) => {
    type Out = { curves: { t: number[]; p: number[] }[]; ece: number[]; fpr: number[]; tpr: number[]; prec: number[]; rec: number[] };
    const sk = runSklearn<Out>(
      `y = np.array(INPUT["y"]); s = np.array(INPUT["s"], dtype=np.float64); pos = INPUT["pos"]
curves, eces = [], []
proba = np.column_stack([1 - s, s]); conf = proba.max(axis=1)
correct = (np.array(INPUT["labels"])[proba.argmax(axis=1)] == y).astype(int)
for b in INPUT["bins"]:
    t, p = calibration.calibration_curve(y, s, pos_label=pos, n_bins=b)
    curves.append({"t": t.tolist(), "p": p.tolist()})
    ct, cp = calibration.calibration_curve(correct, conf, n_bins=b)
    counts = np.bincount(np.searchsorted(np.linspace(0.0, 1.0, b + 1)[1:-1], conf), minlength=b)
    counts = counts[counts != 0]
    eces.append(float(np.sum(counts / len(y) * np.abs(ct - cp))))
fpr, tpr, _ = metrics.roc_curve(y, s, pos_label=pos)
prec, rec, _ = metrics.precision_recall_curve(y, s, pos_label=pos)
print(json.dumps({"curves": curves, "ece": eces, "fpr": fpr.tolist(), "tpr": tpr.tolist(), "prec": prec.tolist(), "rec": rec.tolist()}))`,
      { y: c.yTrue, s: Array.from(c.score), pos: c.labels[1], labels: c.labels, bins: BINS },
    );
    BINS.forEach((b, i) => {
      const mine = calibrationCurve(c.yTrue, c.score, c.labels[1], b);
      nearAll(mine.probTrue, sk.curves[i].t, `prob_true (${b} bins)`);
      nearAll(mine.probPred, sk.curves[i].p, `prob_pred (${b} bins)`);
      near(expectedCalibrationError(c.yTrue, binaryProbabilities(c.score), c.labels, b), sk.ece[i], `ECE (${b} bins)`);
    });
    const roc = rocCurve(c.yTrue, c.score);
    nearAll(roc.fpr, sk.fpr, 'fpr');
    nearAll(roc.tpr, sk.tpr, 'tpr');
    const pr = precisionRecallCurve(c.yTrue, c.score);
    nearAll(pr.precision, sk.prec, 'precision');
    nearAll(pr.recall, sk.rec, 'recall');
  });

  it('matches macro one-vs-rest average precision, per-class AUC and ECE on seattle-weather multiclass', () => {
    type Out = { ap: number; auc: number[]; ece: number[]; ll: number };
    const sk = runSklearn<Out>(
      `from sklearn.preprocessing import label_binarize
y = np.array(INPUT["y"]); labels = INPUT["labels"]; proba = np.array(INPUT["proba"], dtype=np.float64).reshape(len(y), len(labels))
Y = label_binarize(y, classes=labels)
auc = [metrics.roc_auc_score(Y[:, j], proba[:, j]) for j in range(len(labels))]
conf = proba.max(axis=1); correct = (np.array(labels)[proba.argmax(axis=1)] == y).astype(int)
eces = []
for b in INPUT["bins"]:
    ct, cp = calibration.calibration_curve(correct, conf, n_bins=b)
    counts = np.bincount(np.searchsorted(np.linspace(0.0, 1.0, b + 1)[1:-1], conf), minlength=b)
    counts = counts[counts != 0]
    eces.append(float(np.sum(counts / len(y) * np.abs(ct - cp))))
print(json.dumps({"ap": metrics.average_precision_score(Y, proba, average="macro"), "auc": auc, "ece": eces,
  "ll": metrics.log_loss(y, proba, labels=labels)}))`,
      { y: multi.yTrue, labels: multi.labels, proba: Array.from(multi.proba), bins: BINS },
    );
    near(averagePrecisionOvr(multi.yTrue, multi.proba, multi.labels), sk.ap, 'average_precision macro');
    const k = multi.labels.length;
    multi.labels.forEach((l, j) => {
      const col = Float64Array.from({ length: multi.yTrue.length }, (_, i) => multi.proba[i * k + j]);
      near(rocAuc(multi.yTrue, col, l), sk.auc[j], `roc_auc ${l} vs rest`);
    });
    BINS.forEach((b, i) => near(expectedCalibrationError(multi.yTrue, multi.proba, multi.labels, b), sk.ece[i], `ECE (${b} bins)`));
    near(logLoss(multi.yTrue, multi.proba, multi.labels), sk.ll, 'log_loss');
  });
});
