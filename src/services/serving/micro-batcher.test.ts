// Micro-batching with a runtime that records its calls: concurrent requests share one run and get
// their own rows back, a lone request runs at once, full batches go without waiting, a waiting
// request is sent after max delay, and a failed run fails only the requests in it.
import { describe, expect, it } from 'vitest';
import type { FeatureColumn, ModelOutput, ModelRuntime } from '../../domain/ports/model-runtime.js';
import { MicroBatcher, type BatchSettings } from './micro-batcher.js';

/** A model of one numeric input `x` and one string input `c`: label = c + x, probabilities [x, -x]. */
function fakeRuntime(opts: { delayMs?: number; failWhen?: (x: Float32Array) => boolean } = {}) {
  const runs: number[][] = [];
  const runtime = {
    kind: 'fake',
    async predict(_sha: string, columns: Record<string, FeatureColumn>): Promise<ModelOutput> {
      const x = columns.x as Float32Array;
      const c = columns.c as string[];
      runs.push(Array.from(x));
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (opts.failWhen?.(x)) throw new Error('the model failed');
      const probabilities = new Float32Array(x.length * 2);
      x.forEach((v, i) => probabilities.set([v, -v], i * 2));
      return { labels: Array.from(x, (v, i) => `${c[i]}${v}`), probabilities, classes: 2 };
    },
  } as unknown as ModelRuntime;
  return { runtime, runs };
}

const request = (...xs: number[]) => ({ x: Float32Array.from(xs), c: xs.map((v) => `c${v}:`) });
const ON: BatchSettings = { maxRows: 64, maxDelayMs: 2 };

describe('MicroBatcher', () => {
  it('runs concurrent requests together and gives each its own rows, in order', async () => {
    const { runtime, runs } = fakeRuntime();
    const observed: Array<[number, number]> = [];
    const b = new MicroBatcher(runtime, (_key, rows, requests) => observed.push([rows, requests]));
    const outs = await Promise.all([b.run('k', 'sha', request(1), 1, ON), b.run('k', 'sha', request(2, 3), 2, ON), b.run('k', 'sha', request(4), 1, ON)]);
    expect(runs).toEqual([[1, 2, 3, 4]]);
    expect(observed).toEqual([[4, 3]]);
    expect(outs.map((o) => o.labels)).toEqual([['c1:1'], ['c2:2', 'c3:3'], ['c4:4']]);
    expect(Array.from(outs[1].probabilities)).toEqual([2, -2, 3, -3]);
    expect(outs.every((o) => o.classes === 2)).toBe(true);
  });

  it("gives each request of a regression model's run its own values", async () => {
    const runtime = {
      kind: 'fake',
      async predict(_sha: string, columns: Record<string, FeatureColumn>): Promise<ModelOutput> {
        const x = columns.x as Float32Array;
        return { labels: [], probabilities: new Float32Array(0), classes: 0, values: Float32Array.from(x, (v) => v * 10) };
      },
    } as unknown as ModelRuntime;
    const b = new MicroBatcher(runtime);
    const outs = await Promise.all([b.run('k', 'sha', request(1), 1, ON), b.run('k', 'sha', request(2, 3), 2, ON)]);
    expect(outs.map((o) => Array.from(o.values!))).toEqual([[10], [20, 30]]);
    expect(outs.map((o) => [o.labels.length, o.probabilities.length, o.classes])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('runs a lone request alone, and never mixes keys (deployments or models)', async () => {
    const { runtime, runs } = fakeRuntime();
    const b = new MicroBatcher(runtime);
    await b.run('k', 'sha', request(1), 1, ON);
    await Promise.all([b.run('a', 'sha', request(2), 1, ON), b.run('b', 'sha', request(3), 1, ON)]);
    expect(runs).toEqual([[1], [2], [3]]);
  });

  it('caps a run at max rows, sends requests of max rows or more alone, and turns off at max rows 1', async () => {
    const { runtime, runs } = fakeRuntime();
    const b = new MicroBatcher(runtime);
    const small: BatchSettings = { maxRows: 3, maxDelayMs: 2 };
    await Promise.all([1, 2, 3, 4, 5].map((v) => b.run('k', 'sha', request(v), 1, small)));
    expect(runs).toEqual([[1, 2, 3], [4, 5]]);
    runs.length = 0;
    await b.run('k', 'sha', request(7, 8, 9), 3, small);
    expect(runs).toEqual([[7, 8, 9]]);
    runs.length = 0;
    await Promise.all([b.run('k', 'sha', request(1), 1, { maxRows: 1, maxDelayMs: 2 }), b.run('k', 'sha', request(2), 1, { maxRows: 1, maxDelayMs: 2 })]);
    expect(runs).toEqual([[1], [2]]);
  });

  it('queues requests behind a running batch, sending them when it ends or after max delay', async () => {
    const slow = fakeRuntime({ delayMs: 60 });
    const b = new MicroBatcher(slow.runtime);
    const first = b.run('k', 'sha', request(1), 1, { maxRows: 64, maxDelayMs: 1000 });
    await new Promise((r) => setTimeout(r, 10));
    const behind = [b.run('k', 'sha', request(2), 1, { maxRows: 64, maxDelayMs: 1000 }), b.run('k', 'sha', request(3), 1, { maxRows: 64, maxDelayMs: 1000 })];
    await Promise.all([first, ...behind]);
    expect(slow.runs).toEqual([[1], [2, 3]]);

    const again = fakeRuntime({ delayMs: 200 });
    const c = new MicroBatcher(again.runtime);
    const started = performance.now();
    const lead = c.run('k', 'sha', request(1), 1, { maxRows: 64, maxDelayMs: 5 });
    await new Promise((r) => setTimeout(r, 10));
    const waited = await c.run('k', 'sha', request(2), 1, { maxRows: 64, maxDelayMs: 5 });
    // Sent after its 5 ms, not after the 200 ms run ahead of it ended: it finished with its own run.
    expect(performance.now() - started).toBeLessThan(400);
    expect(waited.labels).toEqual(['c2:2']);
    await lead;
    expect(again.runs).toEqual([[1], [2]]);
  });

  it('fails only the requests of a failed run', async () => {
    const { runtime } = fakeRuntime({ failWhen: (x) => x.includes(13) });
    const b = new MicroBatcher(runtime);
    const small: BatchSettings = { maxRows: 2, maxDelayMs: 2 };
    const results = await Promise.allSettled([b.run('k', 'sha', request(1), 1, small), b.run('k', 'sha', request(13), 1, small), b.run('k', 'sha', request(3), 1, small)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(b.waitingRequests()).toBe(0);
  });
});
