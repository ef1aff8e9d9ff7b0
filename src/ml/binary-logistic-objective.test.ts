// The binary objective: the gradient of its value, and the same value and gradient as the
// two-class softmax objective at W_1 = −W_0 = w/2 (so both fits share minimiser and stopping test).
import { describe, expect, it } from 'vitest';
import { binaryLogisticObjective } from './binary-logistic-objective.js';
import { softmaxObjective } from './softmax-objective.js';

// 7 rows (not a multiple of the four-row blocks) × 3 columns.
const X = Float64Array.of(0.5, -1, 2, 0.3, -0.7, 1.1, 0, 0.2, 1.5, -2, 0.1, 0.4, 1, 1, -1, 0.2, -0.3, 0.9, 3, -2, 0.5);
const y = Int32Array.of(0, 1, 1, 0, 1, 0, 1);

describe('binaryLogisticObjective', () => {
  it('has the gradient of its value (central differences)', () => {
    const f = binaryLogisticObjective(X, 7, 3, y, 0.7);
    const theta = Float64Array.of(0.4, -1.3, 0.8, 0.25);
    const g = new Float64Array(4);
    f(theta, g);
    for (let i = 0; i < 4; i++) {
      const [tp, tm] = [Float64Array.from(theta), Float64Array.from(theta)];
      tp[i] += 1e-6;
      tm[i] -= 1e-6;
      expect(g[i]).toBeCloseTo((f(tp, new Float64Array(4)) - f(tm, new Float64Array(4))) / 2e-6, 7);
    }
  });

  it('equals the two-class softmax objective at W_1 = −W_0 = w/2, gradient included', () => {
    const l2 = 0.7;
    const w = Float64Array.of(0.4, -1.3, 0.8, 0.25);
    const gb = new Float64Array(4);
    const fb = binaryLogisticObjective(X, 7, 3, y, l2)(w, gb);
    const theta = Float64Array.of(-0.2, 0.65, -0.4, -0.125, 0.2, -0.65, 0.4, 0.125);
    const gs = new Float64Array(8);
    const fs = softmaxObjective(X, 7, 3, y, 2, l2)(theta, gs);
    expect(fb).toBeCloseTo(fs, 12);
    for (let j = 0; j < 4; j++) {
      expect(gb[j]).toBeCloseTo(gs[4 + j], 12);
      expect(gs[j]).toBeCloseTo(-gs[4 + j], 12);
    }
  });
});
