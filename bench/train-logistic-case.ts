// The logistic regression case of `npm run bench -- train`: fit time and test accuracy beside
// scikit-learn's LogisticRegression (lbfgs, in sklearn_train.py's `--algo logreg`: StandardScaler
// then LogisticRegression(C, max_iter=1000), tol 1e-4) on the same train and test CSVs, in the same
// run. Both fits include standardisation. Datasets: 200k × 20 synthetic rows (binary, and three
// classes), 50k test rows each. Same objective and stopping rules on both sides: penalty 1/C
// (our l2 = 1/C for the multinomial model, 2/C for the binary one, whose two-class softmax has
// half of sklearn's single weight vector in each class), the gradient test on the summed
// objective at 1e-4 and scipy's relative-reduction test at 1e7·ε.
// `BENCH_TRAIN_ONLY=logistic npm run bench -- train` runs this case alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitLogisticRegression, type Columns } from '../src/ml/index.js';
import { accuracy } from '../src/stats/index.js';
import { synthetic } from '../test/fixtures/ml/synthetic.js';
import type { BenchRow } from './run.js';

const PYTHON = '/usr/bin/python3';
const C = 1;
/** sklearn's default tol, a bound on the max |gradient| of the summed objective. */
const SK_TOL = 1e-4;
/** scipy's L-BFGS-B default ftol (factr 1e7 × machine ε). */
const SCIPY_FTOL = 1e7 * Number.EPSILON;
const TRAIN_ROWS = 200_000;
const TEST_ROWS = 50_000;

interface Case {
  name: string;
  task: 'binary' | 'multiclass';
  features: string[];
  train: Record<string, ArrayLike<number | string>>;
  test: Record<string, ArrayLike<number | string>>;
}

function makeCase(task: Case['task']): Case {
  const all = synthetic({ rows: TRAIN_ROWS + TEST_ROWS, numeric: 20, task, noise: 1, seed: task === 'binary' ? 42 : 43 });
  const names = all.features.map((f) => f.name);
  const split = (from: number, to: number) => {
    const cols: Record<string, ArrayLike<number | string>> = {};
    for (const n of names) cols[n] = (all.columns[n] as Float64Array).slice(from, to);
    cols.y = (all.target as string[]).slice(from, to);
    return cols;
  };
  return { name: `logistic ${task === 'binary' ? 'binary' : '3 classes'} 200k × 20`, task, features: names, train: split(0, TRAIN_ROWS), test: split(TRAIN_ROWS, TRAIN_ROWS + TEST_ROWS) };
}

function writeCsv(file: string, names: string[], cols: Record<string, ArrayLike<number | string>>): void {
  const n = cols[names[0]].length;
  const lines: string[] = [names.join(',')];
  for (let i = 0; i < n; i++) lines.push(names.map((c) => String(cols[c][i])).join(','));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

function sklearn(script: string, dir: string): { fit_seconds: number; metrics: { accuracy: number } } {
  const args = [script, '--train', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--target', 'y', '--algo', 'logreg', '--C', String(C)];
  return JSON.parse(execFileSync(PYTHON, args, { maxBuffer: 64 * 1024 * 1024 }).toString('utf8'));
}

function flywheel(c: Case): { seconds: number; accuracy: number; iterations: number; evaluations: number } {
  const features = c.features.map((name) => ({ name, kind: 'numeric' as const }));
  const started = performance.now();
  const model = fitLogisticRegression(
    { features, columns: c.train as Columns, target: c.train.y as string[] },
    { l2: c.task === 'binary' ? 2 / C : 1 / C, tol: SK_TOL / TRAIN_ROWS, ftol: SCIPY_FTOL, maxIter: 1000 },
  );
  const seconds = (performance.now() - started) / 1000;
  const predicted = model.predict(c.test as Columns);
  return { seconds, accuracy: accuracy(c.test.y as string[], predicted), iterations: model.training.iterations, evaluations: model.training.evaluations };
}

/** Run the logistic regression case beside sklearn; answers table rows and notes. */
export async function logisticCase(sklearnScript: string): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  for (const task of ['binary', 'multiclass'] as const) {
    const c = makeCase(task);
    const dir = mkdtempSync(join(tmpdir(), 'flywheel-bench-logistic-'));
    try {
      const names = [...c.features, 'y'];
      writeCsv(join(dir, 'train.csv'), names, c.train);
      writeCsv(join(dir, 'test.csv'), names, c.test);
      const sk = sklearn(sklearnScript, dir);
      const ours = flywheel(c);
      const baselineName = 'sklearn LogisticRegression lbfgs';
      rows.push({ case: `${c.name}: fit`, unit: 's (lower is better)', flywheel: ours.seconds, baseline: sk.fit_seconds, baselineName, ratio: sk.fit_seconds / ours.seconds });
      rows.push({ case: `${c.name}: test accuracy`, unit: 'accuracy', flywheel: ours.accuracy, baseline: sk.metrics.accuracy, baselineName, ratio: ours.accuracy / sk.metrics.accuracy });
      notes.push(
        `${c.name}: fit ${ours.seconds.toFixed(3)} s vs ${sk.fit_seconds.toFixed(3)} s (${(ours.seconds / sk.fit_seconds).toFixed(2)}× sklearn's time, target ≤ 2×; ` +
          `${ours.iterations} iterations, ${ours.evaluations} evaluations); accuracy ${ours.accuracy.toFixed(4)} vs ${sk.metrics.accuracy.toFixed(4)} (Δ ${(ours.accuracy - sk.metrics.accuracy).toFixed(4)}, target within 0.002)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  notes.push(`logistic: C = ${C} (l2 = 1/C multinomial, 2/C binary), stop at max |∇ Σ loss| ≤ ${SK_TOL} or relative reduction ≤ 1e7·ε, as sklearn's lbfgs (scipy L-BFGS-B)`);
  return { rows, notes };
}
