// numpySum reproduces np.sum bit for bit (pairwise blocks, 8192-element chunks).
import { describe, expect, it } from 'vitest';
import { seededUniform } from '../../test/fixtures/ml/metric-cases.js';
import { SKLEARN_PYTHON, sklearnUnavailable } from '../../test/fixtures/ml/sklearn-metrics.js';
import { runPythonJson } from '../../test/fixtures/ml/python.js';
import { numpyMean, numpySum } from './numpy-sum.js';

const NO_NUMPY = sklearnUnavailable();

describe('numpySum', () => {
  it('adds short arrays left to right and is exact on integers', () => {
    expect(numpySum([0.1, 0.2, 0.3])).toBe(0.1 + 0.2 + 0.3);
    expect(numpySum(Float64Array.from({ length: 20000 }, (_, i) => i))).toBe((19999 * 20000) / 2);
    expect(numpyMean([])).toBeNaN();
  });

  it.skipIf(NO_NUMPY !== null)('equals np.sum exactly for lengths around every block boundary', () => {
    const u = seededUniform(42);
    const lengths = [1, 7, 8, 9, 15, 16, 17, 127, 128, 129, 255, 256, 257, 1000, 1461, 8191, 8192, 8193, 20000];
    const arrays = lengths.map((n) => Array.from({ length: n }, () => (u() - 0.5) * 10 ** Math.floor(u() * 8)));
    const sums = runPythonJson<number[]>(SKLEARN_PYTHON, 'import numpy as np\nprint(json.dumps([float(np.sum(np.array(a, dtype=np.float64))) for a in INPUT]))', arrays);
    arrays.forEach((a, i) => expect(numpySum(a), `n = ${a.length}`).toBe(sums[i]));
  });
});
