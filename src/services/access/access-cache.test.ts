// The access cache: a value is reused for the TTL (or until its own expiry), reloaded after,
// dropped by operations that change access, never kept when loaded across a clear, and a
// failed load is not cached.
import { describe, expect, it } from 'vitest';
import { AccessCache } from './access-cache.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('AccessCache', () => {
  it('reuses a value for the TTL, then loads it again', async () => {
    const c = clock();
    const cache = new AccessCache(c, 2000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    c.advance(1999);
    expect(await cache.get('k', load)).toBe(1);
    c.advance(1);
    expect(await cache.get('k', load)).toBe(2);
  });

  it('keeps a value no longer than its own expiry', async () => {
    const c = clock();
    const cache = new AccessCache(c, 2000);
    let loads = 0;
    const load = async () => ({ n: ++loads, expires: c.now() + 500 });
    expect((await cache.get('k', load, (v) => v.expires)).n).toBe(1);
    c.advance(499);
    expect((await cache.get('k', load, (v) => v.expires)).n).toBe(1);
    c.advance(1);
    expect((await cache.get('k', load, (v) => v.expires)).n).toBe(2);
  });

  it('forgets everything after an operation that changes access, and nothing after others', async () => {
    const cache = new AccessCache(clock(), 2000);
    let loads = 0;
    const load = async () => ++loads;
    await cache.get('k', load);
    cache.afterOperation('dataset.ingest');
    expect(await cache.get('k', load)).toBe(1);
    for (const action of ['token.revoke', 'member.remove', 'user.update', 'project.update', 'deployment.update', 'auth.password']) {
      cache.afterOperation(action);
      expect(cache.size).toBe(0);
      await cache.get('k', load);
    }
    expect(loads).toBe(7);
  });

  it('does not keep a value whose load straddled a clear, nor a failed load', async () => {
    const cache = new AccessCache(clock(), 2000);
    let release!: () => void;
    const slow = cache.get('k', () => new Promise<string>((r) => (release = () => r('stale'))));
    cache.clear();
    release();
    expect(await slow).toBe('stale');
    expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
    await expect(cache.get('bad', async () => Promise.reject(new Error('revoked')))).rejects.toThrow('revoked');
    expect(await cache.get('bad', async () => 'ok')).toBe('ok');
  });
});

describe('AccessCache under load', () => {
  it('shares one load between concurrent misses of a key', async () => {
    const cache = new AccessCache(clock(), 2000);
    let loads = 0;
    const load = () => new Promise<number>((r) => setTimeout(() => r(++loads), 5));
    expect(await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)])).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  it('reloads an entry late in its life in the background, answering the cached value meanwhile', async () => {
    const c = clock();
    const cache = new AccessCache(c, 2000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    c.advance(1600);
    expect(await cache.get('k', load)).toBe(1); // answered from the cache; a reload started
    await new Promise((r) => setTimeout(r, 0));
    c.advance(1000); // past the first entry's TTL, within the reloaded one's
    expect(await cache.get('k', load)).toBe(2);
    expect(loads).toBe(2);
    // A background reload that is refused drops the entry: the next call loads (and is refused) again.
    c.advance(600); // the reloaded entry is 1,600 ms old now
    let refuse = true;
    const guarded = async () => (refuse ? Promise.reject(new Error('revoked')) : ++loads);
    expect(await cache.get('k', guarded)).toBe(2);
    await new Promise((r) => setTimeout(r, 0));
    await expect(cache.get('k', guarded)).rejects.toThrow('revoked');
    refuse = false;
    expect(await cache.get('k', guarded)).toBe(3);
  });
});
