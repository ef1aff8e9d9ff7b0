// Drift statistics against the reference implementation scipy_drift.py (numpy + scipy) to 1e-9,
// and numpy's histogram edges bit for bit.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeattleWeather } from '../../test/fixtures/ml/seattle-weather.js';
import { pythonHas, runPythonJson } from '../../test/fixtures/ml/python.js';
import { driftStatistics, jensenShannonDistance, populationStabilityIndex } from './drift.js';
import { histogramCounts, sturgesBinEdges } from './histogram.js';

const SHARED_PEER = '/work/shared/peers/scipy_drift.py';
const PEER = existsSync(SHARED_PEER) ? SHARED_PEER : fileURLToPath(new URL('../../test/fixtures/ml/scipy_drift.py', import.meta.url));
const HAS_NUMPY = pythonHas('python3', ['numpy', 'scipy']);
if (!HAS_NUMPY) console.warn('SKIPPED: drift peer comparison — `python3` with numpy + scipy is not available');

/** Deterministic PRNG (mulberry32) and a Box-Muller normal. */
function rng(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (mu: number, sigma: number) => mu + sigma * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

describe('drift by hand', () => {
  it('computes PSI and JS on small examples', () => {
    expect(populationStabilityIndex([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 15);
    expect(populationStabilityIndex([1, 0], [1, 0])).toBe(0);
    // A zero share counts as 0.0001.
    expect(populationStabilityIndex([1, 0], [0.5, 0.5])).toBeCloseTo(-0.5 * Math.log(0.5) + (0.5 - 0.0001) * Math.log(0.5 / 0.0001), 14);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.log(2)), 15);
    expect(jensenShannonDistance([2, 2], [1, 1])).toBe(0);
    const s = driftStatistics(['a', 'a', 'b', null, ''], ['a', 'b', 'b'], 'categorical');
    expect(s.psi).toBeCloseTo((2 / 3) * Math.log(2), 15);
    expect(s.droppedMissing).toEqual([2, 0]);
    expect(s.binned.values).toEqual(['a', 'b']);
  });

  it('counts histograms with a closed last bin', () => {
    expect([...histogramCounts([1, 2, 2, 3, 0, 4, NaN], [1, 2, 3])]).toEqual([1, 3]);
    expect([...sturgesBinEdges([5, 5, 5])]).toEqual([4.5, 5.5]);
  });

  it('rejects an empty sample', () => {
    expect(() => driftStatistics([NaN, null], [1, 2], 'numeric')).toThrow(/reference sample has no values/);
  });
});

describe.skipIf(!HAS_NUMPY)('numpy histogram parity', () => {
  it('reproduces numpy.histogram_bin_edges(bins="sturges") and numpy.histogram exactly', () => {
    const r = rng(7);
    const arrays: number[][] = [
      Array.from({ length: 1024 }, () => r.normal(10, 3)), // n a power of two: log2 exact
      Array.from({ length: 1000 }, () => r.normal(-4, 0.1)),
      Array.from({ length: 37 }, () => Math.round(r.uniform() * 1000) / 10),
      Array.from({ length: 2 }, (_, i) => i * 0.1 + 0.2),
      Array.from({ length: 4096 }, () => r.uniform() * 1e-3),
      [3, 3, 3, 3],
    ];
    const py = runPythonJson<{ edges: number[]; counts: number[] }[]>(
      'python3',
      `import numpy as np
out = []
for a in INPUT:
    a = np.array(a, dtype=float)
    e = np.histogram_bin_edges(a, bins="sturges")
    out.append({"edges": e.tolist(), "counts": np.histogram(a, e)[0].tolist()})
print(json.dumps(out))`,
      arrays,
    );
    arrays.forEach((a, i) => {
      const edges = sturgesBinEdges(a);
      expect([...edges]).toEqual(py[i].edges);
      expect([...histogramCounts(a, edges)]).toEqual(py[i].counts);
    });
  });
});

describe.skipIf(!HAS_NUMPY)('scipy_drift.py parity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-drift-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  type Case = {
    name: string;
    kind: 'numeric' | 'categorical';
    reference: (number | string | null)[];
    current: (number | string | null)[];
  };
  const cell = (v: number | string | null) => (v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v));
  const write = (file: string, values: (number | string | null)[]) =>
    writeFileSync(file, ['row,c', ...values.map((v, i) => `${i},${cell(v)}`)].join('\n') + '\n');

  const sw = loadSeattleWeather();
  const byYear = <T>(values: ArrayLike<T>, year: string): T[] => Array.from(values).filter((_, i) => sw.year[i] === year);
  const r = rng(42);
  const cases: Case[] = [
    { name: 'seattle temp_max 2012 vs 2014', kind: 'numeric', reference: byYear(sw.temp_max, '2012'), current: byYear(sw.temp_max, '2014') },
    { name: 'seattle precipitation 2013 vs 2015', kind: 'numeric', reference: byYear(sw.precipitation, '2013'), current: byYear(sw.precipitation, '2015') },
    { name: 'seattle weather 2012 vs 2014 (categorical)', kind: 'categorical', reference: byYear(sw.weather, '2012'), current: byYear(sw.weather, '2014') },
    { name: 'seattle month 2012 vs 2015 (categorical)', kind: 'categorical', reference: byYear(sw.month, '2012'), current: byYear(sw.month, '2015') },
    {
      name: 'shifted normals, 512 + 512 values',
      kind: 'numeric',
      reference: Array.from({ length: 512 }, () => r.normal(0, 1)),
      current: Array.from({ length: 512 }, () => r.normal(0.4, 1.3)),
    },
    {
      name: 'normals with missing cells',
      kind: 'numeric',
      reference: Array.from({ length: 900 }, (_, i) => (i % 17 === 0 ? null : r.normal(100, 15))),
      current: Array.from({ length: 333 }, (_, i) => (i % 11 === 0 ? null : r.normal(90, 25))),
    },
    {
      name: 'few integer values (one bin per value), one only in current',
      kind: 'numeric',
      reference: Array.from({ length: 300 }, () => Math.floor(r.uniform() * 8)),
      current: Array.from({ length: 200 }, () => Math.floor(r.uniform() * 9)),
    },
    {
      name: 'categorical with missing, unicode and case',
      kind: 'categorical',
      reference: Array.from({ length: 400 }, () => ['Rain', 'rain', 'sün', 'Ω', null][Math.floor(r.uniform() * 5)]),
      current: Array.from({ length: 250 }, () => ['rain', 'sün', 'Ω', 'fog', null][Math.floor(r.uniform() * 5)]),
    },
  ];

  type PeerOut = { psi: number; jensen_shannon: number; bins: number; n_reference: number; n_current: number; dropped_empty: number[] };
  let peer: PeerOut[] = [];
  beforeAll(() => {
    // Write each case as CSV (two columns: csv.DictReader skips blank one-column rows) and run the
    // peer's own main() on every case in one interpreter (importing scipy once keeps this fast).
    const argv = cases.map((c, i) => {
      const ref = join(dir, `ref-${i}.csv`);
      const cur = join(dir, `cur-${i}.csv`);
      write(ref, c.reference);
      write(cur, c.current);
      return [PEER, '--reference', ref, '--current', cur, '--column', 'c', '--kind', c.kind];
    });
    peer = runPythonJson<PeerOut[]>(
      'python3',
      `import contextlib, importlib.util, io
spec = importlib.util.spec_from_file_location("scipy_drift", INPUT["peer"])
peer = importlib.util.module_from_spec(spec); spec.loader.exec_module(peer)
out = []
for args in INPUT["argv"]:
    sys.argv = args
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        peer.main()
    out.append(json.loads(buf.getvalue()))
print(json.dumps(out))`,
      { peer: PEER, argv },
    );
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = cases[i];
    const ours =
      c.kind === 'numeric'
        ? driftStatistics(c.reference as (number | null)[], c.current as (number | null)[], 'numeric')
        : driftStatistics(c.reference as (string | null)[], c.current as (string | null)[], 'categorical');
    const p = peer[i];
    expect(ours.bins).toBe(p.bins);
    expect(ours.nReference).toBe(p.n_reference);
    expect(ours.nCurrent).toBe(p.n_current);
    expect(ours.droppedMissing).toEqual(p.dropped_empty);
    expect(Math.abs(ours.psi - p.psi)).toBeLessThan(1e-9);
    expect(Math.abs(ours.jensenShannon - p.jensen_shannon)).toBeLessThan(1e-9);
  });
});
