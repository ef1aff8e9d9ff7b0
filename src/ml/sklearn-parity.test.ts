// Our softmax regression against scikit-learn's LogisticRegression on the same standardised
// seattle-weather design matrix. sklearn's own lbfgs stops early on this problem (scipy's relative
// reduction test, factr·eps, fires at a max gradient of ~0.02 even with tol=1e-12), so we check
// that our objective is at least as low as its, and agree tightly (coefficients 1e-4, probabilities
// 1e-5) with sklearn's newton-cg at tol=1e-12, which reaches the optimum.
// Needs /usr/bin/python3 with scikit-learn (Debian python3-sklearn); skipped with a message otherwise.
import { describe, expect, it } from 'vitest';
import { loadSeattleWeather } from '../../test/fixtures/ml/seattle-weather.js';
import { pythonHas, runPythonJson } from '../../test/fixtures/ml/python.js';
import type { Columns, FeatureSpec } from './feature-spec.js';
import { fitLogisticRegression, type LogisticModel } from './logistic-regression.js';
import { softmaxObjective } from './softmax-objective.js';

const PYTHON = '/usr/bin/python3';
const HAS_SKLEARN = pythonHas(PYTHON, ['sklearn', 'numpy']);
if (!HAS_SKLEARN) console.warn(`SKIPPED: sklearn parity — ${PYTHON} has no scikit-learn (apt-get install -y python3-sklearn)`);

const FEATURES: FeatureSpec[] = [
  { name: 'precipitation', kind: 'numeric' },
  { name: 'temp_max', kind: 'numeric' },
  { name: 'temp_min', kind: 'numeric' },
  { name: 'wind', kind: 'numeric' },
  { name: 'month', kind: 'categorical' },
];

interface SkFit {
  classes: string[];
  coef: number[][];
  intercept: number[];
  proba: number[][];
  n_iter: number;
}

const SCRIPT = `import numpy as np, warnings
from sklearn.linear_model import LogisticRegression
warnings.simplefilter("ignore")
X = np.array(INPUT["X"], dtype=float).reshape(INPUT["rows"], INPUT["width"])
out = []
for job in INPUT["jobs"]:
    kw = dict(multi_class="multinomial") if job["multinomial"] else {}
    m = LogisticRegression(C=job["C"], solver=job["solver"], tol=1e-12, max_iter=100000, **kw).fit(X, job["y"])
    out.append({"classes": m.classes_.tolist(), "coef": m.coef_.tolist(), "intercept": m.intercept_.tolist(),
                "proba": m.predict_proba(X).tolist(), "n_iter": int(m.n_iter_[0])})
print(json.dumps(out))`;

const SOLVERS = ['newton-cg', 'lbfgs'] as const;
/** Jobs per solver: multinomial l2 = 1, multinomial l2 = 0.1, binary l2 = 1. */
const PER_SOLVER = 3;

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const centred = (v: number[]) => {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return v.map((x) => x - mean);
};

