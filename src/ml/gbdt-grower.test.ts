// The grower's stable partition: left rows first, then right rows, each in their original order.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../domain/seeded-random.js';
import { partitionSegment } from './gbdt-grower.js';

describe('partitionSegment', () => {
  it('splits a segment stably and leaves the rest of the partition alone', () => {
    const r = seededRandom(5);
    const n = 1003;
    const col = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
    const goesLeft = Uint8Array.from({ length: 256 }, (_, b) => (b % 3 === 0 ? 1 : 0));
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    const start = 17;
    const end = 990;
    const segment = Array.from(rows.subarray(start, end));
    const l = partitionSegment(rows, new Uint32Array(n), col, goesLeft, start, end);
    const left = segment.filter((row) => goesLeft[col[row]] === 1);
    const right = segment.filter((row) => goesLeft[col[row]] === 0);
    expect(l).toBe(start + left.length);
    expect(Array.from(rows.subarray(start, end))).toEqual([...left, ...right]);
    expect(Array.from(rows.subarray(0, start))).toEqual(Array.from({ length: start }, (_, i) => i));
    expect(Array.from(rows.subarray(end))).toEqual(Array.from({ length: n - end }, (_, i) => end + i));
  });
});
