// `npm run bench -- train`: gradient-boosted trees fit time and test AUC beside scikit-learn's
// HistGradientBoostingClassifier (../shared/peers/sklearn_train.py, Debian's python3-sklearn) on the
// same train and test CSVs, in the same run: 100 rounds, 31 leaves, learning rate 0.1, 255 bins,
// no early stopping. Datasets: 200k × 20 synthetic rows (plus 50k test rows), and flights
// (flights-3m.parquet prepared with DuckDB: the first 1M rows in date order, label delay > 15,
// features distance, departure hour, weekday, month, and origin/destination as codes of the 50
// most frequent airports — all others one code — categorical on both sides; first 80% train).
import { DuckDBInstance } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitGbdt, type Columns, type FeatureSpec } from '../src/ml/index.js';
import { rocAuc } from '../src/stats/index.js';
import { synthetic } from '../test/fixtures/ml/synthetic.js';
import type { BenchResult, BenchRow } from './run.js';
import { logisticCase } from './train-logistic-case.js';
import { trackingRows } from './tracking-case.js';

const PYTHON = '/usr/bin/python3';
const SHARED_PEER = fileURLToPath(new URL('../../shared/peers/sklearn_train.py', import.meta.url));
const SKLEARN_TRAIN = existsSync(SHARED_PEER) ? SHARED_PEER : fileURLToPath(new URL('../test/fixtures/ml/sklearn_train.py', import.meta.url));
const FLIGHTS = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const PARAMS = { max_iter: 100, max_leaf_nodes: 31, learning_rate: 0.1, max_bins: 255, early_stopping: false } as const;

interface Dataset {
  name: string;
  features: FeatureSpec[];
  /** Columns in CSV order; the label ('0'/'1') is `y`. */
  train: Record<string, ArrayLike<number | string>>;
  test: Record<string, ArrayLike<number | string>>;
  categorical: string[];
}

interface SkOut {
  fit_seconds: number;
  metrics: { roc_auc: number; accuracy: number };
}

function writeCsv(file: string, names: string[], cols: Record<string, ArrayLike<number | string>>): void {
  const n = cols[names[0]].length;
  const lines: string[] = [names.join(',')];
  for (let i = 0; i < n; i++) lines.push(names.map((c) => String(cols[c][i])).join(','));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

function sklearn(dir: string, d: Dataset, env: Record<string, string> = {}): SkOut {
  const args = [SKLEARN_TRAIN, '--train', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--target', 'y', '--algo', 'hgb'];
  args.push('--max-iter', '100', '--max-leaf-nodes', '31', '--learning-rate', '0.1', '--max-bins', '255');
  if (d.categorical.length > 0) args.push('--categorical', d.categorical.join(','));
  return JSON.parse(execFileSync(PYTHON, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }).toString('utf8')) as SkOut;
}

function flywheel(d: Dataset, threads?: number): { seconds: number; auc: number } {
  const started = performance.now();
  const model = fitGbdt({ features: d.features, columns: d.train as Columns, target: Array.from(d.train.y as ArrayLike<number>, String) }, PARAMS, { threads });
  const seconds = (performance.now() - started) / 1000;
  const p = model.predictProba(d.test as Columns);
  const k = model.classes!.indexOf('1');
  const y = Array.from(d.test.y as ArrayLike<number>, String);
  return { seconds, auc: rocAuc(y, Array.from({ length: y.length }, (_, i) => p.probabilities[2 * i + k]), '1') };
}

function syntheticData(): Dataset {
  const all = synthetic({ rows: 250_000, numeric: 20, task: 'binary', noise: 1, seed: 42 });
  const split = (from: number, to: number) => {
    const cols: Record<string, ArrayLike<number | string>> = {};
    for (const f of all.features) cols[f.name] = (all.columns[f.name] as Float64Array).slice(from, to);
    cols.y = Int8Array.from((all.target as string[]).slice(from, to), (v) => (v === 'yes' ? 1 : 0));
    return cols;
  };
  return { name: 'synthetic 200k × 20', features: all.features, train: split(0, 200_000), test: split(200_000, 250_000), categorical: [] };
}

async function flightsData(): Promise<Dataset> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const load = await c.prepare(
      `CREATE TABLE f AS SELECT * FROM read_parquet($1) WHERE delay IS NOT NULL AND distance IS NOT NULL
       ORDER BY date, origin, destination, distance, delay LIMIT 1000000`,
    );
    load.bindVarchar(1, FLIGHTS);
    await load.run();
    const sql = `
      WITH o AS (SELECT origin AS a, row_number() OVER (ORDER BY count(*) DESC, origin) - 1 AS code FROM f GROUP BY origin),
           d AS (SELECT destination AS a, row_number() OVER (ORDER BY count(*) DESC, destination) - 1 AS code FROM f GROUP BY destination)
      SELECT distance::DOUBLE AS distance, hour(date)::INTEGER AS hour, dayofweek(date)::INTEGER AS weekday, month(date)::INTEGER AS month,
             (CASE WHEN o.code < 50 THEN o.code ELSE 50 END)::INTEGER AS origin,
             (CASE WHEN d.code < 50 THEN d.code ELSE 50 END)::INTEGER AS destination,
             (delay > 15)::INTEGER AS y
      FROM f JOIN o ON f.origin = o.a JOIN d ON f.destination = d.a
      ORDER BY f.date, f.origin, f.destination, f.distance, f.delay`;
    const result = await c.runAndReadAll(sql);
    const names = result.columnNames();
    const columns = result.getColumns() as number[][];
    const n = columns[0].length;
    const cut = Math.floor(n * 0.8);
    const split = (from: number, to: number) => {
      const cols: Record<string, ArrayLike<number | string>> = {};
      names.forEach((name, j) => {
        cols[name] = name === 'origin' || name === 'destination' ? columns[j].slice(from, to).map(String) : Float64Array.from(columns[j].slice(from, to));
      });
      return cols;
    };
    const features: FeatureSpec[] = ['distance', 'hour', 'weekday', 'month'].map((name) => ({ name, kind: 'numeric' as const }));
    features.push({ name: 'origin', kind: 'categorical' }, { name: 'destination', kind: 'categorical' });
    return { name: `flights ${cut / 1000}k × 6`, features, train: split(0, cut), test: split(cut, n), categorical: ['origin', 'destination'] };
  } finally {
    c.closeSync();
  }
}

