// Classification metrics: hand-checked cases, and scikit-learn's own numbers on fixed data.
import { describe, expect, it } from 'vitest';
import { pythonHas, runPythonJson } from '../../test/fixtures/ml/python.js';
import { accuracy, classificationReport, confusionMatrix, labelsOf, macroF1 } from './classification-metrics.js';

const SKLEARN = '/usr/bin/python3';
const HAS_SKLEARN = pythonHas(SKLEARN, ['sklearn']);
if (!HAS_SKLEARN) console.warn(`SKIPPED: sklearn metric parity — ${SKLEARN} has no scikit-learn (apt-get install -y python3-sklearn)`);

describe('classification metrics by hand', () => {
  it('computes accuracy, confusion matrix and per-class scores', () => {
    const yTrue = ['cat', 'cat', 'dog', 'dog', 'dog', 'owl'];
    const yPred = ['cat', 'dog', 'dog', 'dog', 'cat', 'eel'];
    expect(accuracy(yTrue, yPred)).toBe(3 / 6);
    expect(labelsOf(yTrue, yPred)).toEqual(['cat', 'dog', 'eel', 'owl']);
    const cm = confusionMatrix(yTrue, yPred);
    // rows = truth cat, dog, eel, owl; columns = prediction
    expect([...cm.matrix]).toEqual([1, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    const r = classificationReport(yTrue, yPred);
    expect([...r.precision]).toEqual([1 / 2, 2 / 3, 0, 0]); // eel: 0 of 1 prediction right; owl: never predicted → 0
    expect([...r.recall]).toEqual([1 / 2, 2 / 3, 0, 0]); // eel: never true → 0 (zero_division=0)
    expect([...r.f1]).toEqual([2 / 4, 4 / 6, 0, 0]);
    expect([...r.support]).toEqual([2, 3, 0, 1]);
    expect(r.macroF1).toBeCloseTo((0.5 + 2 / 3) / 4, 15);
  });

  it('uses a given label list as is, still counting rows outside it', () => {
    const r = classificationReport(['a', 'a', 'b'], ['a', 'c', 'b'], ['a', 'b', 'z']);
    expect([...r.recall]).toEqual([0.5, 1, 0]); // the 'a' predicted as unlisted 'c' is a miss of 'a'
    expect(r.macroF1).toBeCloseTo((2 / 3 + 1 + 0) / 3, 15);
    expect(macroF1(['a'], ['a'])).toBe(1);
  });

  it('rejects arrays of different lengths', () => {
    expect(() => accuracy(['a'], ['a', 'b'])).toThrow(/y_true has 1 labels but y_pred has 2/);
  });
});

describe.skipIf(!HAS_SKLEARN)('classification metrics vs scikit-learn', () => {
  it('matches precision_recall_fscore_support, f1_score(macro), accuracy_score and confusion_matrix', () => {
    const classes = ['sun', 'rain', 'fog', 'drizzle', 'snow', 'Hail'];
    let seed = 12345;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % 1000;
    const yTrue = Array.from({ length: 500 }, () => classes[next() % 5]); // 'Hail' never true
    const yPred = yTrue.map((y) => (next() < 600 ? y : classes[next() % 6]));
    const given = ['rain', 'sun', 'sleet'];
    type Out = { labels: string[]; p: number[]; r: number[]; f: number[]; s: number[]; macro: number; acc: number; cm: number[][]; pg: number[]; macro_given: number };
    const sk = runPythonJson<Out>(
      SKLEARN,
      `from sklearn import metrics
yt, yp, given = INPUT["yt"], INPUT["yp"], INPUT["given"]
labels = sorted(set(yt) | set(yp))
p, r, f, s = metrics.precision_recall_fscore_support(yt, yp, average=None, labels=labels, zero_division=0)
pg, _, _, _ = metrics.precision_recall_fscore_support(yt, yp, average=None, labels=given, zero_division=0)
print(json.dumps({"labels": labels, "p": p.tolist(), "r": r.tolist(), "f": f.tolist(), "s": s.tolist(),
  "macro": metrics.f1_score(yt, yp, average="macro", zero_division=0), "acc": metrics.accuracy_score(yt, yp),
  "cm": metrics.confusion_matrix(yt, yp).tolist(), "pg": pg.tolist(),
  "macro_given": metrics.f1_score(yt, yp, average="macro", labels=given, zero_division=0)}))`,
      { yt: yTrue, yp: yPred, given },
    );
    const r = classificationReport(yTrue, yPred);
    expect(r.labels).toEqual(sk.labels);
    const close = (a: ArrayLike<number>, b: number[]) => b.forEach((v, i) => expect(Math.abs(a[i] - v)).toBeLessThan(1e-15));
    close(r.precision, sk.p);
    close(r.recall, sk.r);
    close(r.f1, sk.f);
    expect([...r.support]).toEqual(sk.s);
    expect(Math.abs(r.macroF1 - sk.macro)).toBeLessThan(1e-15);
    expect(r.accuracy).toBe(sk.acc);
    const cm = confusionMatrix(yTrue, yPred);
    expect([...cm.matrix]).toEqual(sk.cm.flat());
    const g = classificationReport(yTrue, yPred, given);
    close(g.precision, sk.pg);
    expect(Math.abs(g.macroF1 - sk.macro_given)).toBeLessThan(1e-15);
  });
});
