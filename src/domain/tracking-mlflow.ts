// Experiments and runs as MLflow's tracking API sees them: lifecycle (active/deleted), tags on
// experiments, the MLflow user of a run and its latest metric points.
import type { MetricPoint, RunStatus } from './tracking.js';

export type LifecycleStage = 'active' | 'deleted';

export interface ExperimentRecord {
  id: string;
  project_id: string;
  name: string;
  lifecycle_stage: LifecycleStage;
  artifact_location: string | null;
  /** The project's default experiment, MLflow's experiment "0". */
  is_default: boolean;
  created_at: number;
  last_update_time: number;
  tags: Record<string, string>;
}

export interface TrackedRun {
  id: string;
  project_id: string;
  experiment_id: string;
  name: string;
  status: RunStatus;
  user_id: string | null;
  lifecycle_stage: LifecycleStage;
  created_at: number;
  start_time: number | null;
  end_time: number | null;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** The latest point of each metric (greatest step, then timestamp). */
  metrics: MetricPoint[];
}
