// Live serving statistics: one point per whole second, requests, errors, rows, latency
// quantiles within a bin of the truth, model runs, and seconds with nothing in them.
import { describe, expect, it } from 'vitest';
import { ServingStats } from './serving-stats.js';

describe('ServingStats', () => {
  it('answers one point per second with counts, latency quantiles and rows per run', () => {
    let now = 1_000_000_500;
    const stats = new ServingStats(() => now);
    for (let i = 1; i <= 100; i++) stats.recordRequest('d', i, 2, true);
    stats.recordRequest('d', 5, 7, false);
    stats.recordRun('d', 40);
    stats.recordRun('d', 20);
    stats.recordRequest('other', 1, 1, true);
    now += 2000;
    const points = stats.points('d', 5);
    expect(points.map((p) => p.t)).toEqual([999_997_000, 999_998_000, 999_999_000, 1_000_000_000, 1_000_001_000]);
    const p = points.find((x) => x.t === 1_000_000_000)!;
    expect(p).toMatchObject({ requests: 101, errors: 1, rows: 200, model_runs: 2, rows_per_run: 30 });
    expect(p.mean_ms).toBeCloseTo((5050 + 5) / 101, 6);
    // Log-spaced bins, 10 per decade: within 13% of the exact quantile.
    expect(p.p50_ms! / 50).toBeGreaterThan(0.87);
    expect(p.p50_ms! / 50).toBeLessThan(1.13);
    expect(p.p99_ms! / 99).toBeGreaterThan(0.87);
    expect(p.p99_ms! / 99).toBeLessThan(1.13);
    const empty = points.find((x) => x.t === 1_000_001_000)!;
    expect(empty).toEqual({ t: 1_000_001_000, requests: 0, errors: 0, rows: 0, mean_ms: null, p50_ms: null, p99_ms: null, model_runs: 0, rows_per_run: null });
    expect(stats.points('unknown', 3).every((x) => x.requests === 0)).toBe(true);
  });

  it("reuses a second's slot once it is two minutes old", () => {
    let now = 0;
    const stats = new ServingStats(() => now);
    stats.recordRequest('d', 1, 1, true);
    now = 120_000;
    stats.recordRequest('d', 1, 1, true);
    now = 121_000;
    const points = stats.points('d', 119);
    expect(points.reduce((n, p) => n + p.requests, 0)).toBe(1);
    expect(points.at(-1)).toMatchObject({ t: 120_000, requests: 1 });
  });
});
