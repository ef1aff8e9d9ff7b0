// Our ridge regression against scikit-learn's Ridge on the same standardised, one-hot seattle-weather
// design matrix (temp_max from precipitation, temp_min, wind and the month): the coefficients and
// intercept agree to rounding for both of our solvers and several penalties.
// Needs /usr/bin/python3 with scikit-learn (Debian python3-sklearn); skipped with a message otherwise.
import { describe, expect, it } from 'vitest';
import { pythonHas, runPythonJson } from '../../test/fixtures/ml/python.js';
import { loadSeattleWeather } from '../../test/fixtures/ml/seattle-weather.js';
import type { Columns, FeatureSpec } from './feature-spec.js';
import { fitLinearRegression } from './linear-regression.js';

const PYTHON = '/usr/bin/python3';
const HAS_SKLEARN = pythonHas(PYTHON, ['sklearn', 'numpy']);
if (!HAS_SKLEARN) console.warn(`SKIPPED: sklearn Ridge parity — ${PYTHON} has no scikit-learn (apt-get install -y python3-sklearn)`);

const FEATURES: FeatureSpec[] = [
  { name: 'precipitation', kind: 'numeric' },
  { name: 'temp_min', kind: 'numeric' },
  { name: 'wind', kind: 'numeric' },
  { name: 'month', kind: 'categorical' },
];
const PENALTIES = [0.01, 1, 100];

const SCRIPT = `import numpy as np
from sklearn.linear_model import Ridge
X = np.array(INPUT["X"], dtype=float).reshape(INPUT["rows"], INPUT["width"])
y = np.array(INPUT["y"], dtype=float)
out = []
for alpha in INPUT["alphas"]:
    m = Ridge(alpha=alpha, solver="cholesky").fit(X, y)
    out.append({"coef": m.coef_.tolist(), "intercept": float(m.intercept_), "pred": m.predict(X).tolist()})
print(json.dumps(out))`;

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe.skipIf(!HAS_SKLEARN)('sklearn Ridge parity (seattle-weather temp_max)', () => {
  const sw = loadSeattleWeather();
  const table = { features: FEATURES, columns: sw as unknown as Columns, target: sw.temp_max };
  const X = fitLinearRegression(table).preprocessor.transform(table.columns);
  const sk = HAS_SKLEARN
    ? runPythonJson<Array<{ coef: number[]; intercept: number; pred: number[] }>>(PYTHON, SCRIPT, { X: Array.from(X.values), rows: X.rows, width: X.width, y: Array.from(sw.temp_max), alphas: PENALTIES })
    : [];

  it.each(PENALTIES.map((l2, i) => [l2, i]))('cholesky and lbfgs agree with Ridge(alpha=%s)', (l2, i) => {
    const s = sk[i];
    const exact = fitLinearRegression(table, { l2, solver: 'cholesky' });
    const iterative = fitLinearRegression(table, { l2, solver: 'lbfgs', tol: 1e-10, maxIter: 10_000 });
    const d = {
      cholesky: maxAbsDiff(exact.coefficients, s.coef),
      choleskyIntercept: Math.abs(exact.intercept - s.intercept),
      choleskyPred: maxAbsDiff(exact.predictValues(table.columns), s.pred),
      lbfgs: maxAbsDiff(iterative.coefficients, s.coef),
    };
    console.info(
      `Ridge(alpha=${l2}): max |Δcoef| cholesky ${d.cholesky.toExponential(2)} (intercept ${d.choleskyIntercept.toExponential(2)}, predictions ${d.choleskyPred.toExponential(2)}), ` +
        `lbfgs ${d.lbfgs.toExponential(2)} after ${iterative.training.iterations} iterations`,
    );
    expect(d.cholesky).toBeLessThan(1e-9);
    expect(d.choleskyIntercept).toBeLessThan(1e-9);
    expect(d.choleskyPred).toBeLessThan(1e-9);
    expect(d.lbfgs).toBeLessThan(1e-5);
    expect(Math.abs(iterative.intercept - s.intercept)).toBeLessThan(1e-5);
  });
});
