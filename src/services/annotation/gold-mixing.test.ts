// Gold mixing's draw: reproducible, and over many requests its share of gold stays near the rate.
import { describe, expect, it } from 'vitest';
import { goldDraw, servesGold } from './gold-mixing.js';

describe('gold mixing', () => {
  it('is deterministic per (job, annotator, n) and differs between annotators', () => {
    expect(goldDraw('job', 'ann', 7)).toBe(goldDraw('job', 'ann', 7));
    const a = Array.from({ length: 20 }, (_, n) => servesGold('job', 'ann-a', n, 0.5));
    const b = Array.from({ length: 20 }, (_, n) => servesGold('job', 'ann-b', n, 0.5));
    expect(a).not.toEqual(b);
  });

  it('serves gold at the rate within a 4-sigma bound over 10,000 requests, never at rate 0, always at rate 1', () => {
    for (const rate of [0.1, 0.25, 0.5]) {
      const n = 10_000;
      let gold = 0;
      for (let i = 0; i < n; i++) if (servesGold('0190a1b2-job', `annotator-${i % 7}`, Math.floor(i / 7), rate)) gold++;
      const sigma = Math.sqrt(n * rate * (1 - rate));
      expect(Math.abs(gold - n * rate)).toBeLessThan(4 * sigma);
    }
    expect(Array.from({ length: 100 }, (_, i) => servesGold('j', 'a', i, 0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, (_, i) => servesGold('j', 'a', i, 1)).every(Boolean)).toBe(true);
  });
});
