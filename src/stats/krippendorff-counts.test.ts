// Krippendorff's alpha from per-unit value counts equals alpha from the observers × units matrix:
// the published worked example (test/fixtures/ml/agreement.json) to full precision, nominal and
// interval, and weights standing for repeated units.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from './agreement.js';
import { krippendorffAlphaFromCounts } from './krippendorff-counts.js';

const ref = JSON.parse(readFileSync(new URL('../../test/fixtures/ml/agreement.json', import.meta.url), 'utf8')) as {
  krippendorff: { observers_by_units: (number | null)[][]; alpha_nominal: number; alpha_interval: number };
};
const FULL = 5e-13;

/** Units × values counts of an observers × units matrix. */
function countsOf(data: (number | null)[][]): { values: number[]; counts: number[][] } {
  const values = [...new Set(data.flat().filter((v): v is number => v !== null))].sort((a, b) => a - b);
  const counts = data[0].map((_, u) => values.map((v) => data.filter((row) => row[u] === v).length));
  return { values, counts };
}

describe("Krippendorff's alpha from counts", () => {
  it('reproduces Krippendorff (2011) from the value counts of each unit, nominal and interval', () => {
    const { values, counts } = countsOf(ref.krippendorff.observers_by_units);
    expect(Math.abs(krippendorffAlphaFromCounts(counts, values, 'nominal') - ref.krippendorff.alpha_nominal)).toBeLessThan(FULL);
    expect(Math.abs(krippendorffAlphaFromCounts(counts, values, 'interval') - ref.krippendorff.alpha_interval)).toBeLessThan(FULL);
  });

  it('agrees with the matrix form on labels, and a weight stands for that many identical units', () => {
    const data = [
      ['a', 'b', 'a', 'c', null, 'b'],
      ['a', 'b', 'b', 'c', 'a', 'b'],
      [null, 'b', 'a', 'a', 'a', null],
    ];
    const values = ['a', 'b', 'c'];
    const counts = data[0].map((_, u) => values.map((v) => data.filter((row) => row[u] === v).length));
    expect(krippendorffAlphaFromCounts(counts, values)).toBeCloseTo(krippendorffAlpha(data), 12);
    const twice = [...counts, counts[2]];
    expect(krippendorffAlphaFromCounts(counts, values, 'nominal', [1, 1, 2, 1, 1, 1])).toBeCloseTo(krippendorffAlphaFromCounts(twice, values), 12);
  });

  it('is NaN when no disagreement can be expected, and refuses non-numbers for interval', () => {
    expect(krippendorffAlphaFromCounts([[2, 0], [3, 0]], ['a', 'b'])).toBeNaN();
    expect(() => krippendorffAlphaFromCounts([[1, 1]], ['a', 'b'], 'interval')).toThrow(/numeric/);
  });
});
