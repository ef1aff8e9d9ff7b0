// Ports of experiment tracking and model validation policies. Same conventions as
// metadata-store.ts: create → get → list → update; `get*` answers undefined when nothing matches.
import type { Page, PageRequest } from '../pagination.js';
import type { Experiment, MetricPoint, Run, ValidationPolicy } from '../tracking.js';

export type RunPatch = Partial<
  Pick<Run, 'status' | 'start_time' | 'end_time' | 'error' | 'model_artifact_sha256' | 'model_version_id' | 'gate' | 'dataset_version_id' | 'job_id' | 'code_version'>
>;

export interface TrackingRepository {
  /** The experiment named `name` in the project, created when missing. */
  ensureExperiment(projectId: string, name: string, at: number): Promise<Experiment>;
  createRun(run: Omit<Run, 'params' | 'metrics' | 'tags'>): Promise<void>;
  getRun(id: string): Promise<Run | undefined>;
  /** Newest first. */
  listRuns(projectId: string, page: PageRequest, filter?: { experimentId?: string }): Promise<Page<Run>>;
  updateRun(id: string, patch: RunPatch): Promise<void>;
  logParams(runId: string, params: Record<string, string>): Promise<void>;
  /**
   * Append points to the run's histories (a point already stored is kept once; NaN is kept) and
   * move each key's latest point forward. `experimentId`, when the caller knows it, saves a read.
   */
  logMetrics(runId: string, points: MetricPoint[], experimentId?: string): Promise<void>;
  setTags(runId: string, tags: Record<string, string>): Promise<void>;
  metricHistory(runId: string, key: string): Promise<MetricPoint[]>;
}

export interface PolicyRepository {
  get(projectId: string): Promise<ValidationPolicy | undefined>;
  put(policy: ValidationPolicy): Promise<void>;
}
