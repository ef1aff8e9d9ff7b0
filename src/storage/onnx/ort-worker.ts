// A model-run worker thread: holds its own onnxruntime sessions (by model digest, created from the
// bytes sent with the first run of each model) and runs the batches the serving thread sends it,
// so large batches never block the thread that answers HTTP. Messages: see ort-worker-pool.ts.
import { parentPort } from 'node:worker_threads';
import type { FeatureColumn, ModelOutput } from '../../domain/ports/model-runtime.js';
import { createOrtSession, runOrtSession, type OrtSession } from './ort-session.js';

/**
 * A batch as sent: every numeric column packed into one buffer (transferred, not copied), column
 * `numeric[k]` at `[k·rows, (k+1)·rows)`; string columns as arrays.
 */
export interface PackedColumns {
  rows: number;
  numeric: string[];
  values: Float32Array;
  strings: Record<string, string[]>;
  /** Input order. */
  order: string[];
}

/** Outputs as sent back: labels as indices into the distinct labels (no string per row to copy). */
export interface PackedOutput {
  labelIndex: Int32Array;
  labelNames: string[];
  probabilities: Float32Array;
  classes: number;
  values?: Float32Array | Float64Array;
}

export type WorkerRequest = { op: 'run'; id: number; sha: string; bytes?: Uint8Array; threads: number; batch: PackedColumns } | { op: 'unload'; sha: string };

export type WorkerReply = { id: number; ok: true; output: PackedOutput } | { id: number; ok: false; error: string };

/** Pack a batch's columns for the trip to a worker. */
export function packColumns(columns: Record<string, FeatureColumn>, rows: number): PackedColumns {
  const order = Object.keys(columns);
  const numeric = order.filter((n) => columns[n] instanceof Float32Array);
  const values = new Float32Array(numeric.length * rows);
  numeric.forEach((n, k) => values.set(columns[n] as Float32Array, k * rows));
  const strings: Record<string, string[]> = {};
  for (const n of order) if (!(columns[n] instanceof Float32Array)) strings[n] = columns[n] as string[];
  return { rows, numeric, values, strings, order };
}

function unpackColumns(b: PackedColumns): Record<string, FeatureColumn> {
  const at = new Map(b.numeric.map((n, k) => [n, k]));
  const out: Record<string, FeatureColumn> = {};
  for (const n of b.order) {
    const k = at.get(n);
    out[n] = k === undefined ? b.strings[n] : b.values.subarray(k * b.rows, (k + 1) * b.rows);
  }
  return out;
}

function packOutput(out: ModelOutput): PackedOutput {
  const names = new Map<string, number>();
  const labelIndex = new Int32Array(out.labels.length);
  out.labels.forEach((l, i) => {
    let k = names.get(l);
    if (k === undefined) names.set(l, (k = names.size));
    labelIndex[i] = k;
  });
  return { labelIndex, labelNames: [...names.keys()], probabilities: out.probabilities, classes: out.classes, ...(out.values ? { values: out.values } : {}) };
}

/** Outputs back from a worker. */
export function unpackOutput(p: PackedOutput): ModelOutput {
  const labels = new Array<string>(p.labelIndex.length);
  for (let i = 0; i < labels.length; i++) labels[i] = p.labelNames[p.labelIndex[i]];
  return { labels, probabilities: p.probabilities, classes: p.classes, ...(p.values ? { values: p.values } : {}) };
}

const sessions = new Map<string, Promise<OrtSession>>();

async function run(m: Extract<WorkerRequest, { op: 'run' }>): Promise<WorkerReply> {
  try {
    let session = sessions.get(m.sha);
    if (!session) {
      if (!m.bytes) throw new Error(`model ${m.sha} is not loaded on this worker`);
      session = createOrtSession(m.bytes, m.threads);
      sessions.set(m.sha, session);
      session.catch(() => sessions.delete(m.sha));
    }
    return { id: m.id, ok: true, output: packOutput(await runOrtSession(await session, unpackColumns(m.batch))) };
  } catch (err) {
    return { id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (m: WorkerRequest) => {
  if (m.op === 'unload') {
    const session = sessions.get(m.sha);
    sessions.delete(m.sha);
    void session?.then((s) => s.session.release()).catch(() => undefined);
    return;
  }
  void run(m).then((reply) => parentPort?.postMessage(reply, reply.ok ? [reply.output.labelIndex.buffer as ArrayBuffer] : []));
});
