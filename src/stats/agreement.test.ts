// Agreement coefficients reproduce the published worked examples (test/fixtures/ml/agreement.json,
// a copy of /work/shared/reference/agreement.json) to full precision.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohenKappa, cohenKappaFromPairs, fleissKappa, krippendorffAlpha, majorityVote, percentAgreement, ratingCounts } from './agreement.js';

interface Reference {
  fleiss: { counts_per_subject_and_category: number[][]; raters_per_subject: number; kappa: number; published: number };
  cohen: { pairs: Record<string, number>; kappa: number; published: number };
  krippendorff: { observers_by_units: (number | null)[][]; alpha_nominal: number; alpha_interval: number; published: { nominal: number; interval: number } };
}
const ref = JSON.parse(readFileSync(new URL('../../test/fixtures/ml/agreement.json', import.meta.url), 'utf8')) as Reference;

/** The reference values are rounded to 12 decimals: agree to within half a unit of the 12th. */
const FULL = 5e-13;

describe('majority vote', () => {
  it('picks the most frequent label and skips missing ones', () => {
    expect(majorityVote(['cat', 'dog', 'dog', null, ''])).toEqual({ label: 'dog', count: 2, total: 3, share: 2 / 3, tie: false, tied: ['dog'] });
  });
  it('breaks ties by the given label order, then code-point order', () => {
    expect(majorityVote(['cat', 'dog'], ['dog', 'cat'])).toMatchObject({ label: 'dog', tie: true, tied: ['dog', 'cat'] });
    expect(majorityVote(['b', 'a', 'c'], ['c'])).toMatchObject({ label: 'c', tie: true, tied: ['c', 'a', 'b'] });
    expect(majorityVote(['b', 'a'])).toMatchObject({ label: 'a', tie: true });
  });
  it('reports an item without labels', () => {
    expect(majorityVote([null, undefined])).toMatchObject({ label: null, count: 0, total: 0, tie: false });
  });
});

describe('percent agreement', () => {
  it('averages pairwise agreement over items with two or more labels', () => {
    expect(percentAgreement([['a', 'a'], ['a', 'b'], ['b', 'b'], ['a', null]])).toBe(2 / 3);
    // 3 raters: one agreeing pair of three.
    expect(percentAgreement([['a', 'a', 'b']])).toBe(1 / 3);
    expect(percentAgreement([['a', null]])).toBeNaN();
  });
});

describe("Fleiss' kappa", () => {
  it('reproduces Fleiss (1971): 10 subjects × 14 raters × 5 categories', () => {
    const k = fleissKappa(ref.fleiss.counts_per_subject_and_category);
    expect(Math.abs(k - ref.fleiss.kappa)).toBeLessThan(FULL);
    expect(k.toFixed(2)).toBe(ref.fleiss.published.toFixed(2));
  });
  it('builds counts from ratings and rejects unequal rater counts', () => {
    const { categories, counts } = ratingCounts([['a', 'b'], ['b', 'b']]);
    expect(categories).toEqual(['a', 'b']);
    expect(counts).toEqual([[1, 1], [0, 2]]);
    expect(fleissKappa([[2, 0], [0, 2]])).toBe(1);
    expect(() => fleissKappa([[1, 1], [3, 0]])).toThrow(/expected 2/);
  });
});

describe("Cohen's kappa", () => {
  it('reproduces the 50-item yes/no example (κ = 0.4)', () => {
    expect(cohenKappaFromPairs(ref.cohen.pairs)).toBe(ref.cohen.kappa);
    // The same table as two raters' label lists.
    const r1: string[] = [];
    const r2: string[] = [];
    for (const [key, n] of Object.entries(ref.cohen.pairs)) {
      const [a, b] = key.split(',');
      for (let i = 0; i < n; i++) {
        r1.push(a);
        r2.push(b);
      }
    }
    expect(cohenKappa(r1, r2)).toBe(ref.cohen.kappa);
    expect(cohenKappa([...r1, 'yes'], [...r2, null])).toBe(ref.cohen.kappa); // a missing rating drops the item
  });
  it('is 1 for identical raters and 0.5 on a small hand case', () => {
    expect(cohenKappa(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(1);
    expect(cohenKappa(['y', 'y', 'n', 'n'], ['y', 'n', 'n', 'n'])).toBe(0.5);
  });
});

describe("Krippendorff's alpha", () => {
  it('reproduces Krippendorff (2011): 4 observers × 12 units with missing values', () => {
    const data = ref.krippendorff.observers_by_units;
    const nominal = krippendorffAlpha(data, 'nominal');
    const interval = krippendorffAlpha(data, 'interval');
    expect(Math.abs(nominal - ref.krippendorff.alpha_nominal)).toBeLessThan(FULL);
    expect(Math.abs(interval - ref.krippendorff.alpha_interval)).toBeLessThan(FULL);
    expect(nominal.toFixed(3)).toBe(ref.krippendorff.published.nominal.toFixed(3));
    expect(interval.toFixed(3)).toBe(ref.krippendorff.published.interval.toFixed(3));
  });
});
