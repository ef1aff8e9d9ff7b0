// Tracked runs and experiments as the tracking contract's views: doubles on the wire (NaN and
// infinities as strings, as proto3 JSON spells them), experiments with MLflow's id beside theirs.
import type { ExperimentView, RunSummaryView, WireDouble } from '../../contracts/index.js';
import type { ExperimentRecord, TrackedRun } from '../../domain/tracking-mlflow.js';
import { DEFAULT_EXPERIMENT_ID } from '../../services/tracking/tracking.service.js';

export function wireDouble(v: number): WireDouble {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

export function experimentView(e: ExperimentRecord): ExperimentView {
  return {
    id: e.id,
    mlflow_id: e.is_default ? DEFAULT_EXPERIMENT_ID : e.id,
    name: e.name,
    lifecycle_stage: e.lifecycle_stage,
    created_at: e.created_at,
    last_update_time: e.last_update_time,
    tags: e.tags,
  };
}

export function runSummaryView(r: TrackedRun): RunSummaryView {
  const metrics: Record<string, WireDouble> = {};
  for (const m of r.metrics) metrics[m.key] = wireDouble(m.value);
  return {
    id: r.id,
    experiment_id: r.experiment_id,
    name: r.name,
    status: r.status,
    lifecycle_stage: r.lifecycle_stage,
    user_id: r.user_id,
    created_at: r.created_at,
    start_time: r.start_time,
    end_time: r.end_time,
    params: r.params,
    metrics,
    tags: r.tags,
  };
}
