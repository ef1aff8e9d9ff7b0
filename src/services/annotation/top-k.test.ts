// The streaming top-k keeps exactly what topK picks from the whole array (ties by the earlier
// index, NaN never), whatever k, on random scores with many ties.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../domain/seeded-random.js';
import { TopK } from './top-k.js';
import { topK } from './uncertainty.js';

describe('TopK', () => {
  it('keeps the k best of a stream, best first, as topK orders a whole array', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 50; round++) {
      const n = 1 + Math.floor(random() * 300);
      // Scores from a few values (many ties), some NaN.
      const scores = Array.from({ length: n }, () => (random() < 0.1 ? NaN : Math.floor(random() * 8) / 8));
      for (const k of [1, 3, 17, n, n + 5]) {
        const best = new TopK<number>(k);
        scores.forEach((s, i) => best.offer(s, i, i * 10));
        const kept = best.sorted();
        expect(kept.map((r) => r.index)).toEqual(topK(scores, k));
        expect(kept.map((r) => r.item)).toEqual(topK(scores, k).map((i) => i * 10));
      }
    }
  });

  it('keeps nothing for k = 0 or NaN scores', () => {
    const none = new TopK<string>(0);
    none.offer(1, 0, 'a');
    expect(none.size).toBe(0);
    const some = new TopK<string>(2);
    some.offer(NaN, 0, 'a');
    some.offer(0.2, 1, 'b');
    expect(some.sorted()).toEqual([{ score: 0.2, index: 1, item: 'b' }]);
  });
});
