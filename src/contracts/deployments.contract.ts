// Deployments (a model served through an alias it follows or a version it is pinned to), the
// serving URL (no project in it: deployment names are unique in the instance), and the
// prediction log's segments.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs, Name, PageQuery, ProjectParams, pageOf } from './common.js';

/** At most this many rows per predict request. */
export const MAX_PREDICT_ROWS = 10_000;

/** A version of the deployment's model named by an alias it follows, or pinned (exactly one is set). */
export const TrafficTargetView = z.object({ alias: z.string().nullable(), version: z.number().int().nullable() });
export const CanaryView = TrafficTargetView.extend({ percent: z.number().int() });

/** Micro-batching of concurrent requests: up to `max_rows` rows per model run (1 = off); a request waits at most `max_delay_ms` behind a running batch. */
export const BatchingView = z.object({ max_rows: z.number().int(), max_delay_ms: z.number().int() });
const BatchingInput = z.object({
  max_rows: z.number().int().min(1).max(10_000).optional(),
  max_delay_ms: z.number().int().min(0).max(1000).optional(),
});

export const DeploymentView = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  model_id: z.string(),
  model: z.string(),
  /** The alias it follows, or null when pinned to `version`. */
  alias: z.string().nullable(),
  version: z.number().int().nullable(),
  /** The version served now. */
  serving_version: z.number().int().nullable(),
  /** A share of the requests (percent) served by another version; null when none. */
  canary: CanaryView.nullable(),
  canary_version: z.number().int().nullable(),
  /** A version that gets a mirror of every request (its outputs are logged, never returned); null when none. */
  shadow: TrafficTargetView.nullable(),
  shadow_version: z.number().int().nullable(),
  batching: BatchingView,
  /** Predictions in registered log segments (the open segment is counted once it rolls). */
  predictions_logged: z.number().int(),
  predict_path: z.string(),
  created_by: z.string().nullable(),
  created_at: EpochMs,
  updated_at: EpochMs,
});
export type DeploymentView = z.infer<typeof DeploymentView>;

export const PredictionSegmentView = z.object({
  id: z.string(),
  deployment_id: z.string(),
  artifact_sha256: z.string(),
  rows: z.number().int(),
  min_event_time: EpochMs,
  max_event_time: EpochMs,
  created_at: EpochMs,
});
export type PredictionSegmentView = z.infer<typeof PredictionSegmentView>;

const DeploymentParams = ProjectParams.extend({ deployment: z.string().min(1).max(100) });
const Target = {
  alias: Name.nullable().optional(),
  version: z.number().int().min(1).nullable().optional(),
};
const SideTarget = z.object({ alias: Name.optional(), version: z.number().int().min(1).optional() });
/** Send `percent` (1–99) of the requests to the version an alias names, or to a pinned version. */
const CanaryInput = SideTarget.extend({ percent: z.number().int().min(1).max(99) });
const Traffic = {
  /** Set the canary; null removes it (absent: unchanged). */
  canary: CanaryInput.nullable().optional(),
  /** Set the shadow; null removes it (absent: unchanged). */
  shadow: SideTarget.nullable().optional(),
  /** Why (kept in the binding history). */
  reason: z.string().max(2000).optional(),
  /** Micro-batching settings; parts left out keep their value (on create: 64 rows, 2 ms). */
  batching: BatchingInput.optional(),
};

export const DeploymentBindingView = z.object({
  id: z.string(),
  deployment_id: z.string(),
  /** create | update | rollback | alias (an alias it follows moved). */
  change: z.enum(['create', 'update', 'rollback', 'alias']),
  model_id: z.string(),
  alias: z.string().nullable(),
  version: z.number().int().nullable(),
  canary: CanaryView.nullable(),
  shadow: TrafficTargetView.nullable(),
  serving_version: z.number().int().nullable(),
  canary_version: z.number().int().nullable(),
  shadow_version: z.number().int().nullable(),
  who: z.string().nullable(),
  who_name: z.string(),
  at: EpochMs,
  reason: z.string(),
});
export type DeploymentBindingView = z.infer<typeof DeploymentBindingView>;

export const listDeployments = endpoint({
  id: 'deployments.list',
  method: 'GET',
  path: '/api/v1/projects/:project/deployments',
  summary: "A project's deployments: model, alias or pinned version, predictions logged",
  tag: 'deployments',
  auth: { action: 'deployment.read' },
  params: ProjectParams,
  query: PageQuery,
  response: pageOf(DeploymentView),
});

export const createDeployment = endpoint({
  id: 'deployments.create',
  method: 'POST',
  path: '/api/v1/projects/:project/deployments',
  summary: 'Deploy a model: follow an alias (default champion) or pin a version',
  tag: 'deployments',
  auth: { action: 'deployment.write' },
  status: 201,
  params: ProjectParams,
  body: z.object({ name: Name, model: z.string().min(1).max(100), ...Target, ...Traffic }),
  response: DeploymentView,
});

export const getDeployment = endpoint({
  id: 'deployments.get',
  method: 'GET',
  path: '/api/v1/projects/:project/deployments/:deployment',
  summary: 'One deployment',
  tag: 'deployments',
  auth: { action: 'deployment.read' },
  params: DeploymentParams,
  response: DeploymentView,
});

