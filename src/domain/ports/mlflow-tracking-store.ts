// Port of what MLflow's tracking API needs beyond tracking-store.ts: experiment lifecycle and
// tags, run lifecycle, tag deletion and whole-experiment run listings for search.
// Same conventions as metadata-store.ts: `get*` answers undefined when nothing matches.
import type { ExperimentRecord, LifecycleStage, TrackedRun } from '../tracking-mlflow.js';

export type ExperimentPatch = Partial<Pick<ExperimentRecord, 'name' | 'lifecycle_stage' | 'last_update_time'>>;
export type TrackedRunPatch = Partial<Pick<TrackedRun, 'name' | 'lifecycle_stage' | 'status' | 'end_time' | 'user_id'>>;

export interface MlflowTrackingRepository {
  /** Throws ConflictError when the name is taken in the project. */
  createExperiment(e: Omit<ExperimentRecord, 'tags'>, tags: Record<string, string>): Promise<void>;
  getExperiment(projectId: string, id: string): Promise<ExperimentRecord | undefined>;
  getExperimentByName(projectId: string, name: string): Promise<ExperimentRecord | undefined>;
  getDefaultExperiment(projectId: string): Promise<ExperimentRecord | undefined>;
  markDefault(experimentId: string): Promise<void>;
  /** Every experiment of the project, oldest first. */
  listExperiments(projectId: string): Promise<ExperimentRecord[]>;
  /** Throws ConflictError when renaming onto a taken name. */
  updateExperiment(id: string, patch: ExperimentPatch): Promise<void>;
  setExperimentTags(id: string, tags: Record<string, string>): Promise<void>;

  getRun(projectId: string, id: string): Promise<TrackedRun | undefined>;
  /** Runs of these experiments in these lifecycle stages, newest first, with params, tags and latest metrics. */
  listRuns(projectId: string, experimentIds: string[], stages: LifecycleStage[]): Promise<TrackedRun[]>;
  updateRun(id: string, patch: TrackedRunPatch): Promise<void>;
  /** Runs of an experiment follow it into (or out of) the deleted stage. */
  setRunsLifecycle(experimentId: string, stage: LifecycleStage): Promise<void>;
  paramsOf(runId: string, keys: string[]): Promise<Record<string, string>>;
  deleteTag(runId: string, key: string): Promise<boolean>;
}
