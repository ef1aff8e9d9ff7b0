// Majority vote and Fleiss' κ against hand-computed cases and Fleiss' published worked example.
import { describe, expect, it } from 'vitest';
import { countTable, fleissKappa, majorityVote, subjectAgreement } from './annotation-agreement.js';

/** Fleiss (1971): 10 subjects × 14 raters × 5 categories, κ = 0.210 (full precision below). */
const FLEISS_1971 = {
  counts: [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ],
  kappa: 0.209930704422,
};

describe('majorityVote', () => {
  it('picks the most frequent label with its share', () => {
    expect(majorityVote(['rain', 'sun', 'rain'])).toEqual({ label: 'rain', count: 2, agreement: 2 / 3, tie: false });
    expect(majorityVote(['sun', 'sun', 'sun'])).toEqual({ label: 'sun', count: 3, agreement: 1, tie: false });
  });

  it('breaks a tie by the label configuration order, whatever order the labels came in', () => {
    const order = ['drizzle', 'fog', 'rain', 'snow', 'sun'];
    for (const labels of [['sun', 'fog', 'rain'], ['rain', 'sun', 'fog'], ['fog', 'rain', 'sun']]) {
      expect(majorityVote(labels, order)).toEqual({ label: 'fog', count: 1, agreement: 1 / 3, tie: true });
    }
    expect(majorityVote(['sun', 'rain', 'sun', 'rain'], order)).toMatchObject({ label: 'rain', tie: true, agreement: 0.5 });
  });

  it('a later larger count clears an earlier tie', () => {
    expect(majorityVote(['a', 'b', 'c', 'c'])).toMatchObject({ label: 'c', tie: false, count: 2 });
  });

  it('refuses an empty list', () => {
    expect(() => majorityVote([])).toThrow(RangeError);
  });
});

describe('Fleiss kappa', () => {
  it("reproduces Fleiss (1971)'s worked example to full precision", () => {
    const r = fleissKappa(FLEISS_1971.counts);
    expect(r.subjects).toBe(10);
    expect(r.kappa).toBeCloseTo(FLEISS_1971.kappa, 11);
  });

  it('is 1 for perfect agreement across categories, undefined when all ratings share one category', () => {
    expect(fleissKappa(countTable([['a', 'a', 'a'], ['b', 'b', 'b']])).kappa).toBeCloseTo(1, 12);
    expect(fleissKappa(countTable([['a', 'a', 'a'], ['a', 'a', 'a']])).kappa).toBeNull();
    expect(fleissKappa([]).kappa).toBeNull();
  });

  it('computes observed pairwise agreement per subject', () => {
    expect(subjectAgreement([2, 1])).toBeCloseTo(1 / 3, 12);
    expect(subjectAgreement([1, 1, 1])).toBe(0);
    expect(Number.isNaN(subjectAgreement([1]))).toBe(true);
  });

  it('builds the count table in category order, unknown labels after', () => {
    expect(countTable([['a', 'a', 'b'], ['b', 'c', 'b']], ['b', 'a'])).toEqual([
      [1, 2, 0],
      [2, 0, 1],
    ]);
  });
});