describe.skipIf(!HAS_SKLEARN)('sklearn LogisticRegression parity (seattle-weather)', () => {
  const sw = loadSeattleWeather();
  const columns = sw as unknown as Columns;
  const rainy = sw.weather.map((w) => (w === 'rain' ? 'rain' : 'dry'));
  const opts = { tol: 1e-10, maxIter: 10000 };
  const multi = [1, 0.1].map((l2) => ({ l2, model: fitLogisticRegression({ features: FEATURES, columns, target: sw.weather }, { ...opts, l2 }) }));
  const binary = fitLogisticRegression({ features: FEATURES, columns, target: rainy }, { ...opts, l2: 1 });
  // The design matrix is the same for every fit (the preprocessing depends on the features only).
  const X = multi[0].model.preprocessor.transform(columns);
  let sk: SkFit[] = [];
  if (HAS_SKLEARN) {
    sk = runPythonJson<SkFit[]>(PYTHON, SCRIPT, {
      X: Array.from(X.values),
      rows: X.rows,
      width: X.width,
      jobs: SOLVERS.flatMap((solver) => [
        ...multi.map(({ l2 }) => ({ solver, C: 1 / l2, y: sw.weather, multinomial: true })),
        // sklearn's binary model has one weight vector w = W_rain − W_dry; our 2-class softmax with
        // penalty (l2/2)(‖W_dry‖² + ‖W_rain‖²) at W_rain = −W_dry equals its objective with C = 2/l2.
        { solver, C: 2 / 1, y: rainy, multinomial: false },
      ]),
    });
  }

  it.each([
    ['newton-cg', 0],
    ['newton-cg', 1],
    ['lbfgs', 0],
    ['lbfgs', 1],
  ] as const)('multinomial fit agrees with sklearn %s, C = 1/l2 (case %i)', (solver, i) => {
    const { l2, model } = multi[i];
    const s = sk[SOLVERS.indexOf(solver) * PER_SOLVER + i];
    expect(s.classes).toEqual(model.classes);
    const coefDiff = maxAbsDiff(model.coefficients, s.coef.flat());
    const interceptDiff = maxAbsDiff(model.intercepts, centred(s.intercept));
    const probaDiff = maxAbsDiff(model.predictProba(columns).probabilities, s.proba.flat());
    // Objective at both solutions: ours must be at least as low (to rounding).
    const y = Int32Array.from(sw.weather, (w) => model.classes.indexOf(w));
    const f = softmaxObjective(X.values, X.rows, X.width, y, model.classes.length, l2);
    const theta = (coef: ArrayLike<number>, b: ArrayLike<number>) => {
      const t = new Float64Array(model.classes.length * (X.width + 1));
      for (let k = 0; k < model.classes.length; k++) {
        for (let j = 0; j < X.width; j++) t[k * (X.width + 1) + j] = coef[k * X.width + j];
        t[k * (X.width + 1) + X.width] = b[k];
      }
      return t;
    };
    const g = new Float64Array(model.classes.length * (X.width + 1));
    const ours = f(theta(model.coefficients, model.intercepts), g);
    const theirs = f(theta(s.coef.flat(), s.intercept), g);
    console.info(
      `sklearn ${solver} parity l2=${l2} (C=${1 / l2}): max |Δcoef| ${coefDiff.toExponential(2)}, max |Δintercept| ${interceptDiff.toExponential(2)}, ` +
        `max |Δproba| ${probaDiff.toExponential(2)}; objective ours ${ours.toFixed(9)} vs sklearn ${theirs.toFixed(9)}; ` +
        `iterations ours ${model.training.iterations} vs sklearn ${s.n_iter}`,
    );
    expect(ours).toBeLessThanOrEqual(theirs * (1 + 1e-12));
    if (solver === 'newton-cg') {
      expect(coefDiff).toBeLessThan(1e-4);
      expect(interceptDiff).toBeLessThan(1e-4);
      expect(probaDiff).toBeLessThan(1e-5);
    } else {
      // sklearn's lbfgs is ~1e-2 short of the optimum here (see the top of the file).
      expect(coefDiff).toBeLessThan(2e-2);
      expect(probaDiff).toBeLessThan(1e-3);
    }
  });

  it.each(SOLVERS)('binary (2-class softmax) fit agrees with sklearn %s binary C = 2/l2 as w = W_rain − W_dry', (solver) => {
    const s = sk[SOLVERS.indexOf(solver) * PER_SOLVER + 2];
    const m: LogisticModel = binary;
    expect(s.classes).toEqual(m.classes);
    const D = m.preprocessor.width;
    const w = Array.from({ length: D }, (_, j) => m.coefficients[D + j] - m.coefficients[j]);
    const coefDiff = maxAbsDiff(w, s.coef[0]);
    const interceptDiff = Math.abs(m.intercepts[1] - m.intercepts[0] - s.intercept[0]);
    const probaDiff = maxAbsDiff(m.predictProba(columns).probabilities, s.proba.flat());
    console.info(`sklearn ${solver} parity binary: max |Δcoef| ${coefDiff.toExponential(2)}, |Δintercept| ${interceptDiff.toExponential(2)}, max |Δproba| ${probaDiff.toExponential(2)}`);
    const [coefTol, probaTol] = solver === 'newton-cg' ? [1e-4, 1e-5] : [2e-2, 1e-3];
    expect(coefDiff).toBeLessThan(coefTol);
    expect(interceptDiff).toBeLessThan(coefTol);
    expect(probaDiff).toBeLessThan(probaTol);
  });
});
