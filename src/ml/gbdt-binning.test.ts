// Binning: float32 edges between neighbouring values, quantiles for many values, the missing bin,
// the category cap, and the rejection of infinite training values.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.js';
import { seededRandom } from '../domain/seeded-random.js';
import { binRows, fitBinning, MISSING_BIN, numericBin, numericThresholds, sortFloat32 } from './gbdt-binning.js';

const f32 = (x: number) => Math.fround(x);

describe('numericThresholds', () => {
  it('puts float32 midpoints between distinct values when they fit in the bins', () => {
    expect(numericThresholds(Float32Array.of(3, 1, 2, 2, 1), 255)).toEqual([1.5, 2.5]);
    expect(numericThresholds(Float32Array.of(7, 7, 7), 255)).toEqual([]);
    const t = numericThresholds(Float32Array.of(0.1, 0.2), 255);
    expect(t).toEqual([f32((f32(0.1) + f32(0.2)) / 2)]);
    expect(t[0]).toBe(f32(t[0])); // a float32 value
  });

  it('separates adjacent float32 values with the lower one (no float32 lies between them)', () => {
    const a = f32(1);
    const b = f32(1 + 2 ** -23); // the next float32 after 1
    const t = numericThresholds(Float32Array.of(b, a, a, b), 255);
    expect(t).toEqual([a]);
    expect(numericBin(t, a)).toBe(0);
    expect(numericBin(t, b)).toBe(1);
  });

  it('places at most max_bins − 1 quantile edges, giving bins of similar size', () => {
    const values = Float32Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
    const t = numericThresholds(values, 16);
    expect(t.length).toBe(15);
    const counts = new Array(16).fill(0);
    for (const v of values) counts[numericBin(t, v)]++;
    expect(Math.min(...counts)).toBeGreaterThan(600);
    expect(Math.max(...counts)).toBeLessThan(650);
    for (const e of t) expect(e).toBe(f32(e));
  });
});

describe('sortFloat32 and numericBin', () => {
  it('sort like TypedArray#sort and count the thresholds below a value', () => {
    const r = seededRandom(3);
    const values = Float32Array.from({ length: 5000 }, (_, i) => (i % 10 === 0 ? -0 : i % 7 === 0 ? 3.5 : (r() - 0.5) * 1e6));
    expect(Array.from(sortFloat32(values))).toEqual(Array.from(Float32Array.from(values).sort()));
    const t = numericThresholds(values, 64);
    for (const x of [...values.subarray(0, 500), ...t, -Infinity, Infinity, -1e9, 1e9]) {
      expect(numericBin(t, x)).toBe(t.filter((e) => e < x).length);
    }
    expect(numericBin([], 5)).toBe(0);
  });
});

describe('fitBinning and binRows', () => {
  const features = [
    { name: 'x', kind: 'numeric' as const },
    { name: 'c', kind: 'categorical' as const },
  ];
  const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

  it('bins float64 values through their float32 cast; missing values and unknown categories go to the missing bin', () => {
    const columns = { x: [0.1, 0.1 + 1e-12, 0.3, null, NaN, 0.2], c: ['b', 'a', null, '', 'b', 'a'] };
    const binning = fitBinning(features, columns, all(6), all(6), 255);
    expect(binning[0]).toEqual({ kind: 'numeric', thresholds: [f32((f32(0.1) + f32(0.2)) / 2), f32((f32(0.2) + f32(0.3)) / 2)] });
    expect(binning[1]).toEqual({ kind: 'categorical', categories: ['a', 'b'] });
    const out = new Uint8Array(2 * 4);
    binRows(features, binning, { x: [0.1 + 1e-12, 0.26, null, 1e9], c: ['a', 'zzz', 'b', null] }, all(4), out, true);
    expect(Array.from(out)).toEqual([0, 0, 2, MISSING_BIN, MISSING_BIN, 1, 2, MISSING_BIN]); // row-major: (x, c) per row
  });

  it('keeps the max_bins most frequent categories (ties in code-point order), coded in code-point order', () => {
    const c = ['z', 'z', 'z', 'y', 'y', 'b', 'b', 'a', 'q'];
    const binning = fitBinning([features[1]], { c }, all(c.length), all(c.length), 3);
    expect(binning[0]).toEqual({ kind: 'categorical', categories: ['b', 'y', 'z'] });
  });

  it('bins many rows (bucket table) exactly as numericBin does', () => {
    const r = seededRandom(4);
    const raw = Array.from({ length: 6000 }, (_, i) => (i % 11 === 0 ? -0 : i % 13 === 0 ? 0 : i % 17 === 0 ? 1e-40 : (r() - 0.3) * 10 ** Math.floor(r() * 8 - 3)));
    for (const maxBins of [255, 7]) {
      const binning = fitBinning([features[0]], { x: raw }, all(raw.length), all(raw.length), maxBins);
      const t = binning[0].kind === 'numeric' ? binning[0].thresholds : [];
      // The thresholds themselves, their float32 neighbours, and values past both ends.
      const probe = [...raw, ...t, ...t.map((e) => f32(e * (1 + 2 ** -23))), ...t.map((e) => f32(e * (1 - 2 ** -23))), -Infinity, Infinity, -0, 3e38, -3e38];
      const out = new Uint8Array(probe.length);
      binRows([features[0]], binning, { x: probe }, all(probe.length), out, false);
      expect(Array.from(out)).toEqual(probe.map((x) => numericBin(t, f32(x))));
    }
  });

  it('rejects an infinite training value, naming the feature and row', () => {
    const binning = fitBinning([features[0]], { x: [1, 2] }, all(2), all(2), 255);
    const run = () => binRows([features[0]], binning, { x: [1, Infinity] }, all(2), new Uint8Array(2), true);
    expect(run).toThrow(ValidationError);
    expect(run).toThrow("numeric feature 'x' has an infinite value at row 1");
    const out = new Uint8Array(2);
    binRows([features[0]], binning, { x: [-Infinity, Infinity] }, all(2), out, false);
    expect(Array.from(out)).toEqual([0, 1]);
  });
});
