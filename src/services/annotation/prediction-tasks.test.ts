// The seeded sample of logged predictions: n of them, in log order, the same for a seed, and
// uniform (every prediction equally likely) over many seeds.
import { describe, expect, it } from 'vitest';
import { sampleInOrder } from './prediction-tasks.service.js';

describe('sampleInOrder', () => {
  const items = Array.from({ length: 10 }, (_, i) => `p${i}`);

  it('draws n distinct items in their order, the same for the same seed', () => {
    const a = sampleInOrder(items, 4, 7);
    expect(a).toHaveLength(4);
    expect(new Set(a).size).toBe(4);
    expect([...a].sort((x, y) => items.indexOf(x) - items.indexOf(y))).toEqual(a);
    expect(sampleInOrder(items, 4, 7)).toEqual(a);
    expect(sampleInOrder(items, 20, 7)).toEqual(items);
    expect(sampleInOrder(items, 0, 7)).toEqual([]);
  });

  it('picks every item about equally often over many seeds', () => {
    const hits = new Map(items.map((x) => [x, 0]));
    const draws = 4000;
    for (let seed = 0; seed < draws; seed++) for (const x of sampleInOrder(items, 3, seed)) hits.set(x, hits.get(x)! + 1);
    // Each item is in a sample with probability 3/10: 1200 of 4000 expected, σ ≈ 29.
    for (const n of hits.values()) expect(Math.abs(n - 1200)).toBeLessThan(150);
  });
});
