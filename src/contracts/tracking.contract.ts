// Experiment tracking for the UI and API clients: experiments, an experiment's runs a page at a
// time (server-side filter in MLflow's language, order by any metric, param, tag or attribute,
// cursor pagination), the keys to choose columns from, metric histories for charts, a run's
// captured context, delete/restore, and its artifacts (list and download).
import { z } from 'zod';
import { MAX_LIMIT } from '../domain/pagination.js';
import { endpoint } from './endpoint.js';
import { EpochMs, Ok, ProjectParams, pageOf } from './common.js';

/** A double on the wire: JSON has no NaN or infinities, so those are spelled as strings (proto3 JSON). */
export const WireDouble = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
export type WireDouble = z.infer<typeof WireDouble>;

export const ExperimentView = z.object({
  id: z.string(),
  /** The id MLflow clients use: "0" for the project's default experiment. */
  mlflow_id: z.string(),
  name: z.string(),
  lifecycle_stage: z.enum(['active', 'deleted']),
  created_at: EpochMs,
  last_update_time: EpochMs,
  tags: z.record(z.string(), z.string()),
});
export type ExperimentView = z.infer<typeof ExperimentView>;

export const RunSummaryView = z.object({
  id: z.string(),
  experiment_id: z.string(),
  name: z.string(),
  status: z.enum(['queued', 'running', 'finished', 'failed', 'killed']),
  lifecycle_stage: z.enum(['active', 'deleted']),
  user_id: z.string().nullable(),
  created_at: EpochMs,
  start_time: EpochMs.nullable(),
  end_time: EpochMs.nullable(),
  params: z.record(z.string(), z.string()),
  /** Each metric's latest value. */
  metrics: z.record(z.string(), WireDouble),
  tags: z.record(z.string(), z.string()),
});
export type RunSummaryView = z.infer<typeof RunSummaryView>;

export const RunContextView = z.object({
  code_version: z.string().nullable(),
  git_commit: z.string().nullable(),
  git_dirty: z.boolean().nullable(),
  node_version: z.string().nullable(),
  host: z.string().nullable(),
  data_version_id: z.string().nullable(),
  data_version_hash: z.string().nullable(),
  seed: z.number().nullable(),
});

export const RunDetailsView = RunSummaryView.extend({ context: RunContextView });
export type RunDetailsView = z.infer<typeof RunDetailsView>;

const View = z.enum(['active', 'deleted', 'all']).default('active');
const ExperimentParams = ProjectParams.extend({ experiment: z.string().min(1).max(100) });
const RunParams = ProjectParams.extend({ run: z.string().min(1).max(100) });

export const listExperiments = endpoint({
  id: 'experiments.list',
  method: 'GET',
  path: '/api/v1/projects/:project/experiments',
  summary: "The project's experiments, oldest first (the default one, MLflow's experiment 0, included)",
  tag: 'tracking',
  auth: { action: 'experiment.read' },
  params: ProjectParams,
  query: z.object({ view: View.optional() }),
  response: pageOf(ExperimentView),
});

export const listExperimentRuns = endpoint({
  id: 'experiments.runs',
  method: 'GET',
  path: '/api/v1/projects/:project/experiments/:experiment/runs',
  summary:
    "An experiment's runs a page at a time: `filter` in MLflow's language (metrics.auc > 0.9 and params.algo = 'gbdt'), `order_by` one term (metrics.auc DESC; default newest first), `count=true` adds the number of matching runs",
  tag: 'tracking',
  auth: { action: 'experiment.read' },
  params: ExperimentParams,
  query: z.object({
    filter: z.string().max(4000).optional(),
    order_by: z.string().max(300).optional(),
    view: View.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(100).optional(),
    cursor: z.string().max(4000).optional(),
    count: z.enum(['true', 'false']).optional(),
  }),
  response: pageOf(RunSummaryView).extend({ total: z.number().int().optional() }),
});

export const getRunKeys = endpoint({
  id: 'experiments.run-keys',
  method: 'GET',
  path: '/api/v1/projects/:project/experiments/:experiment/keys',
  summary: "Metric keys of an experiment's runs, and param and tag keys of its newest 1,000 runs (to choose columns)",
  tag: 'tracking',
  auth: { action: 'experiment.read' },
  params: ExperimentParams,
  response: z.object({ metrics: z.array(z.string()), params: z.array(z.string()), tags: z.array(z.string()) }),
});

export const getRunDetails = endpoint({
  id: 'runs.details',
  method: 'GET',
  path: '/api/v1/projects/:project/runs/:run/details',
  summary: 'A run as tracking sees it (lifecycle, latest metrics with NaN, tags) and what it ran on: code version, git commit and dirty flag, Node, host, data version hash, seed',
  tag: 'tracking',
  auth: { action: 'experiment.read' },
  params: RunParams,
  response: RunDetailsView,
});

export const getMetricHistory = endpoint({
  id: 'runs.metric-history',
  method: 'GET',
  path: '/api/v1/projects/:project/runs/:run/metric-history',
  summary: "A run's metric histories in step order (`keys` comma-separated, all when absent), each thinned to `max_points` evenly spaced points (the last kept)",
  tag: 'tracking',
  auth: { action: 'experiment.read' },
  params: RunParams,
  query: z.object({ keys: z.string().max(10_000).optional(), max_points: z.coerce.number().int().min(2).max(50_000).default(2000).optional() }),
  response: z.object({
    run_id: z.string(),
    status: RunSummaryView.shape.status,
    series: z.array(z.object({ key: z.string(), total: z.number().int(), points: z.array(z.object({ step: z.number().int(), timestamp: EpochMs, value: WireDouble })) })),
  }),
});

export const deleteTrackedRun = endpoint({
  id: 'runs.delete',
  method: 'DELETE',
  path: '/api/v1/projects/:project/runs/:run',
  summary: 'Move a run to the deleted stage (it leaves the active lists; restore brings it back)',
  tag: 'tracking',
  auth: { action: 'experiment.write' },
  params: RunParams,
  response: Ok,
});

export const restoreTrackedRun = endpoint({
  id: 'runs.restore',
  method: 'POST',
  path: '/api/v1/projects/:project/runs/:run/restore',
  summary: 'Bring a deleted run back to the active stage',
  tag: 'tracking',
  auth: { action: 'experiment.write' },
  params: RunParams,
  response: Ok,
});

export const ArtifactEntryView = z.object({ path: z.string(), is_dir: z.boolean(), file_size: z.number().int().optional() });

export const listRunArtifacts = endpoint({
  id: 'runs.artifacts',
  method: 'GET',
  path: '/api/v1/projects/:project/runs/:run/artifacts',
  summary: "A run's artifact files and folders directly under `path` (the root when absent)",
  tag: 'tracking',
  auth: { action: 'experiment.read' },
  params: RunParams,
  query: z.object({ path: z.string().max(1000).optional() }),
  response: z.object({ items: z.array(ArtifactEntryView) }),
});

export const getRunArtifact = endpoint({
  id: 'runs.artifact',
  method: 'GET',
  path: '/api/v1/projects/:project/runs/:run/artifact',
  summary: 'One artifact file of a run (application/octet-stream, as an attachment)',
  tag: 'tracking',
  auth: { action: 'experiment.read' },
  params: RunParams,
  /** Required; checked after the caller's permission, so strangers learn nothing from a 400. */
  query: z.object({ path: z.string().max(1000).optional() }),
  response: z.unknown().describe('the file bytes (application/octet-stream)'),
});
