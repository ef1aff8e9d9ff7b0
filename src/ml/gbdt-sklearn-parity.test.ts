// Accuracy sanity against scikit-learn's HistGradientBoosting, fitted by the reference trainer
// ../shared/peers/sklearn_train.py on the same train and test CSVs with the same parameters
// (100 rounds, 31 leaves, learning rate 0.1, 255 bins, no early stopping, month as a native
// categorical feature). Needs /usr/bin/python3 with scikit-learn and pandas; skipped otherwise.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pythonHas } from '../../test/fixtures/ml/python.js';
import { loadSeattleWeather } from '../../test/fixtures/ml/seattle-weather.js';
import { synthetic } from '../../test/fixtures/ml/synthetic.js';
import { accuracy, logLoss, rocAuc, rocAucOvr } from '../stats/index.js';
import type { Columns, FeatureSpec } from './feature-spec.js';
import { fitGbdt } from './gbdt-train.js';

const PYTHON = '/usr/bin/python3';
const SHARED_PEER = '/work/shared/peers/sklearn_train.py';
// The shared reference program, or its copy beside the test fixtures (a clone elsewhere has no ../shared).
const SCRIPT = existsSync(SHARED_PEER) ? SHARED_PEER : fileURLToPath(new URL('../../test/fixtures/ml/sklearn_train.py', import.meta.url));
const READY = existsSync(SCRIPT) && pythonHas(PYTHON, ['sklearn', 'pandas']);
if (!READY) console.warn(`SKIPPED: HistGradientBoosting parity — needs ${SCRIPT} and ${PYTHON} with scikit-learn and pandas (apt-get install -y python3-sklearn python3-pandas)`);

const PARAMS = { max_iter: 100, max_leaf_nodes: 31, learning_rate: 0.1, max_bins: 255, early_stopping: false } as const;

interface SkResult {
  fit_seconds: number;
  metrics: { accuracy: number; roc_auc: number; log_loss: number };
}

/** CSV of the given columns (numbers as they are, categories as integer codes, missing empty). */
function csv(names: string[], columns: Record<string, ArrayLike<unknown>>, rows: number): string {
  const lines = [names.join(',')];
  for (let i = 0; i < rows; i++) lines.push(names.map((n) => (columns[n][i] === null || Number.isNaN(columns[n][i]) ? '' : String(columns[n][i]))).join(','));
  return `${lines.join('\n')}\n`;
}

function sklearn(train: string, test: string, args: string[]): SkResult {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-hgb-'));
  try {
    writeFileSync(join(dir, 'train.csv'), train);
    writeFileSync(join(dir, 'test.csv'), test);
    const out = execFileSync(PYTHON, [SCRIPT, '--train', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--algo', 'hgb', ...args], {
      maxBuffer: 16 * 1024 * 1024,
      // One OpenMP thread: the metrics do not depend on it, and it keeps a shared machine responsive.
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    return JSON.parse(out.toString('utf8')) as SkResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!READY)('HistGradientBoosting parity', () => {
  it('seattle-weather (5 classes, month categorical): accuracy and OvR AUC within 2 points of sklearn', () => {
    const sw = loadSeattleWeather();
    const features: FeatureSpec[] = [
      { name: 'precipitation', kind: 'numeric' },
      { name: 'temp_max', kind: 'numeric' },
      { name: 'temp_min', kind: 'numeric' },
      { name: 'wind', kind: 'numeric' },
      { name: 'month', kind: 'categorical' },
    ];
    // Every fourth day is held out (a time cut would leave some classes out of the test rows).
    const pick = (keep: (i: number) => boolean) => {
      const idx = sw.weather.map((_, i) => i).filter(keep);
      return {
        precipitation: idx.map((i) => sw.precipitation[i]),
        temp_max: idx.map((i) => sw.temp_max[i]),
        temp_min: idx.map((i) => sw.temp_min[i]),
        wind: idx.map((i) => sw.wind[i]),
        month: idx.map((i) => sw.month[i]),
        weather: idx.map((i) => sw.weather[i]),
      };
    };
    const train = pick((i) => i % 4 !== 3);
    const test = pick((i) => i % 4 === 3);
    const model = fitGbdt({ features, columns: train as unknown as Columns, target: train.weather }, PARAMS);
    const p = model.predictProba(test as unknown as Columns);
    const ours = { accuracy: accuracy(test.weather, p.labels), log_loss: logLoss(test.weather, p.probabilities, p.classes), roc_auc: rocAucOvr(test.weather, p.probabilities, p.classes) };

    const names = ['precipitation', 'temp_max', 'temp_min', 'wind', 'month', 'weather'];
    const codes = (m: string[]) => m.map(Number); // '01'..'12' → 1..12, integer codes for sklearn
    const sk = sklearn(csv(names, { ...train, month: codes(train.month) }, train.weather.length), csv(names, { ...test, month: codes(test.month) }, test.weather.length), ['--target', 'weather', '--categorical', 'month']);
    console.info(
      `seattle-weather, every 4th day held out (${test.weather.length} rows): accuracy ours ${ours.accuracy.toFixed(4)} vs sklearn ${sk.metrics.accuracy.toFixed(4)}; ` +
        `OvR AUC ${ours.roc_auc.toFixed(4)} vs ${sk.metrics.roc_auc.toFixed(4)}; log loss ${ours.log_loss.toFixed(4)} vs ${sk.metrics.log_loss.toFixed(4)}`,
    );
    expect(Math.abs(ours.accuracy - sk.metrics.accuracy)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(ours.roc_auc - sk.metrics.roc_auc)).toBeLessThanOrEqual(0.02);
  });

  it('synthetic binary with missing values (20k rows): AUC within 0.005 and accuracy within 1 point of sklearn', () => {
    const d = synthetic({ rows: 25_000, numeric: 8, missing: 0.05, task: 'binary', seed: 2 });
    const n = 20_000;
    const part = (from: number, to: number) => Object.fromEntries([...Object.entries(d.columns).map(([k, v]) => [k, v.slice(from, to)]), ['y', (d.target as string[]).slice(from, to)]]);
    const train = part(0, n);
    const test = part(n, 25_000);
    const model = fitGbdt({ features: d.features, columns: train as Columns, target: train.y as string[] }, PARAMS);
    const p = model.predictProba(test as Columns);
    const yTest = test.y as string[];
    const ours = { accuracy: accuracy(yTest, p.labels), roc_auc: rocAuc(yTest, Array.from({ length: yTest.length }, (_, i) => p.probabilities[2 * i + 1]), 'yes') };
    const names = [...d.features.map((f) => f.name), 'y'];
    const sk = sklearn(csv(names, train, n), csv(names, test, yTest.length), ['--target', 'y']);
    console.info(`synthetic binary: accuracy ours ${ours.accuracy.toFixed(4)} vs sklearn ${sk.metrics.accuracy.toFixed(4)}; AUC ${ours.roc_auc.toFixed(4)} vs ${sk.metrics.roc_auc.toFixed(4)}`);
    expect(Math.abs(ours.roc_auc - sk.metrics.roc_auc)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(ours.accuracy - sk.metrics.accuracy)).toBeLessThanOrEqual(0.01);
  });
});
