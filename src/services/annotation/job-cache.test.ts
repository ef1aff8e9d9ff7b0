// The queue's job cache: a job is reused for the TTL and read again after it, dropped at once by a
// committed change of a job's settings (not by labels or other work), a missing job is never
// kept, and a job read across a change is not kept either.
import { describe, expect, it } from 'vitest';
import type { LabellingJob } from '../../domain/annotation.js';
import { JobCache } from './job-cache.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const jobWith = (lease_seconds: number) => ({ id: 'j1', name: 'jan', lease_seconds }) as LabellingJob;

describe('JobCache', () => {
  it('reuses a job for the TTL, then reads it again', async () => {
    const c = clock();
    const cache = new JobCache(c, 2000);
    let reads = 0;
    const load = async () => jobWith(++reads);
    expect((await cache.get('p1', 'jan', load)).lease_seconds).toBe(1);
    c.advance(1000);
    expect((await cache.get('p1', 'jan', load)).lease_seconds).toBe(1);
    expect((await cache.get('p2', 'jan', load)).lease_seconds).toBe(2); // another project: its own entry
    c.advance(1001);
    expect((await cache.get('p1', 'jan', load)).lease_seconds).toBe(3);
  });

  it("drops every job when a job's settings change, and none after labels, skips or other operations", async () => {
    const cache = new JobCache(clock(), 2000);
    let reads = 0;
    const load = async () => jobWith(++reads);
    await cache.get('p1', 'jan', load);
    for (const action of ['labelling.label', 'labelling.skip', 'labelling.tasks.add', 'project.update']) cache.afterOperation(action);
    expect((await cache.get('p1', 'jan', load)).lease_seconds).toBe(1);
    cache.afterOperation('labelling.settings');
    expect((await cache.get('p1', 'jan', load)).lease_seconds).toBe(2);
    cache.afterOperation('labelling.job.create');
    expect((await cache.get('p1', 'jan', load)).lease_seconds).toBe(3);
  });

  it('keeps no missing job, and no job read while a change committed', async () => {
    const cache = new JobCache(clock(), 2000);
    let reads = 0;
    const missing = async (): Promise<LabellingJob> => {
      reads++;
      throw new Error('no such job');
    };
    await expect(cache.get('p1', 'gone', missing)).rejects.toThrow('no such job');
    await expect(cache.get('p1', 'gone', missing)).rejects.toThrow('no such job');
    expect(reads).toBe(2);
    let finish!: (j: LabellingJob) => void;
    const slow = cache.get('p1', 'jan', () => new Promise<LabellingJob>((r) => (finish = r)));
    cache.afterOperation('labelling.settings');
    finish(jobWith(600));
    expect((await slow).lease_seconds).toBe(600);
    expect((await cache.get('p1', 'jan', async () => jobWith(60))).lease_seconds).toBe(60);
  });
});
