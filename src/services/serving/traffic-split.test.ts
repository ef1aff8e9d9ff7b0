// The canary split is a deterministic hash of the request's first prediction id: the same id
// always lands on the same side, and over many ids the share matches the percent.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../domain/seeded-random.js';
import { batchIds } from './prediction-ids.js';
import { goesToCanary, routeBucket, routeHash } from './traffic-split.js';

describe('canary split', () => {
  it('is deterministic: an id always lands in the same bucket', () => {
    const id = '0190f3a2-7b1c-7d2e-8f30-1a2b3c4d5e6f';
    expect(routeHash(id)).toBe(routeHash(id));
    expect(routeBucket(id)).toBe(routeBucket(id));
    expect(goesToCanary(id, 100)).toBe(true);
    expect(goesToCanary(id, 0)).toBe(false);
  });

  it('sends 20 % of 10,000 request ids to the canary, within ±1.5 points (one standard deviation is 0.4 points, so a false failure is about 2 in 10,000)', () => {
    const ids = Array.from({ length: 10_000 }, () => batchIds(1)[0]);
    const share = ids.filter((id) => goesToCanary(id, 20)).length / ids.length;
    expect(Math.abs(share - 0.2)).toBeLessThan(0.015);
  });

  it('spreads ids that differ only in their last characters (seeded, so the same on every run)', () => {
    const rnd = seededRandom(7);
    const hex = () => Math.floor(rnd() * 16).toString(16);
    const base = '01900000-0000-7000-8000-0000';
    const ids = Array.from({ length: 5000 }, () => base + Array.from({ length: 8 }, hex).join(''));
    const counts = new Array(10).fill(0);
    for (const id of ids) counts[Math.floor(routeBucket(id) / 10)]++;
    // Each decile holds about 500 ids; a poor hash would pile them up.
    for (const c of counts) expect(Math.abs(c - 500)).toBeLessThan(100);
  });
});
