// Port of what MLflow's tracking API and the runs UI need beyond tracking-store.ts: experiment
// lifecycle and tags, run lifecycle, tag deletion, run search one page at a time, metric histories.
// Same conventions as metadata-store.ts: `get*` answers undefined when nothing matches.
import type { MetricPoint } from '../tracking.js';
import type { RunKeys, RunSearchPage, RunSearchQuery } from '../run-search.js';
import type { ExperimentRecord, LifecycleStage, TrackedRun } from '../tracking-mlflow.js';

/** What a write needs to know of a run: where it lives and whether it is active. */
export type RunState = Pick<TrackedRun, 'id' | 'project_id' | 'experiment_id' | 'status' | 'lifecycle_stage'>;

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
  /** The run's row alone (no params, metrics or tags): one indexed read, for writes. */
  runState(projectId: string, id: string): Promise<RunState | undefined>;
  /** One page of matching runs with params, tags and latest metrics, in the query's order. */
  searchRuns(query: RunSearchQuery): Promise<RunSearchPage>;
  /** How many runs match the query's experiments, stages and clauses. */
  countRuns(query: Omit<RunSearchQuery, 'order' | 'limit' | 'after'>): Promise<number>;
  /** Metric keys of every run of the experiments; param and tag keys of their newest `sample` runs. */
  runKeys(projectId: string, experimentIds: string[], sample: number): Promise<RunKeys>;
  /** The points of these metrics, each key's in step then timestamp order (NaN values as NaN). */
  metricHistories(runId: string, keys: string[]): Promise<MetricPoint[]>;
  updateRun(id: string, patch: TrackedRunPatch): Promise<void>;
  /** Runs of an experiment follow it into (or out of) the deleted stage. */
  setRunsLifecycle(experimentId: string, stage: LifecycleStage): Promise<void>;
  paramsOf(runId: string, keys: string[]): Promise<Record<string, string>>;
  deleteTag(runId: string, key: string): Promise<boolean>;
}
