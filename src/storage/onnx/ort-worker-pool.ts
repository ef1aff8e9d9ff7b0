// Model-run worker threads: large batches run on these (ort-worker.ts), one at a time per worker,
// each worker holding its own session of every model it has run, so a 10,000-row request never
// stalls the thread answering HTTP and concurrent large batches use every core. Workers start on
// first use, up to `workers`; a run goes to the worker with the fewest rows in flight (a new one
// while fewer than `workers` run). A worker that dies fails only the runs it held; the next run
// starts a new one.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UnexpectedError } from '../../domain/errors.js';
import type { FeatureColumn, ModelOutput } from '../../domain/ports/model-runtime.js';
import { packColumns, unpackOutput, type WorkerReply, type WorkerRequest } from './ort-worker.js';

interface Pending {
  rows: number;
  resolve: (out: ModelOutput) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Rows in flight on this worker. */
  rows: number;
  /** Models whose bytes this worker has been sent. */
  loaded: Set<string>;
}

/** The worker: the built .js beside this file, or the .ts source through tsx's loader (tests, `tsx` runs). */
function startWorker(): Worker {
  const js = new URL('./ort-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js);
  const ts = new URL('./ort-worker.ts', import.meta.url).href;
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('tsx/package.json');
  const api = pathToFileURL(join(dirname(pkg), (require(pkg) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default)).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`, { eval: true });
}

export interface OrtWorkerPoolOptions {
  /** Worker threads at most. */
  workers: number;
  /** onnxruntime intra-op threads per run on each worker (0: its own choice). */
  threads: number;
}

export class OrtWorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: OrtWorkerPoolOptions) {}

  /** Run a batch of model `sha` (whose bytes go to a worker the first time it runs that model). */
  run(sha: string, bytes: Uint8Array, columns: Record<string, FeatureColumn>, rows: number): Promise<ModelOutput> {
    if (this.closed) return Promise.reject(new UnexpectedError('the model runtime is closed'));
    const slot = this.pick();
    const id = this.nextId++;
    const first = !slot.loaded.has(sha);
    slot.loaded.add(sha);
    const batch = packColumns(columns, rows);
    const message: WorkerRequest = { op: 'run', id, sha, threads: this.options.threads, batch, ...(first ? { bytes } : {}) };
    return new Promise<ModelOutput>((resolve, reject) => {
      slot.pending.set(id, { rows, resolve, reject });
      slot.rows += rows;
      // The packed values are this call's own copy: moved, not copied again.
      slot.worker.postMessage(message, [batch.values.buffer as ArrayBuffer]);
    });
  }

  /** Drop a model's sessions on every worker. */
  unload(sha: string): void {
    for (const slot of this.slots) {
      if (!slot.loaded.delete(sha)) continue;
      slot.worker.postMessage({ op: 'unload', sha } satisfies WorkerRequest);
    }
  }

  /** Workers running now. */
  size(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const s of slots) this.fail(s, new UnexpectedError('the model runtime closed while the batch ran'));
  }

  private pick(): Slot {
    let best: Slot | undefined;
    for (const s of this.slots) if (!best || s.rows < best.rows) best = s;
    if (best && (best.rows === 0 || this.slots.length >= Math.max(1, this.options.workers))) return best;
    return this.spawn();
  }

  private spawn(): Slot {
    const worker = startWorker();
    worker.unref();
    const slot: Slot = { worker, pending: new Map(), rows: 0, loaded: new Set() };
    worker.on('message', (reply: WorkerReply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      slot.rows -= p.rows;
      if (reply.ok) p.resolve(unpackOutput(reply.output));
      else p.reject(new UnexpectedError(`onnxruntime failed to run the batch: ${reply.error}`));
    });
    const gone = (why: string) => {
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      this.fail(slot, new UnexpectedError(`the model-run worker stopped (${why}) while the batch ran`));
    };
    worker.on('error', (err) => gone(err.message));
    worker.on('exit', (code) => gone(`exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private fail(slot: Slot, err: Error): void {
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
    slot.rows = 0;
  }
}
