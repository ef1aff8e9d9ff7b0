// A model-run worker thread: holds its own onnxruntime sessions (by model digest, created from the
// bytes sent with the first run of each model) and runs the batches the serving thread sends it,
// so large batches never block the thread that answers HTTP. Messages: see ort-worker-pool.ts.
import { parentPort } from 'node:worker_threads';
import type { FeatureColumn, ModelOutput } from '../../domain/ports/model-runtime.js';
import { createOrtSession, runOrtSession, type OrtSession } from './ort-session.js';

export type WorkerRequest =
  | { op: 'run'; id: number; sha: string; bytes?: Uint8Array; threads: number; columns: Record<string, FeatureColumn> }
  | { op: 'unload'; sha: string };

export type WorkerReply = { id: number; ok: true; output: ModelOutput } | { id: number; ok: false; error: string };

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
    return { id: m.id, ok: true, output: await runOrtSession(await session, m.columns) };
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
  void run(m).then((reply) => parentPort?.postMessage(reply));
});
