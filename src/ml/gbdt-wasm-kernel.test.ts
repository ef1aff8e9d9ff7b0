// The WebAssembly kernels give their JavaScript versions' results bit for bit: Math.exp's values,
// the histograms, the partition, the leaf-value sums and the binary gradients; and a fit gives
// the same model bytes with and without them.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../domain/seeded-random.js';
import { partitionChunk } from './gbdt-grower.js';
import { buildHistograms, FEATURE_STRIDE } from './gbdt-histogram.js';
import { gradientRows } from './gbdt-objectives.js';
import { fitGbdt } from './gbdt-train.js';
import { kernelArena, workspaceKernels } from './gbdt-wasm-kernel.js';
import { addLeafValues } from './gbdt-worker-pool.js';

describe('WebAssembly training kernels', () => {
  const r = seededRandom(11);
  const n = 2003;
  const F = 5;
  const arena = kernelArena([F * n, 4 * n, 4 * n, 16 * (n + 7), 4 * F, 2 * 8 * F * FEATURE_STRIDE, 8 * n, 8 * n, 256, 8 * n])!;
  const k = workspaceKernels({ wasm: arena.wasm })!;
  const bins = arena.take(Uint8Array, F * n);
  const rows = arena.take(Uint32Array, n);
  const tmp = arena.take(Uint32Array, n);
  const gh = arena.take(Float64Array, 2 * (n + 7));
  const feats = arena.take(Int32Array, F);
  const hist = arena.take(Float64Array, 2 * F * FEATURE_STRIDE);
  const y = arena.take(Float64Array, n);
  const raw = arena.take(Float64Array, n);
  const goesLeft = arena.take(Uint8Array, 256);
  bins.forEach((_, i) => (bins[i] = i % 7 === 0 ? 255 : Math.floor(r() * 60)));
  gh.forEach((_, i) => (gh[i] = r() - 0.3));

  it('computes exp exactly as Math.exp', () => {
    const xs = [0, -0, 1, -1, NaN, Infinity, -Infinity, 709.78, 709.79, -745.13, -745.14, 1e-300, 2 ** -29, 1024 * Math.LN2, -1030 * Math.LN2];
    for (let i = 0; i < 200_000; i++) xs.push((r() - 0.5) * (i % 2 === 0 ? 40 : 1500));
    expect(xs.filter((x) => !Object.is(k.exp(x), Math.exp(x)))).toEqual([]);
  });

  it('builds the same histograms as the JavaScript kernel, bit for bit', () => {
    const segment = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1);
    rows.set(segment);
    feats.set([0, 2, 3, 4, 1]);
    const js = new Float64Array(hist.length);
    for (const [kFrom, kTo] of [[0, 5], [1, 3], [1, 4]]) {
      js.fill(1);
      hist.fill(1);
      buildHistograms(bins, F, rows, gh, 7, 5, segment.length - 5, feats, kFrom, kTo, js, F * FEATURE_STRIDE);
      k.build(bins, F, rows, gh, 7, 5, segment.length - 5, feats, kFrom, kTo, hist, F * FEATURE_STRIDE);
      expect(hist).toEqual(js);
    }
  });

  it('partitions and adds leaf values as the JavaScript kernels do', () => {
    goesLeft.fill(0);
    for (let b = 0; b < 30; b++) goesLeft[b] = 1;
    const segment = Uint32Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 !== 0);
    const [jsRows, jsTmp, jsCounts, counts] = [segment.slice(), new Uint32Array(n), new Int32Array(2), new Int32Array(2)];
    rows.set(segment);
    partitionChunk(jsRows, jsTmp, bins, 2 * n, goesLeft, 3, segment.length - 2, jsCounts, 1);
    k.partition(rows, tmp, bins, 2 * n, goesLeft, 3, segment.length - 2, counts, 1);
    expect(counts).toEqual(jsCounts);
    expect(rows.subarray(0, segment.length)).toEqual(jsRows);
    expect(tmp.subarray(3, segment.length - 2 - counts[1])).toEqual(jsTmp.subarray(3, segment.length - 2 - counts[1]));

    const value = arena.take(Float64Array, n);
    value.forEach((_, i) => (value[i] = r() - 0.5));
    raw.forEach((_, i) => (raw[i] = r()));
    const jsRaw = raw.slice();
    addLeafValues(jsRaw, 0, rows, value, 10, segment.length);
    k.leafValues(raw, 0, rows, value, 10, segment.length);
    expect(raw).toEqual(jsRaw);
  });

  it('computes binary gradients exactly as gradientRows', () => {
    y.forEach((_, i) => (y[i] = r() < 0.3 ? 1 : 0));
    raw.forEach((_, i) => (raw[i] = (r() - 0.5) * 30));
    const js = new Float64Array(2 * n);
    gradientRows(1, y, raw, 1, js, 1, n - 1);
    gh.fill(0);
    k.gradients(1, y, raw, 1, gh, 1, n - 1);
    expect(gh.subarray(0, 2 * n)).toEqual(js);
  });

  it('gives the same model bytes as the JavaScript kernels', () => {
    const m = 6000;
    const rr = seededRandom(5);
    const a = Float64Array.from({ length: m }, () => rr() * 10);
    const b = Float64Array.from({ length: m }, () => (rr() < 0.1 ? NaN : rr()));
    const c = Array.from({ length: m }, () => ['x', 'y', 'z', 'w'][Math.floor(rr() * 4)]);
    const target = Array.from({ length: m }, (_, i) => (a[i] + (c[i] === 'y' ? 3 : 0) + rr() * 2 > 7 ? 'yes' : 'no'));
    const table = {
      features: [
        { name: 'a', kind: 'numeric' as const },
        { name: 'b', kind: 'numeric' as const },
        { name: 'c', kind: 'categorical' as const },
      ],
      columns: { a, b, c },
      target,
    };
    const params = { max_iter: 15, max_leaf_nodes: 15, early_stopping: false, seed: 3 };
    const bytes = (wasm: boolean) => JSON.stringify(fitGbdt(table, params, { threads: 1, wasm }).toJSON());
    expect(bytes(true)).toBe(bytes(false));
  });
});
