// What a built-in training run keeps of its model: the ONNX bytes and the model's JSON in the
// artifact store, the params and metrics it logs (holdout metrics, training accuracy or error,
// the trainer's own), and the tags that find the JSON again (`flywheel.model_json_sha256`).
// Measuring is pure (a search's worker threads do it beside the fit); writing needs the stores.
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { MetricPoint } from '../../domain/tracking.js';
import { evaluateModel, exportModelOnnx, modelRunMetrics, modelRunParams, modelRunTags, type TrainedModel, type TrainerData, type TrainerSpec } from './trainers.js';

/** A fitted model, measured and serialised, ready to be written to a run. */
export interface MeasuredModel {
  onnx: Uint8Array;
  json: string;
  /** The holdout metrics (what the KPI gate judges). */
  metrics: Record<string, number>;
  params: Record<string, string>;
  /** Every other metric point to log (timestamps are set when written). */
  points: Array<Omit<MetricPoint, 'timestamp'>>;
  tags: Record<string, string>;
}

export interface RecordedModel {
  onnxSha256: string;
  jsonSha256: string;
  metrics: Record<string, number>;
}

/**
 * Measure `model` on the holdout and its training rows and serialise it: the holdout metrics,
 * `train_accuracy` (classifier) or `train_rmse` (regression), the trainer's params, metrics and tags.
 */
export function measureModel(model: TrainedModel, spec: Pick<TrainerSpec, 'params'>, data: { fit: TrainerData; holdout: TrainerData }): MeasuredModel {
  const metrics = evaluateModel(model, data.holdout);
  const train = evaluateModel(model, data.fit);
  const trainPoint = model.classes === null ? { key: 'train_rmse', value: train.rmse } : { key: 'train_accuracy', value: train.accuracy };
  return {
    onnx: exportModelOnnx(model),
    json: JSON.stringify(model.toJSON()),
    metrics,
    params: modelRunParams(model, spec),
    points: [...(Number.isFinite(trainPoint.value) ? [{ ...trainPoint, step: 0 }] : []), ...modelRunMetrics(model, 0).map(({ key, value, step }) => ({ key, value, step }))],
    tags: modelRunTags(model),
  };
}

/**
 * Store a measured model and log it on `runId`: its params plus `extra.params`, the holdout
 * metrics, its other points plus `extra.metrics`, its tags plus `extra.tags`.
 */
export async function writeMeasuredModel(
  deps: { store: MetadataStore; artifacts: ArtifactStore; now: () => number },
  runId: string,
  m: MeasuredModel,
  extra: { params?: Record<string, string>; metrics?: Array<Omit<MetricPoint, 'timestamp'>>; tags?: Record<string, string> } = {},
): Promise<RecordedModel> {
  const onnx = await deps.artifacts.put(m.onnx);
  const json = await deps.artifacts.put(new TextEncoder().encode(m.json));
  const now = deps.now();
  await deps.store.tracking.logParams(runId, { ...m.params, ...extra.params });
  const points: MetricPoint[] = [
    ...Object.entries(m.metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: now })),
    ...[...m.points, ...(extra.metrics ?? [])].map((p) => ({ ...p, timestamp: now })),
  ];
  await deps.store.tracking.logMetrics(runId, points);
  await deps.store.tracking.setTags(runId, { 'flywheel.model_json_sha256': json.sha256, ...m.tags, ...extra.tags });
  return { onnxSha256: onnx.sha256, jsonSha256: json.sha256, metrics: m.metrics };
}

/** Measure and write in one step (a single run). */
export function recordModel(
  deps: { store: MetadataStore; artifacts: ArtifactStore; now: () => number },
  runId: string,
  spec: Pick<TrainerSpec, 'params'>,
  model: TrainedModel,
  data: { fit: TrainerData; holdout: TrainerData },
  extra: { params?: Record<string, string>; metrics?: Array<Omit<MetricPoint, 'timestamp'>>; tags?: Record<string, string> } = {},
): Promise<RecordedModel> {
  return writeMeasuredModel(deps, runId, measureModel(model, spec, data), extra);
}
