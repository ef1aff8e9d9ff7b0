// L-BFGS reaches known minima and reports how it stopped.
import { describe, expect, it } from 'vitest';
import { minimizeLbfgs, type Objective } from './lbfgs.js';

const rosenbrock: Objective = (x, g) => {
  const [a, b] = [x[0], x[1]];
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

describe('minimizeLbfgs', () => {
  it('minimises the Rosenbrock function from (−1.2, 1)', () => {
    const r = minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), { gtol: 1e-10 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(1, 8);
    expect(r.f).toBeLessThan(1e-16);
  });

  it('solves an ill-conditioned quadratic about as fast as scipy L-BFGS-B (978 iterations at m = 10)', () => {
    const scales = Float64Array.from({ length: 50 }, (_, i) => 10 ** ((4 * i) / 49)); // condition 1e4
    const r = minimizeLbfgs(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < x.length; i++) {
          const d = x[i] - i;
          g[i] = scales[i] * d;
          f += 0.5 * scales[i] * d * d;
        }
        return f;
      },
      new Float64Array(50),
      { gtol: 1e-8, ftol: 0, maxIter: 5000 },
    );
    expect(r.reason).toBe('gradient_tolerance');
    expect(r.gradientNorm).toBeLessThanOrEqual(1e-8);
    r.x.forEach((v, i) => expect(v).toBeCloseTo(i, 6));
    expect(r.iterations).toBeLessThan(1200);
  });

  it('reports max_iter without convergence', () => {
    const r = minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), { maxIter: 3, gtol: 1e-12 });
    expect(r).toMatchObject({ converged: false, reason: 'max_iter', iterations: 3 });
  });

  it('returns at once at a stationary point', () => {
    const r = minimizeLbfgs(rosenbrock, Float64Array.of(1, 1));
    expect(r).toMatchObject({ converged: true, reason: 'gradient_tolerance', iterations: 0, evaluations: 1 });
  });
});
