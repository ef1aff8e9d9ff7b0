// Flywheel's experiments and runs as MLflow's proto messages (Experiment, Run, RunInfo, Metric).
import type { MetricPoint } from '../../domain/tracking.js';
import type { ExperimentRecord, TrackedRun } from '../../domain/tracking-mlflow.js';
import { DEFAULT_EXPERIMENT_ID, toMlflowStatus } from '../../services/tracking/tracking.service.js';

const pairs = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }));

export function experimentIdOf(e: Pick<ExperimentRecord, 'id' | 'is_default'>): string {
  return e.is_default ? DEFAULT_EXPERIMENT_ID : e.id;
}

export function experimentMessage(e: ExperimentRecord) {
  const id = experimentIdOf(e);
  return {
    experiment_id: id,
    name: e.name,
    artifact_location: e.artifact_location ?? `mlflow-artifacts:/${id}`,
    lifecycle_stage: e.lifecycle_stage,
    last_update_time: e.last_update_time,
    creation_time: e.created_at,
    tags: pairs(e.tags),
  };
}

/** The wire value of a double: JSON has no NaN or infinities, proto3 JSON spells them as strings. */
export function doubleOut(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

export function metricMessage(m: MetricPoint) {
  return { key: m.key, value: doubleOut(m.value), timestamp: m.timestamp, step: m.step };
}

export function runInfoMessage(r: TrackedRun, experiment: Pick<ExperimentRecord, 'id' | 'is_default'>) {
  const experimentId = experimentIdOf(experiment);
  return {
    run_id: r.id,
    run_uuid: r.id,
    run_name: r.name,
    experiment_id: experimentId,
    user_id: r.user_id ?? '',
    status: toMlflowStatus(r.status),
    start_time: r.start_time ?? r.created_at,
    ...(r.end_time !== null ? { end_time: r.end_time } : {}),
    artifact_uri: `mlflow-artifacts:/${experimentId}/${r.id}/artifacts`,
    lifecycle_stage: r.lifecycle_stage,
  };
}

export function runMessage(r: TrackedRun, experiment: Pick<ExperimentRecord, 'id' | 'is_default'>) {
  return {
    info: runInfoMessage(r, experiment),
    data: { metrics: r.metrics.map(metricMessage), params: pairs(r.params), tags: pairs(r.tags) },
    inputs: {},
  };
}
