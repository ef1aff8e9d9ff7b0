// Search plans: a grid's cartesian product in the order given, seeded random draws inside their
// distributions (the same seed, the same trials), the metric's direction, the best trial (the
// earliest on a tie), and refusals naming the field.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import type { SearchSpec } from '../../domain/search.js';
import { bestTrial, planSearch } from './search-space.js';

const LOGISTIC = { features: [{ name: 'x', kind: 'numeric' as const }] };
const GBDT = { ...LOGISTIC, algorithm: 'gbdt' };

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return String(e.details?.field);
    throw e;
  }
  return undefined;
}

describe('planSearch', () => {
  it('expands a grid in the order the params are given, maximizing a score by default', () => {
    const plan = planSearch({ method: 'grid', params: { l2: [0.1, 1], max_iter: [50, 100, 200] }, metric: 'accuracy' }, LOGISTIC);
    expect(plan.trials).toEqual([
      { l2: 0.1, max_iter: 50 },
      { l2: 0.1, max_iter: 100 },
      { l2: 0.1, max_iter: 200 },
      { l2: 1, max_iter: 50 },
      { l2: 1, max_iter: 100 },
      { l2: 1, max_iter: 200 },
    ]);
    expect(plan).toMatchObject({ metric: 'accuracy', direction: 'maximize', validationFraction: 0.2 });
    expect(planSearch({ method: 'grid', params: { l2: [1] }, metric: 'rmse' }, { ...LOGISTIC, algorithm: 'linear_regression' }).direction).toBe('minimize');
  });

  it('draws random trials inside their distributions, the same for the same seed', () => {
    const spec: SearchSpec = {
      method: 'random',
      n_trials: 50,
      seed: 7,
      metric: 'macro_f1',
      params: { learning_rate: { log_uniform: [0.01, 1] }, max_leaf_nodes: { int: [2, 5] }, subsample: { uniform: [0.5, 1] }, early_stopping: { choice: [true, false] }, max_depth: [3, null] },
    };
    const a = planSearch(spec, GBDT).trials;
    expect(a).toEqual(planSearch(spec, GBDT).trials);
    expect(a).not.toEqual(planSearch({ ...spec, seed: 8 }, GBDT).trials);
    for (const t of a) {
      expect(t.learning_rate as number).toBeGreaterThanOrEqual(0.01);
      expect(t.learning_rate as number).toBeLessThanOrEqual(1);
      expect([2, 3, 4, 5]).toContain(t.max_leaf_nodes);
      expect(t.subsample as number).toBeGreaterThanOrEqual(0.5);
      expect([true, false]).toContain(t.early_stopping);
      expect([3, null]).toContain(t.max_depth);
    }
    // A log-uniform draw spreads over the decades: about half the draws under 0.1.
    const small = a.filter((t) => (t.learning_rate as number) < 0.1).length;
    expect(small).toBeGreaterThan(12);
    expect(small).toBeLessThan(38);
    expect(new Set(a.map((t) => t.max_leaf_nodes)).size).toBe(4);
  });

  it('names the field of every bad search', () => {
    const grid = (params: Record<string, unknown>, extra: object = {}) => () => planSearch({ method: 'grid', params, metric: 'accuracy', ...extra } as SearchSpec, LOGISTIC);
    expect(fieldOf(grid({}))).toBe('body.search.params');
    expect(fieldOf(grid({ nope: [1] }))).toBe('body.search.params.nope');
    expect(fieldOf(grid({ l2: [] }))).toBe('body.search.params.l2');
    expect(fieldOf(grid({ l2: [0, 1] }))).toBe('body.search.params.l2');
    expect(fieldOf(grid({ l2: [{}] }))).toBe('body.search.params.l2');
    expect(fieldOf(grid({ l2: [1], max_iter: Array.from({ length: 201 }, (_, i) => i + 1) }))).toBe('body.search.params');
    expect(fieldOf(grid({ l2: [1] }, { metric: 'auc' }))).toBe('body.search.metric');
    expect(fieldOf(grid({ l2: [1] }, { validation_fraction: 1 }))).toBe('body.search.validation_fraction');
    const random = (params: Record<string, unknown>, n: number | undefined = 3) => () => planSearch({ method: 'random', n_trials: n, params, metric: 'accuracy' } as SearchSpec, LOGISTIC);
    expect(fieldOf(random({ l2: { uniform: [1, 2] } }, 201))).toBe('body.search.n_trials');
    expect(fieldOf(random({ l2: { beta: [1, 2] } }))).toBe('body.search.params.l2');
    expect(fieldOf(random({ l2: { uniform: [1] } }))).toBe('body.search.params.l2');
    expect(fieldOf(random({ l2: { uniform: [1, 2], int: [1, 2] } }))).toBe('body.search.params.l2');
    expect(fieldOf(random({ l2: { uniform: [-1, 2] } }))).toBe('body.search.params.l2');
    expect(fieldOf(random({ max_iter: { int: [0, 5] } }))).toBe('body.search.params.max_iter');
    expect(fieldOf(() => planSearch({ method: 'grid', params: { l2: [1] }, metric: 'accuracy' }, { ...LOGISTIC, params: { l2: 2 } }))).toBe('body.search.params.l2');
  });
});

describe('bestTrial', () => {
  const trials = [
    { trial: 0, value: 0.7 },
    { trial: 1, value: null },
    { trial: 2, value: 0.9 },
    { trial: 3, value: 0.9 },
    { trial: 4, value: 0.5 },
  ];
  it('takes the highest or lowest measured value, the earliest on a tie', () => {
    expect(bestTrial(trials, 'maximize')?.trial).toBe(2);
    expect(bestTrial(trials, 'minimize')?.trial).toBe(4);
    expect(bestTrial([{ trial: 0, value: null }], 'maximize')).toBeNull();
  });
});
