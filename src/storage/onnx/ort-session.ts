// One onnxruntime-node session and the two things done with it: create it from model bytes
// (answering what its inputs and outputs are) and run a batch of feature columns through it.
// Used alike on the serving thread and on the model-run worker threads (ort-worker.ts), so a
// batch gives the same outputs wherever it runs.
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { UnexpectedError } from '../../domain/errors.js';
import type { FeatureColumn, ModelOutput, TensorInfo } from '../../domain/ports/model-runtime.js';

/** A regression model's output (Flywheel's linear and gbdt regressors name it so). */
export const REGRESSION_OUTPUT = 'prediction';

export interface SessionShape {
  inputs: TensorInfo[];
  outputs: string[];
  /** Element type of each tensor output, by name. */
  outputTypes: Record<string, string>;
  /** One numeric output, `prediction`, instead of `label` and `probabilities`. */
  regression: boolean;
}

export interface OrtSession {
  session: InferenceSession;
  shape: SessionShape;
}

function tensorInfo(meta: InferenceSession.ValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name, type: 'non-tensor', shape: [] };
  return { name: meta.name, type: meta.type, shape: [...meta.shape] };
}

/** Create a session (`threads`: onnxruntime's intra-op threads per run; 0: its own choice). Throws onnxruntime's error for bytes it cannot load. */
export async function createOrtSession(bytes: Uint8Array, threads: number): Promise<OrtSession> {
  const session = await InferenceSession.create(bytes, {
    graphOptimizationLevel: 'all',
    ...(threads > 0 ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}),
  });
  const outputTypes: Record<string, string> = {};
  for (const o of session.outputMetadata) if (o.isTensor) outputTypes[o.name] = o.type;
  const outputs = [...session.outputNames];
  return {
    session,
    shape: {
      inputs: session.inputMetadata.map(tensorInfo),
      outputs,
      outputTypes,
      regression: !outputs.includes('label') && outputs.includes(REGRESSION_OUTPUT),
    },
  };
}

/** Run one batch: each column fed with shape [rows, 1]; a classifier's label and probabilities, or a regression model's values. */
export async function runOrtSession({ session, shape }: OrtSession, columns: Record<string, FeatureColumn>): Promise<ModelOutput> {
  const names = Object.keys(columns);
  const rows = names.length ? columns[names[0]].length : 0;
  const feeds: Record<string, Tensor> = {};
  for (const name of names) {
    const col = columns[name];
    feeds[name] = col instanceof Float32Array ? new Tensor('float32', col, [rows, 1]) : new Tensor('string', col, [rows, 1]);
  }
  if (shape.regression) {
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
  // String labels come as an array of strings already; integer labels as a BigInt64Array.
  const data = label.data;
  const labels = Array.isArray(data) && data.every((v) => typeof v === 'string') ? (data as string[]) : Array.from(data as ArrayLike<unknown>, (v) => String(v));
  return { labels, probabilities: probs, classes };
}
