// Run a search's trials side by side on worker threads, up to `parallelism` at a time (the rows
// are sent to each worker once; numeric columns are shared, not copied), or one after another on
// the calling thread when only one runs at a time and nothing can cancel them. Outcomes are
// handed to `onDone` one at a time, in the order the trials finish; a worker that dies fails its
// trial and the others carry on. A cancellation (the signal) starts no new trial and stops the
// running ones at once: their worker threads are terminated and they are handed over as killed.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Columns } from '../../ml/index.js';
import { runTrial, type TrialData, type TrialJob, type TrialOutcome } from './search-trial.js';
import type { TrainerData } from './trainers.js';

export interface TrialPoolOptions {
  parallelism: number;
  onStart?(index: number): Promise<void> | void;
  onDone(outcome: TrialOutcome): Promise<void>;
  /**
   * Cancels the search: no trial starts after it aborts, and the running ones are stopped at once
   * (their worker threads terminated) and handed to `onDone` as `killed`. With a signal, trials
   * always run on worker threads (a fit on the calling thread could not be interrupted).
   */
  signal?: AbortSignal;
}

/** Copy numeric columns into shared memory, so every worker reads the same bytes. */
function shared(data: TrainerData): TrainerData {
  const share = (a: Float64Array) => {
    const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  const columns: Record<string, unknown> = {};
  for (const [name, col] of Object.entries(data.columns)) columns[name] = col instanceof Float64Array ? share(col) : col;
  return { columns: columns as Columns, target: data.target instanceof Float64Array ? share(data.target) : data.target, rows: data.rows };
}

/** A worker running search-trial-worker (the built .js, or the .ts source through tsx's loader). */
function startWorker(workerData: unknown): Worker {
  const js = new URL('./search-trial-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL('./search-trial-worker.ts', import.meta.url).href;
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('tsx/package.json');
  const api = pathToFileURL(join(dirname(pkg), (require(pkg) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default)).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(code, { eval: true, workerData });
}

/** The outcome of a trial stopped by a cancellation. */
export const KILLED_MESSAGE = 'the search was cancelled while this trial ran: it was stopped';

/**
 * Run `jobs` and hand each outcome to `options.onDone`. Resolves when every started trial has
 * been handed over (trials not started because of `signal` are left out).
 * @example await runTrials(jobs, data, { parallelism: 2, onDone: async (o) => record(o) })
 */
export async function runTrials(jobs: TrialJob[], data: TrialData, options: TrialPoolOptions): Promise<void> {
  const parallelism = Math.max(1, Math.min(options.parallelism, jobs.length));
  const signal = options.signal;
  if (parallelism === 1 && !signal) {
    for (const job of jobs) {
      if (options.signal?.aborted) return;
      await options.onStart?.(job.index);
      // Let pending I/O (progress, logs) through between two synchronous fits.
      await new Promise((resolve) => setImmediate(resolve));
      await options.onDone(runTrial(job, data));
    }
    return;
  }
  if (signal?.aborted || jobs.length === 0) return;

  const payload = { data: { train: shared(data.train), validation: shared(data.validation), holdout: shared(data.holdout) }, threads: 1 };
  const queue = [...jobs];
  let handing = Promise.resolve();
  const hand = (outcome: TrialOutcome) => (handing = handing.then(() => options.onDone(outcome)));

  const lane = async (): Promise<void> => {
    let worker: Worker | undefined;
    try {
      for (;;) {
        if (signal?.aborted) return;
        const job = queue.shift();
        if (!job) return;
        await options.onStart?.(job.index);
        if (signal?.aborted) {
          // Cancelled while the trial was being marked as started: it is stopped before it ran.
          await hand({ index: job.index, ok: false, error: KILLED_MESSAGE, killed: true });
          return;
        }
        worker ??= startWorker(payload);
        const w = worker;
        const outcome = await new Promise<TrialOutcome>((resolve) => {
          const done = (o: TrialOutcome) => {
            w.off('message', onMessage);
            w.off('error', onError);
            w.off('exit', onExit);
            signal?.removeEventListener('abort', onAbort);
            resolve(o);
          };
          const onMessage = (o: TrialOutcome) => done(o);
          const onError = (e: Error) => done({ index: job.index, ok: false, error: `the trial's worker failed: ${e.message}` });
          const onExit = (code: number) => done({ index: job.index, ok: false, error: `the trial's worker exited (code ${code})` });
          // Cancelled mid-fit: stop the thread now (a fit does not yield), the trial is killed.
          const onAbort = () => {
            done({ index: job.index, ok: false, error: KILLED_MESSAGE, killed: true });
            void w.terminate().catch(() => undefined);
          };
          w.on('message', onMessage);
          w.on('error', onError);
          w.on('exit', onExit);
          signal?.addEventListener('abort', onAbort, { once: true });
          w.postMessage(job);
        });
        if (!outcome.ok && (outcome.killed || outcome.error.startsWith("the trial's worker"))) {
          await worker.terminate().catch(() => undefined);
          worker = undefined;
        }
        await hand(outcome);
      }
    } finally {
      await worker?.terminate().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: parallelism }, lane));
  await handing;
}
