// Large batches run on model-run worker threads and answer exactly what the serving thread
// answers; small ones stay in place; several models and concurrent batches spread over the
// workers; an unloaded model is gone from every worker; a closed runtime refuses work.
import { afterEach, describe, expect, it } from 'vitest';
import type { FeatureColumn } from '../../src/domain/ports/model-runtime.js';
import { OnnxModelRuntime } from '../../src/storage/onnx/onnx-model-runtime.js';
import { buildLinearModel, expectedPrediction, WEATHER_SPEC } from '../fixtures/models/linear-model.js';

const runtimes: OnnxModelRuntime[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
});

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ precipitation: (i % 17) * 0.7, temp_max: 25 - (i % 23), temp_min: (i % 11) - 3, wind: (i % 7) * 0.9, station: i % 3 ? 'north' : 'south' }));

function columnsOf(batch: Array<Record<string, number | string>>): Record<string, FeatureColumn> {
  const out: Record<string, FeatureColumn> = {};
  for (const f of WEATHER_SPEC.features) out[f.name] = f.kind === 'numeric' ? Float32Array.from(batch, (r) => r[f.name] as number) : batch.map((r) => String(r[f.name]));
  return out;
}

describe('model-run worker threads', () => {
  it('answers large batches on the workers exactly as the serving thread does, concurrent batches spread over them', async () => {
    const bytes = buildLinearModel(WEATHER_SPEC);
    const inPlace = new OnnxModelRuntime({ intraOpThreads: 1 });
    const offloaded = new OnnxModelRuntime({ intraOpThreads: 1, workers: 2, offloadRows: 50 });
    runtimes.push(inPlace, offloaded);
    await inPlace.load('m', bytes);
    await offloaded.load('m', bytes);
    const batch = rows(400);
    const want = await inPlace.predict('m', columnsOf(batch));
    const answers = await Promise.all([0, 1, 2, 3].map(() => offloaded.predict('m', columnsOf(batch))));
    for (const got of answers) {
      expect(got.labels).toEqual(want.labels);
      expect(Array.from(got.probabilities)).toEqual(Array.from(want.probabilities));
      expect(got.classes).toBe(3);
    }
    // And both agree with the model computed by hand.
    batch.slice(0, 20).forEach((row, i) => expect(want.labels[i]).toBe(expectedPrediction(WEATHER_SPEC, row).label));
    expect((offloaded as unknown as { pool: { size(): number } }).pool.size()).toBe(2);
  });

  it('keeps small batches on the serving thread (no worker starts) and forgets unloaded models on the workers', async () => {
    const bytes = buildLinearModel(WEATHER_SPEC);
    const runtime = new OnnxModelRuntime({ intraOpThreads: 1, workers: 1, offloadRows: 100 });
    runtimes.push(runtime);
    await runtime.load('m', bytes);
    const pool = (runtime as unknown as { pool: { size(): number } }).pool;
    await runtime.predict('m', columnsOf(rows(5)));
    expect(pool.size()).toBe(0);
    expect((await runtime.predict('m', columnsOf(rows(150)))).labels).toHaveLength(150);
    expect(pool.size()).toBe(1);
    await runtime.unload('m');
    await expect(runtime.predict('m', columnsOf(rows(150)))).rejects.toThrow(/loaded model/);
    // Loaded again, the worker gets the bytes again and answers.
    await runtime.load('m', bytes);
    expect((await runtime.predict('m', columnsOf(rows(150)))).labels).toHaveLength(150);
  });

  it('fails a batch the model cannot run with a clear error, and refuses work once closed', async () => {
    const runtime = new OnnxModelRuntime({ intraOpThreads: 1, workers: 1, offloadRows: 10 });
    await runtime.load('m', buildLinearModel(WEATHER_SPEC));
    const wrong = columnsOf(rows(20));
    delete wrong.wind;
    await expect(runtime.predict('m', wrong)).rejects.toThrow(/onnxruntime failed to run the batch: .*wind/);
    await runtime.close();
    await expect(runtime.predict('m', columnsOf(rows(20)))).rejects.toThrow();
  });
});
