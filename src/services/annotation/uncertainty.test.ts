// The three uncertainty scores against values computed by hand, and the top-k pick.
import { describe, expect, it } from 'vitest';
import { entropy, leastConfidence, marginUncertainty, topK, uncertainty } from './uncertainty.js';

describe('uncertainty scores', () => {
  it('least confidence is one minus the top probability', () => {
    expect(leastConfidence([0.7, 0.2, 0.1])).toBeCloseTo(0.3, 12);
    expect(leastConfidence([0.5, 0.5])).toBeCloseTo(0.5, 12);
    expect(leastConfidence([1, 0, 0])).toBe(0);
    // Three classes equally likely: 1 − 1/3.
    expect(leastConfidence([1 / 3, 1 / 3, 1 / 3])).toBeCloseTo(2 / 3, 12);
  });

  it('margin is one minus the gap between the two most likely classes', () => {
    expect(marginUncertainty([0.7, 0.2, 0.1])).toBeCloseTo(0.5, 12); // 1 − (0.7 − 0.2)
    expect(marginUncertainty([0.1, 0.45, 0.45])).toBeCloseTo(1, 12); // a tie at the top
    expect(marginUncertainty([0.2, 0.6, 0.15, 0.05])).toBeCloseTo(0.6, 12); // 1 − (0.6 − 0.2)
    expect(marginUncertainty([1, 0, 0])).toBe(0);
    expect(marginUncertainty([1])).toBe(0); // one class: the runner-up is 0
  });

  it('entropy is −Σ p ln p in nats, with 0 ln 0 = 0', () => {
    // 0.7·ln(1/0.7) + 0.2·ln(1/0.2) + 0.1·ln(1/0.1) = 0.249672 + 0.321888 + 0.230259
    expect(entropy([0.7, 0.2, 0.1])).toBeCloseTo(0.8018185525, 9);
    expect(entropy([0.5, 0.5])).toBeCloseTo(Math.LN2, 12);
    expect(entropy([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(Math.log(4), 12);
    expect(entropy([1, 0, 0])).toBe(0);
  });

  it('ranks rows the same way the hand-computed scores do', () => {
    const rows = [
      [0.9, 0.05, 0.05], // sure
      [0.4, 0.35, 0.25], // unsure on every score
      [0.6, 0.4, 0.0], // a close top two but no third class
    ];
    const rank = (s: 'least-confidence' | 'margin' | 'entropy') => topK(rows.map((p) => uncertainty(s, p)), 3);
    expect(rank('least-confidence')).toEqual([1, 2, 0]); // 0.6, 0.4, 0.1
    expect(rank('margin')).toEqual([1, 2, 0]); // 0.95, 0.8, 0.15
    // 0.4·ln 2.5 + 0.35·ln(1/0.35) + 0.25·ln 4 = 0.366516 + 0.367438 + 0.346574
    expect(entropy(rows[1])).toBeCloseTo(1.0805276, 6);
    // 0.6·ln(1/0.6) + 0.4·ln 2.5 = 0.306495 + 0.366516
    expect(entropy(rows[2])).toBeCloseTo(0.6730117, 6);
    // 0.9·ln(1/0.9) + 2 · 0.05·ln 20 = 0.094824 + 0.299573
    expect(entropy(rows[0])).toBeCloseTo(0.3943977, 6);
    expect(rank('entropy')).toEqual([1, 2, 0]);
  });
});

describe('topK', () => {
  it('answers the k highest, ties in row order, never a NaN', () => {
    expect(topK([0.1, 0.9, 0.5, 0.9], 2)).toEqual([1, 3]);
    expect(topK([0.1, NaN, 0.5], 5)).toEqual([2, 0]);
    expect(topK([0.3], 0)).toEqual([]);
  });
});
