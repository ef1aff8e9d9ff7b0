// The grower's stable partition: left rows first, then right rows, each in their original order;
// the chunked (parallel) partition gives the same rows in the same order.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../domain/seeded-random.js';
import { joinPartitionChunks, partitionChunk, partitionSegment } from './gbdt-grower.js';

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

  it('gives the same order when the segment is partitioned in chunks and joined', () => {
    const r = seededRandom(9);
    const n = 5000;
    const F = 3;
    const cols = Uint8Array.from({ length: F * n }, () => Math.floor(r() * 256));
    const goesLeft = Uint8Array.from({ length: 256 }, () => (r() < 0.4 ? 1 : 0));
    const f = 2;
    for (const [start, end, size] of [[0, n, 1000], [13, 4021, 777], [100, 101, 64], [7, 4999, 5000]]) {
      const base = Uint32Array.from({ length: n }, (_, i) => (i * 7919) % n);
      const expected = base.slice();
      const l = partitionSegment(expected, new Uint32Array(n), cols.subarray(f * n, (f + 1) * n), goesLeft, start, end);
      const rows = base.slice();
      const tmp = new Uint32Array(n);
      const counts = new Int32Array(16);
      for (let from = start, c = 0; from < end; from += size, c++) partitionChunk(rows, tmp, cols, f * n, goesLeft, from, Math.min(end, from + size), counts, c);
      expect(joinPartitionChunks(rows, tmp, counts, start, end, size)).toBe(l);
      expect(Array.from(rows)).toEqual(Array.from(expected));
    }
  });
});
