// Batch UUIDv7 ids: valid version-7 UUIDs carrying the timestamp, distinct, in row order.
import { describe, expect, it } from 'vitest';
import { isId } from '../../domain/ids.js';
import { batchIds } from './prediction-ids.js';

describe('batchIds', () => {
  it('makes distinct, sorted UUIDv7 ids that carry the time', () => {
    const now = Date.UTC(2024, 4, 1, 12, 30, 15, 123);
    const ids = batchIds(5000, now);
    expect(ids.every((id) => isId(id) && id[14] === '7' && '89ab'.includes(id[19]))).toBe(true);
    expect(new Set(ids).size).toBe(5000);
    expect([...ids].sort()).toEqual(ids);
    expect(parseInt(ids[0].replace(/-/g, '').slice(0, 12), 16)).toBe(now);
    // The last 40 bits are random: no two ids share them (the chance of one clash is ~1e-5).
    expect(new Set(ids.map((id) => id.slice(26))).size).toBe(5000);
    expect(batchIds(1, now)[0].slice(26)).not.toBe(batchIds(1, now)[0].slice(26));
  });
});

describe('batchIds after a given first id', () => {
  it('starts with that id and continues its order', () => {
    const now = Date.UTC(2024, 4, 1, 12, 30, 15, 123);
    const [first] = batchIds(1, now);
    const ids = batchIds(1000, now, first);
    expect(ids[0]).toBe(first);
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => isId(id) && id[14] === '7' && '89ab'.includes(id[19]))).toBe(true);
  });
});