export const updateDeployment = endpoint({
  id: 'deployments.update',
  method: 'PATCH',
  path: '/api/v1/projects/:project/deployments/:deployment',
  summary:
    'Point a deployment at another alias, version or model, set or remove its canary (a share of the requests to another version) and shadow (mirrored requests, outputs logged, never returned), or change its micro-batching; the server swaps without failing a request',
  tag: 'deployments',
  auth: { action: 'deployment.write' },
  params: DeploymentParams,
  body: z.object({ model: z.string().min(1).max(100).optional(), ...Target, ...Traffic }),
  response: DeploymentView,
});

export const rollbackDeployment = endpoint({
  id: 'deployments.rollback',
  method: 'POST',
  path: '/api/v1/projects/:project/deployments/:deployment/rollback',
  summary:
    'Return the deployment to the binding it had before its latest change (a target whose alias has moved since is pinned to the version it served then); the history keeps both',
  tag: 'deployments',
  auth: { action: 'deployment.write' },
  params: DeploymentParams,
  body: z.object({ reason: z.string().max(2000).optional() }),
  response: DeploymentView.extend({ restored: DeploymentBindingView }),
});

export const listDeploymentHistory = endpoint({
  id: 'deployments.history',
  method: 'GET',
  path: '/api/v1/projects/:project/deployments/:deployment/history',
  summary: "The deployment's binding history, newest first: each binding, the versions it served, who, when, why",
  tag: 'deployments',
  auth: { action: 'deployment.read' },
  params: DeploymentParams,
  query: PageQuery,
  response: pageOf(DeploymentBindingView),
});

export const listPredictionSegments = endpoint({
  id: 'deployments.segments',
  method: 'GET',
  path: '/api/v1/projects/:project/deployments/:deployment/segments',
  summary: "The deployment's prediction-log segments (Parquet files), oldest first, optionally overlapping an event-time window",
  tag: 'deployments',
  auth: { action: 'deployment.read' },
  params: DeploymentParams,
  query: z.object({ from: z.coerce.number().int().optional(), to: z.coerce.number().int().optional() }),
  response: z.object({ items: z.array(PredictionSegmentView), next_cursor: z.null() }),
});

// The hot path keeps its schema lean: rows, values and event times are checked by the service
// against the deployed model's features, with errors naming the field (`body.rows[3].temp_max`).
const Row = z.unknown().describe('an object of feature values: numbers for numeric features, strings for categorical ones');

export const ClassPredictionView = z.object({
  id: z.string(),
  label: z.string(),
  probabilities: z.record(z.string(), z.number()),
});

/** A regression model's prediction: the predicted value (null when the model answered no finite number). */
export const ValuePredictionView = z.object({
  id: z.string(),
  value: z.number().nullable(),
});

/** A classifier's label and class probabilities, or a regression model's value. */
export const PredictionView = z.union([ClassPredictionView, ValuePredictionView]);

export const predict = endpoint({
  id: 'deployments.predict',
  method: 'POST',
  path: '/api/v1/deployments/:deployment/predict',
  summary: "Predict: JSON rows (or columns + data) in, labels and class probabilities out (a regression model's predicted values); every prediction is logged",
  tag: 'serving',
  auth: { action: 'deployment.predict' },
  projectFrom: 'deployment',
  bodyLimit: 32 * 1024 * 1024,
  params: z.object({ deployment: z.string().min(1).max(100) }),
  body: z.object({
    rows: z.array(Row).max(MAX_PREDICT_ROWS).optional(),
    columns: z.array(z.string()).optional(),
    data: z.array(z.unknown().describe('an array of values, in the order of `columns`')).max(MAX_PREDICT_ROWS).optional(),
    /** Per row, when the event happened (epoch ms); the receive time otherwise. */
    event_times: z.array(z.unknown().describe('epoch milliseconds')).max(MAX_PREDICT_ROWS).optional(),
  }),
  response: z.object({
    deployment: z.string(),
    model: z.string(),
    model_version: z.number().int(),
    predictions: z.array(PredictionView),
  }),
});

/** One second of a deployment's traffic on the server asked. */
export const StatsPointView = z.object({
  /** Start of the second (epoch ms). */
  t: EpochMs,
  requests: z.number().int(),
  errors: z.number().int(),
  /** Rows predicted (successful requests). */
  rows: z.number().int(),
  /** Latency of the requests answered in that second (ms; null without requests). */
  mean_ms: z.number().nullable(),
  p50_ms: z.number().nullable(),
  p99_ms: z.number().nullable(),
  /** Model runs, and rows per run (above 1 when micro-batching coalesced concurrent requests). */
  model_runs: z.number().int(),
  rows_per_run: z.number().nullable(),
});
export type StatsPointView = z.infer<typeof StatsPointView>;

export const getDeploymentStats = endpoint({
  id: 'deployments.stats',
  method: 'GET',
  path: '/api/v1/projects/:project/deployments/:deployment/stats',
  summary:
    "Live serving statistics of the server answering (each server keeps its own), one point per second over the last `seconds` (default 60): requests, errors, rows, latency mean/p50/p99, model runs and rows per run",
  tag: 'deployments',
  auth: { action: 'deployment.read' },
  params: DeploymentParams,
  query: z.object({ seconds: z.coerce.number().int().min(5).max(119).optional() }),
  response: z.object({ deployment: z.string(), server_time: EpochMs, points: z.array(StatsPointView) }),
});
