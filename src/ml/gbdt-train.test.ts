// Gradient-boosted trees: parameter validation, reproducibility (seed, threads), the three
// objectives, the growth limits, missing values, categorical set splits and early stopping.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.js';
import { accuracy, rocAuc } from '../stats/index.js';
import { synthetic } from '../../test/fixtures/ml/synthetic.js';
import type { Columns } from './feature-spec.js';
import { GbdtModel } from './gbdt-model.js';
import { exportGbdtOnnx } from './gbdt-onnx-export.js';
import { GBDT_DEFAULTS, resolveGbdtParams } from './gbdt-params.js';
import { fitGbdt } from './gbdt-train.js';
import type { GbdtTree } from './gbdt-tree.js';
import { histogramPool } from './gbdt-worker-pool.js';

/** Rows [from, to) of every column and the target. */
function rowsOf<T extends { columns: Record<string, Float64Array | Array<string | null>>; target: string[] | Float64Array }>(t: T, from: number, to: number) {
  const columns: Record<string, Float64Array | Array<string | null>> = {};
  for (const [k, v] of Object.entries(t.columns)) columns[k] = v.slice(from, to);
  return { columns: columns as Columns, target: t.target.slice(from, to) as T['target'] };
}

const leafCount = (t: GbdtTree) => t.feature.filter((f) => f < 0).length;
function depth(t: GbdtTree, node = 0): number {
  return t.feature[node] < 0 ? 0 : 1 + Math.max(depth(t, t.left[node]), depth(t, t.right[node]));
}
const bytes = (m: GbdtModel) => JSON.stringify(m.toJSON());

describe('gbdt params', () => {
  it.each([
    [{ learning_rate: 0 }, 'learning_rate'],
    [{ max_iter: 1.5 }, 'max_iter'],
    [{ max_leaf_nodes: 1 }, 'max_leaf_nodes'],
    [{ max_depth: 0 }, 'max_depth'],
    [{ min_samples_leaf: 0 }, 'min_samples_leaf'],
    [{ l2_regularization: -1 }, 'l2_regularization'],
    [{ max_bins: 256 }, 'max_bins'],
    [{ subsample: 0 }, 'subsample'],
    [{ colsample_bytree: 1.5 }, 'colsample_bytree'],
    [{ early_stopping: 'yes' }, 'early_stopping'],
    [{ validation_fraction: 1 }, 'validation_fraction'],
    [{ n_iter_no_change: 0 }, 'n_iter_no_change'],
    [{ tol: Number.NaN }, 'tol'],
    [{ objective: 'poisson' }, 'objective'],
    [{ learning_rte: 0.1 }, 'learning_rte'],
  ])('rejects %j naming the field', (params, field) => {
    let error: unknown;
    try {
      resolveGbdtParams(params, 'body.params.');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details?.field).toBe(`body.params.${field}`);
    expect((error as ValidationError).message).toContain(field);
  });

  it('fills in scikit-learn-like defaults and keeps nulls', () => {
    expect(resolveGbdtParams({})).toEqual(GBDT_DEFAULTS);
    expect(resolveGbdtParams({ max_leaf_nodes: null, max_depth: 4, early_stopping: false })).toMatchObject({ max_leaf_nodes: null, max_depth: 4, early_stopping: false, learning_rate: 0.1, max_iter: 100, min_samples_leaf: 20 });
  });
});

