// The model runtime on onnxruntime-node: one InferenceSession per model digest, created once
// (concurrent loads share the promise) and shared by every deployment serving that version.
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { NotFoundError, UnexpectedError, ValidationError } from '../../domain/errors.js';
import type { FeatureColumn, ModelOutput, ModelRuntime, ModelSignature, TensorInfo } from '../../domain/ports/model-runtime.js';
import { onnxMetadata } from './onnx-metadata.js';

interface Loaded {
  session: InferenceSession;
  signature: ModelSignature;
  /** A regression model: one numeric output, `prediction`, instead of `label` and `probabilities`. */
  regression: boolean;
}

/** A regression model's output (Flywheel's linear and gbdt regressors name it so). */
const REGRESSION_OUTPUT = 'prediction';

export interface OnnxRuntimeOptions {
  /**
   * Threads per inference (onnxruntime's intra-op pool); default: onnxruntime's choice (one per
   * core, whose idle threads spin). One thread suits a server: concurrent requests are batched.
   */
  intraOpThreads?: number;
}

function tensorInfo(meta: InferenceSession.ValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name, type: 'non-tensor', shape: [] };
  return { name: meta.name, type: meta.type, shape: [...meta.shape] };
}

export class OnnxModelRuntime implements ModelRuntime {
  readonly kind = 'onnxruntime-node';
  private readonly sessions = new Map<string, Promise<Loaded>>();
  /** Signatures of the loaded models, by digest. */
  private readonly ready = new Map<string, ModelSignature>();

  constructor(private readonly options: OnnxRuntimeOptions = {}) {}

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
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(bytes, {
        graphOptimizationLevel: 'all',
        ...(this.options.intraOpThreads ? { intraOpNumThreads: this.options.intraOpThreads, interOpNumThreads: 1 } : {}),
      });
    } catch (err) {
      throw new ValidationError(`onnxruntime cannot load the model: ${err instanceof Error ? err.message : String(err)}`, { field: 'onnx' });
    }
    const outputTypes: Record<string, string> = {};
    for (const o of session.outputMetadata) if (o.isTensor) outputTypes[o.name] = o.type;
    return {
      session,
      signature: { inputs: session.inputMetadata.map(tensorInfo), outputs: [...session.outputNames], outputTypes, metadata },
      regression: !session.outputNames.includes('label') && session.outputNames.includes(REGRESSION_OUTPUT),
    };
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
    const { session, regression } = await loading;
    const names = Object.keys(columns);
    const rows = names.length ? columns[names[0]].length : 0;
    const feeds: Record<string, Tensor> = {};
    for (const name of names) {
      const col = columns[name];
      feeds[name] = col instanceof Float32Array ? new Tensor('float32', col, [rows, 1]) : new Tensor('string', col, [rows, 1]);
    }
    if (regression) {
      const out = (await session.run(feeds, [REGRESSION_OUTPUT]))[REGRESSION_OUTPUT];
      if (!out) throw new UnexpectedError(`the model did not produce its ${REGRESSION_OUTPUT} output`);
      const data = out.data;
      const values = data instanceof Float32Array || data instanceof Float64Array ? data : Float64Array.from(data as ArrayLike<number | bigint>, Number);
      if (values.length !== rows) throw new UnexpectedError(`the model's ${REGRESSION_OUTPUT} output has ${values.length} values for ${rows} rows`);
      return { labels: [], probabilities: new Float32Array(0), classes: 0, values };
    }
    const out = await session.run(feeds, ['label', 'probabilities']);
    const label = out.label;
    const probabilities = out.probabilities;
    if (!label || !probabilities) throw new UnexpectedError('the model did not produce its label and probabilities outputs');
    const probs = probabilities.data instanceof Float32Array ? probabilities.data : Float32Array.from(probabilities.data as ArrayLike<number>);
    const classes = probabilities.dims.length === 2 ? Number(probabilities.dims[1]) : rows ? probs.length / rows : 0;
    return { labels: Array.from(label.data as ArrayLike<unknown>, (v) => String(v)), probabilities: probs, classes };
  }

  async unload(sha256: string): Promise<void> {
    const loading = this.sessions.get(sha256);
    this.sessions.delete(sha256);
    this.ready.delete(sha256);
    if (loading) await (await loading.catch(() => undefined))?.session.release();
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((sha) => this.unload(sha)));
  }
}
