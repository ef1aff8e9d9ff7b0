// Training runs (queued as background jobs) and the project's KPI validation policy.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs, Name, PageQuery, ProjectParams, pageOf } from './common.js';
import { GateReportView, SliceGapRuleView } from './gate-report.js';

const GateView = GateReportView;

export const RunView = z.object({
  id: z.string(),
  project_id: z.string(),
  experiment_id: z.string(),
  name: z.string(),
  status: z.enum(['queued', 'running', 'finished', 'failed', 'killed']),
  spec: z.record(z.string(), z.unknown()),
  dataset_version_id: z.string().nullable(),
  seed: z.number().nullable(),
  code_version: z.string().nullable(),
  job_id: z.string().nullable(),
  model_artifact_sha256: z.string().nullable(),
  model_version_id: z.string().nullable(),
  gate: GateView.nullable(),
  error: z.string().nullable(),
  params: z.record(z.string(), z.string()),
  metrics: z.record(z.string(), z.number()),
  tags: z.record(z.string(), z.string()),
  created_at: EpochMs,
  start_time: EpochMs.nullable(),
  end_time: EpochMs.nullable(),
});
export type RunView = z.infer<typeof RunView>;

const Instant = z.union([z.number().int(), z.iso.date(), z.iso.datetime()]);
const Bound = z.object({ from: Instant.optional(), to: Instant.optional() });

export const TrainingSpecBody = z.object({
  experiment: Name.default('default'),
  dataset: z.string().min(1).max(100),
  version: z.number().int().min(1).optional(),
  target: z.string().min(1).max(200),
  features: z.array(z.object({ name: z.string().min(1).max(200), kind: z.enum(['numeric', 'categorical']) })).min(1).max(500),
  time_column: z.string().min(1).max(200),
  train: Bound.optional(),
  holdout: z.object({ from: Instant, to: Instant }),
  /** The built-in trainer (default logistic_regression); linear_regression (ridge) and gbdt with objective 'regression' need a numeric target. */
  algorithm: z.enum(['logistic_regression', 'linear_regression', 'gbdt']).optional(),
  /** logistic_regression: l2, max_iter, tol. linear_regression: l2, solver (auto, cholesky, lbfgs), max_iter, tol. gbdt: HistGradientBoosting's names (learning_rate, max_leaf_nodes, …). Checked by the service, which names a bad or unknown one. */
  params: z
    .looseObject({ l2: z.number().positive().optional(), max_iter: z.number().int().min(1).max(100_000).optional(), tol: z.number().positive().optional() })
    .optional(),
  seed: z.number().int().optional(),
  register: z.object({ model: Name, alias: Name.optional() }).optional(),
});

const RunParams = ProjectParams.extend({ run: z.string().min(1).max(100) });

export const startRun = endpoint({
  id: 'runs.create',
  method: 'POST',
  path: '/api/v1/projects/:project/runs',
  summary: 'Train a model in the background: fit, holdout metrics, ONNX, KPI gate, registration when it passes',
  tag: 'training',
  auth: { action: 'experiment.write' },
  status: 202,
  params: ProjectParams,
  body: TrainingSpecBody,
  response: RunView,
});

export const listRuns = endpoint({
  id: 'runs.list',
  method: 'GET',
  path: '/api/v1/projects/:project/runs',
  summary: "A project's training runs, newest first",
  tag: 'training',
  auth: { action: 'experiment.read' },
  params: ProjectParams,
  query: PageQuery,
  response: pageOf(RunView),
});

export const getRun = endpoint({
  id: 'runs.get',
  method: 'GET',
  path: '/api/v1/projects/:project/runs/:run',
  summary: 'One run with its params, metrics, gate report and model',
  tag: 'training',
  auth: { action: 'experiment.read' },
  params: RunParams,
  response: RunView,
});

const Thresholds = z.record(z.string().min(1).max(100), z.object({ min: z.number().optional(), max: z.number().optional() }));
/** Per metric, the least improvement over the champion (absolute, in the metric's good direction). */
const MinImprovement = z.record(z.string().min(1).max(100), z.number());

export const PolicyView = z.object({
  project_id: z.string(),
  thresholds: Thresholds,
  min_improvement: MinImprovement,
  max_slice_gap: z.array(SliceGapRuleView),
  updated_by: z.string().nullable(),
  updated_at: EpochMs,
});

export const getPolicy = endpoint({
  id: 'policy.get',
  method: 'GET',
  path: '/api/v1/projects/:project/validation-policy',
  summary: 'The KPI gate a model must pass to be registered by training and to become champion',
  tag: 'training',
  auth: { action: 'model.read' },
  params: ProjectParams,
  response: PolicyView,
});

export const putPolicy = endpoint({
  id: 'policy.put',
  method: 'PUT',
  path: '/api/v1/projects/:project/validation-policy',
  summary:
    'Set the KPI gate: thresholds (e.g. {"accuracy": {"min": 0.6}}), min_improvement over the champion (e.g. {"accuracy": 0.01, "log_loss": 0.02}) and max_slice_gap ([{"metric": "accuracy", "column": "station", "max": 0.1}]); each part given replaces the current one',
  tag: 'training',
  auth: { action: 'policy.write' },
  params: ProjectParams,
  body: z.object({ thresholds: Thresholds.optional(), min_improvement: MinImprovement.optional(), max_slice_gap: z.array(SliceGapRuleView).max(50).optional() }),
  response: PolicyView,
});