describe('fitGbdt', () => {
  const data = synthetic({ rows: 4000, numeric: 6, categorical: 2, missing: 0.05, task: 'binary', seed: 3 });
  const train = rowsOf(data, 0, 3000);
  const test = rowsOf(data, 3000, 4000);
  const table = { features: data.features, ...train };

  it('gives the same model bytes (JSON and ONNX) for the same data, params and seed', () => {
    const params = { max_iter: 15, subsample: 0.7, colsample_bytree: 0.6, early_stopping: true, seed: 11 };
    const a = fitGbdt(table, params);
    const b = fitGbdt(table, params);
    expect(bytes(a)).toBe(bytes(b));
    expect(exportGbdtOnnx(a)).toEqual(exportGbdtOnnx(b));
    expect(bytes(fitGbdt(table, { ...params, seed: 12 }))).not.toBe(bytes(a));
  });

  it('builds the same trees on 1, 2 and 3 threads (histograms split by feature, rows by chunk over worker threads)', () => {
    const big = synthetic({ rows: 40_000, numeric: 6, categorical: 2, missing: 0.05, task: 'multiclass', seed: 5 });
    const params = { max_iter: 4, subsample: 0.8, colsample_bytree: 0.75, early_stopping: true };
    const one = bytes(fitGbdt(big, params, { threads: 1 }));
    expect(bytes(fitGbdt(big, params, { threads: 2 }))).toBe(one);
    expect(bytes(fitGbdt(big, params, { threads: 3 }))).toBe(one);
    // The workers did build histograms (large nodes), not only the calling thread.
    expect(histogramPool(2)!.parallelBuilds).toBeGreaterThan(0);
    expect(histogramPool(3)!.parallelBuilds).toBeGreaterThan(0);
    // Gradients, leaf values and large partitions were spread over them too.
    expect(histogramPool(2)!.parallelRowTasks).toBeGreaterThan(0);
    expect(histogramPool(3)!.parallelRowTasks).toBeGreaterThan(0);
  });

  it('binary: learns the signal, one tree per round', () => {
    const model = fitGbdt(table, { max_iter: 60 });
    expect(model.objective).toBe('binary');
    expect(model.classes).toEqual(['no', 'yes']);
    expect(model.trees.length).toBe(60);
    const p = model.predictProba(test.columns);
    const auc = rocAuc(test.target as string[], Array.from({ length: 1000 }, (_, i) => p.probabilities[2 * i + 1]), 'yes');
    expect(auc).toBeGreaterThan(0.9);
    expect(model.training.train_loss).toBeLessThan(0.35);
  });

  it('multiclass: one tree per class and round; probabilities sum to one', () => {
    const d = synthetic({ rows: 3000, numeric: 5, categorical: 1, task: 'multiclass', seed: 9 });
    const m = fitGbdt({ features: d.features, ...rowsOf(d, 0, 2400) }, { max_iter: 40 });
    expect(m.objective).toBe('multiclass');
    expect(m.classes).toEqual(['a', 'b', 'c']);
    expect(m.trees.length).toBe(120);
    const t = rowsOf(d, 2400, 3000);
    const p = m.predictProba(t.columns);
    for (let i = 0; i < 600; i++) expect(p.probabilities[3 * i] + p.probabilities[3 * i + 1] + p.probabilities[3 * i + 2]).toBeCloseTo(1, 12);
    expect(accuracy(t.target as string[], p.labels)).toBeGreaterThan(0.8);
  });

  it('regression: squared error, R² above 0.9 on held-out rows', () => {
    const d = synthetic({ rows: 4000, numeric: 6, categorical: 1, missing: 0.02, task: 'regression', noise: 0.2, seed: 4 });
    const m = fitGbdt({ features: d.features, ...rowsOf(d, 0, 3000) }, { objective: 'regression', max_iter: 150 });
    expect(m.classes).toBeNull();
    const t = rowsOf(d, 3000, 4000);
    const y = t.target as Float64Array;
    const pred = m.predictValues(t.columns);
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    let ssRes = 0;
    let ssTot = 0;
    y.forEach((v, i) => {
      ssRes += (v - pred[i]) ** 2;
      ssTot += (v - mean) ** 2;
    });
    expect(1 - ssRes / ssTot).toBeGreaterThan(0.9);
    expect(() => m.predict(t.columns)).toThrow(ValidationError);
  });

  it('grows leaf-wise within max_leaf_nodes, max_depth and min_samples_leaf', () => {
    const m = fitGbdt(table, { max_iter: 5, max_leaf_nodes: 7 });
    for (const t of m.trees) expect(leafCount(t)).toBe(7);
    const d = fitGbdt(table, { max_iter: 5, max_leaf_nodes: null, max_depth: 3 });
    for (const t of d.trees) expect(depth(t)).toBe(3);
    // min_samples_leaf: count the training rows reaching each leaf of the first tree.
    const big = fitGbdt(table, { max_iter: 1, max_leaf_nodes: 64, min_samples_leaf: 150 });
    const t = big.trees[0];
    const X = big.valueMatrix(train.columns);
    const counts = new Map<number, number>();
    for (let i = 0; i < X.rows; i++) {
      let node = 0;
      while (t.feature[node] >= 0) {
        const x = X.values[i * big.features.length + t.feature[node]];
        const cats = t.leftCategories[node];
        const left = Number.isNaN(x) ? t.missingLeft[node] === 1 : cats ? cats[x] === 1 : x <= t.threshold[node];
        node = left ? t.left[node] : t.right[node];
      }
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(150);
    expect(leafCount(t)).toBeLessThanOrEqual(20);
  });

  it('grows the same trees when too few histogram slots force it to rebuild instead of subtract', () => {
    const params = { max_iter: 5, max_leaf_nodes: 40, min_samples_leaf: 5 };
    const roomy = fitGbdt(table, params);
    const tight = fitGbdt(table, params, { histogramSlots: 3 });
    tight.trees.forEach((t, i) => {
      const r = roomy.trees[i];
      expect(Array.from(t.feature)).toEqual(Array.from(r.feature));
      expect(Array.from(t.binThreshold)).toEqual(Array.from(r.binThreshold));
      expect(Array.from(t.missingLeft)).toEqual(Array.from(r.missingLeft));
      t.value.forEach((v, j) => expect(v).toBeCloseTo(r.value[j], 10));
    });
  });

  it('learns where missing values go (and sends unseen missing values to the larger child)', () => {
    const n = 2000;
    const x = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? NaN : (i % 97) / 97));
    const z = Float64Array.from({ length: n }, (_, i) => (i % 89) / 89);
    const target = Array.from(x, (v) => (Number.isNaN(v) || v > 0.8 ? 'yes' : 'no'));
    const m = fitGbdt({ features: [{ name: 'x', kind: 'numeric' }, { name: 'z', kind: 'numeric' }], columns: { x, z }, target }, { max_iter: 20, learning_rate: 0.5 });
    expect(m.predict({ x: [NaN, null, 0.9, 0.5], z: [0.1, 0.1, 0.1, 0.1] })).toEqual(['yes', 'yes', 'yes', 'no']);
    // z never misses in training: a missing z follows the larger child at each z split.
    expect(m.predict({ x: [0.5, 0.9], z: [NaN, NaN] })).toEqual(['no', 'yes']);
  });

  it('splits a categorical feature on a set of categories (gradient-ratio ordering)', () => {
    const n = 1200;
    const c = Array.from({ length: n }, (_, i) => `k${(i * 7) % 12}`);
    const target = c.map((v) => (['k1', 'k4', 'k6', 'k11'].includes(v) ? 'yes' : 'no'));
    const m = fitGbdt({ features: [{ name: 'c', kind: 'categorical' }], columns: { c }, target }, { max_iter: 1, max_leaf_nodes: 2, learning_rate: 1, min_samples_leaf: 1 });
    const t = m.trees[0];
    expect(t.feature[0]).toBe(0);
    const binning = m.binning[0];
    if (binning.kind !== 'categorical') throw new Error('expected a categorical binning');
    const left = binning.categories.filter((_, k) => t.leftCategories[0]![k] === 1).sort();
    expect([['k1', 'k11', 'k4', 'k6'], binning.categories.filter((k) => !['k1', 'k4', 'k6', 'k11'].includes(k)).sort()]).toContainEqual(left);
    expect(m.predict({ c: ['k4', 'k5', 'k11', 'k0'] })).toEqual(['yes', 'no', 'yes', 'no']);
  });

  it('stops early when the validation loss stalls, keeping the rounds it did', () => {
    const noisy = synthetic({ rows: 3000, numeric: 4, task: 'binary', noise: 3, seed: 8 });
    const m = fitGbdt(noisy, { max_iter: 300, learning_rate: 0.3, early_stopping: true, n_iter_no_change: 5, validation_fraction: 0.2 });
    expect(m.training.early_stopped).toBe(true);
    expect(m.training.iterations).toBeLessThan(300);
    expect(m.trees.length).toBe(m.training.iterations);
    expect(m.training.validation_loss!.length).toBe(m.training.iterations + 1);
    expect(m.training.rows + m.training.validation_rows).toBe(3000);
    expect(m.training.validation_rows).toBe(600);
    // 'auto' turns it on only above 10,000 rows.
    expect(fitGbdt(noisy, { max_iter: 3 }).training.validation_rows).toBe(0);
  });

  it('survives a JSON round trip bit for bit', () => {
    const m = fitGbdt(table, { max_iter: 10 });
    const back = GbdtModel.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(bytes(back)).toBe(bytes(m));
    expect(back.predictProba(test.columns).probabilities).toEqual(m.predictProba(test.columns).probabilities);
    expect(exportGbdtOnnx(back)).toEqual(exportGbdtOnnx(m));
    expect(() => GbdtModel.fromJSON({ ...m.toJSON(), format: 'x' })).toThrow(ValidationError);
  });

  it('rejects bad training data with errors naming the field or row', () => {
    const features = [{ name: 'x', kind: 'numeric' as const }];
    expect(() => fitGbdt({ features, columns: { x: [1, 2, 3] }, target: ['a', null, 'b'] })).toThrow('the target is missing at row 1');
    expect(() => fitGbdt({ features, columns: { x: [1, 2] }, target: ['a', 'a'] })).toThrow('at least two are needed');
    expect(() => fitGbdt({ features, columns: { x: [1, Infinity] }, target: ['a', 'b'] })).toThrow("numeric feature 'x' has an infinite value at row 1");
    expect(() => fitGbdt({ features, columns: { x: [1, 2] }, target: ['a', 'b'] }, { objective: 'regression' })).toThrow('the regression target must be a finite number at row 0');
    expect(() => fitGbdt({ features, columns: { x: [1, 2, 3] }, target: ['a', 'b', 'c'] }, { objective: 'binary' })).toThrow("objective 'binary' needs two classes");
    expect(() => fitGbdt({ features, columns: { x: [1, 2] }, target: ['a', 'b'] }, { max_bins: 0 })).toThrow(ValidationError);
  });
});