export async function run(): Promise<BenchResult> {
  if (!existsSync(SKLEARN_TRAIN)) throw new Error(`missing ${SKLEARN_TRAIN}`);
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const datasets: Array<() => Promise<Dataset> | Dataset> = [syntheticData];
  if (existsSync(FLIGHTS)) datasets.push(flightsData);
  else notes.push(`flights skipped: ${FLIGHTS} is missing`);
  // BENCH_TRAIN_ONLY=gbdt|logistic runs one case alone.
  const only = process.env.BENCH_TRAIN_ONLY;
  if (only && only !== 'gbdt') datasets.length = 0;
  for (const make of datasets) {
    const d = await make();
    const dir = mkdtempSync(join(tmpdir(), 'flywheel-bench-train-'));
    try {
      const names = [...d.features.map((f) => f.name), 'y'];
      writeCsv(join(dir, 'train.csv'), names, d.train);
      writeCsv(join(dir, 'test.csv'), names, d.test);
      const sk = sklearn(dir, d);
      const ours = flywheel(d);
      rows.push({ case: `${d.name}: fit, all cores`, unit: 's (lower is better)', flywheel: ours.seconds, baseline: sk.fit_seconds, baselineName: 'sklearn HGB', ratio: sk.fit_seconds / ours.seconds });
      rows.push({ case: `${d.name}: test ROC AUC`, unit: 'AUC', flywheel: ours.auc, baseline: sk.metrics.roc_auc, baselineName: 'sklearn HGB', ratio: ours.auc / sk.metrics.roc_auc });
      notes.push(`${d.name}: fit ${ours.seconds.toFixed(2)} s vs ${sk.fit_seconds.toFixed(2)} s (${(ours.seconds / sk.fit_seconds).toFixed(2)}× sklearn's time); AUC ${ours.auc.toFixed(4)} vs ${sk.metrics.roc_auc.toFixed(4)} (Δ ${(ours.auc - sk.metrics.roc_auc).toFixed(4)})`);
      // One core each: the per-core cost, which the load of a shared machine blurs least
      // (OpenMP's spinning threads suffer most when another process holds a core).
      const sk1 = sklearn(dir, d, { OMP_NUM_THREADS: '1' });
      const ours1 = flywheel(d, 1);
      rows.push({ case: `${d.name}: fit, one thread`, unit: 's (lower is better)', flywheel: ours1.seconds, baseline: sk1.fit_seconds, baselineName: 'sklearn HGB, OMP_NUM_THREADS=1', ratio: sk1.fit_seconds / ours1.seconds });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!only || only === 'logistic') await logisticCase(SKLEARN_TRAIN).then((l) => (rows.push(...l.rows), notes.push(...l.notes)));
  // BENCH_TRAIN_ONLY=tracking: MLflow log-batch and the 100k-run list, each beside its baseline (bench/tracking-case.ts).
  if (!only || only === 'tracking') await trackingRows().then((t) => (rows.push(...t.rows), notes.push(...t.notes)));
  notes.push('ratio: sklearn ÷ Flywheel for times (above 1: Flywheel is faster), Flywheel ÷ sklearn for AUC');
  notes.push(`params: ${JSON.stringify(PARAMS)}; Flywheel builds histograms on ${availableParallelism()} threads (the caller + worker_threads), sklearn on OpenMP's default`);
  return { name: 'train', machine: { cpus: availableParallelism(), node: process.version }, rows, notes };
}
