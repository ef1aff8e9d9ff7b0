// The model runtime on onnxruntime-node: one InferenceSession per model digest, created once
// (concurrent loads share the promise) and shared by every deployment serving that version.
// Small batches (single rows coalesced by micro-batching) run on the calling thread, where the
// hop to another thread would cost more than the run; batches of `offloadRows` rows or more run
// on model-run worker threads (ort-worker-pool.ts), so they never stall the thread answering
// HTTP and concurrent ones use every core.
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { FeatureColumn, ModelOutput, ModelRuntime, ModelSignature } from '../../domain/ports/model-runtime.js';
import { onnxMetadata } from './onnx-metadata.js';
import { createOrtSession, runOrtSession, type OrtSession } from './ort-session.js';
import { OrtWorkerPool } from './ort-worker-pool.js';

interface Loaded {
  session: OrtSession;
  signature: ModelSignature;
  /** The model's bytes, sent to a worker the first time it runs the model. */
  bytes: Uint8Array;
}

/** Rows from which a batch runs on a worker thread by default. */
export const DEFAULT_OFFLOAD_ROWS = 256;

export interface OnnxRuntimeOptions {
  /**
   * Threads per inference (onnxruntime's intra-op pool); default: onnxruntime's choice (one per
   * core, whose idle threads spin). One thread suits a server: concurrent requests are batched.
   */
  intraOpThreads?: number;
  /** Model-run worker threads for large batches at most (default 0: every batch runs on the calling thread). */
  workers?: number;
  /** Batches of this many rows or more run on a worker thread (default 256). */
  offloadRows?: number;
}

export class OnnxModelRuntime implements ModelRuntime {
  readonly kind = 'onnxruntime-node';
  private readonly sessions = new Map<string, Promise<Loaded>>();
  /** Signatures of the loaded models, by digest. */
  private readonly ready = new Map<string, ModelSignature>();
  private readonly pool: OrtWorkerPool | undefined;
  private readonly offloadRows: number;

  constructor(private readonly options: OnnxRuntimeOptions = {}) {
    const workers = options.workers ?? 0;
    this.pool = workers > 0 ? new OrtWorkerPool({ workers, threads: options.intraOpThreads ?? 0 }) : undefined;
    this.offloadRows = Math.max(1, options.offloadRows ?? DEFAULT_OFFLOAD_ROWS);
  }

  load(sha256: string, bytes: Uint8Array): Promise<ModelSignature> {
    let loading = this.sessions.get(sha256);
    if (!loading) {
      loading = this.create(bytes);
      this.sessions.set(sha256, loading);
      loading.then(
        (l) => this.ready.set(sha256, l.signature),
        () => this.sessions.delete(sha256),
      );
    }
    return loading.then((l) => l.signature);
  }

  private async create(bytes: Uint8Array): Promise<Loaded> {
    const metadata = onnxMetadata(bytes);
    let session: OrtSession;
    try {
      session = await createOrtSession(bytes, this.options.intraOpThreads ?? 0);
    } catch (err) {
      throw new ValidationError(`onnxruntime cannot load the model: ${err instanceof Error ? err.message : String(err)}`, { field: 'onnx' });
    }
    const { inputs, outputs, outputTypes } = session.shape;
    return { session, signature: { inputs, outputs, outputTypes, metadata }, bytes };
  }

  isLoaded(sha256: string): boolean {
    return this.ready.has(sha256);
  }

  signature(sha256: string): ModelSignature | undefined {
    return this.ready.get(sha256);
  }

  async predict(sha256: string, columns: Record<string, FeatureColumn>): Promise<ModelOutput> {
    const loading = this.sessions.get(sha256);
    if (!loading) throw new NotFoundError('loaded model', sha256);
    const loaded = await loading;
    const first = Object.values(columns)[0];
    const rows = first ? first.length : 0;
    if (this.pool && rows >= this.offloadRows) return this.pool.run(sha256, loaded.bytes, columns, rows);
    return runOrtSession(loaded.session, columns);
  }

  async unload(sha256: string): Promise<void> {
    const loading = this.sessions.get(sha256);
    this.sessions.delete(sha256);
    this.ready.delete(sha256);
    this.pool?.unload(sha256);
    if (loading) await (await loading.catch(() => undefined))?.session.session.release();
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((sha) => this.unload(sha)));
    await this.pool?.close();
  }
}
