// Histogram kernel: the unrolled loop gives the plain loop's sums bit for bit, and the
// subtraction trick gives the sibling's histogram (counts exactly).
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../domain/seeded-random.js';
import { buildHistograms, FEATURE_STRIDE, subtractHistograms } from './gbdt-histogram.js';

describe('gradient histograms', () => {
  const r = seededRandom(7);
  const n = 1003;
  const F = 3;
  const bins = Uint8Array.from({ length: n * F }, (_, i) => (i % 5 === 0 ? 255 : Math.floor(r() * 40)));
  const g = Float64Array.from({ length: n }, () => r() - 0.5);
  const h = Float64Array.from({ length: n }, () => r());
  const feats = Int32Array.of(0, 1, 2);
  // Gradients of this output start at OFF in the (multi-output) gradient arrays.
  const OFF = 7;
  const gh = new Float64Array(2 * (OFF + n));
  g.forEach((v, i) => (gh[2 * (OFF + i)] = v));
  h.forEach((v, i) => (gh[2 * (OFF + i) + 1] = v));

  /** Histograms of rows `rows` (partition order). */
  function hist(rows: number[]) {
    const out = new Float64Array(F * FEATURE_STRIDE);
    buildHistograms(bins, F, Uint32Array.from(rows), gh, OFF, 0, rows.length, feats, 0, F, out, 0);
    return out;
  }

  it('sums each bin in row order, exactly as a plain loop does', () => {
    const rows = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1);
    const fast = hist(rows);
    const plain = new Float64Array(F * FEATURE_STRIDE);
    for (let f = 0; f < F; f++) {
      for (const i of rows) {
        const j = f * FEATURE_STRIDE + bins[i * F + f] * 3;
        plain[j] += g[i];
        plain[j + 1] += h[i];
        plain[j + 2] += 1;
      }
    }
    expect(fast).toEqual(plain);
    expect(fast[255 * 3 + 2]).toBe(rows.filter((i) => (i * F) % 5 === 0).length);
  });

  it('gives the same histograms for a sampled (non-contiguous) feature list', () => {
    const rows = Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 !== 0);
    const all = hist(rows);
    const some = new Float64Array(F * FEATURE_STRIDE);
    const sampled = Int32Array.of(0, 2);
    buildHistograms(bins, F, Uint32Array.from(rows), gh, OFF, 0, rows.length, sampled, 0, 2, some, 0);
    for (const f of [0, 2]) expect(some.subarray(f * FEATURE_STRIDE, (f + 1) * FEATURE_STRIDE)).toEqual(all.subarray(f * FEATURE_STRIDE, (f + 1) * FEATURE_STRIDE));
    expect(some.subarray(FEATURE_STRIDE, 2 * FEATURE_STRIDE).every((v) => v === 0)).toBe(true);
  });

  it('builds a sibling as parent − child', () => {
    const parent = Array.from({ length: n }, (_, i) => i);
    const left = parent.filter((i) => bins[i * F] < 20);
    const right = parent.filter((i) => bins[i * F] >= 20);
    const arena = new Float64Array(2 * F * FEATURE_STRIDE);
    arena.set(hist(parent), 0);
    arena.set(hist(left), F * FEATURE_STRIDE);
    subtractHistograms(arena, 0, F * FEATURE_STRIDE, 0, feats, F);
    const direct = hist(right);
    for (let j = 0; j < direct.length; j++) {
      if (j % 3 === 2) expect(arena[j]).toBe(direct[j]);
      else expect(Math.abs(arena[j] - direct[j])).toBeLessThan(1e-12);
    }
  });
});
