// Monitors (drift and performance per window), their alerts, and retraining decisions.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs, Name, PageQuery, ProjectParams, pageOf } from './common.js';

export const MonitorView = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  deployment: z.string(),
  reference_dataset_version_id: z.string(),
  features: z.array(z.string()),
  psi_threshold: z.number(),
  tolerance: z.number(),
  baseline: z.record(z.string(), z.number()),
  window: z.literal('month'),
  created_at: EpochMs,
  updated_at: EpochMs,
});

export const WindowView = z.object({
  id: z.string(),
  monitor_id: z.string(),
  window_start: EpochMs,
  window_end: EpochMs,
  predictions: z.number().int(),
  labelled: z.number().int(),
  drift: z.record(z.string(), z.number()),
  performance: z.record(z.string(), z.number()).nullable(),
  baseline: z.record(z.string(), z.number()),
  reference_dataset_version_id: z.string(),
  created_at: EpochMs,
});

export const AlertView = z.object({
  id: z.string(),
  /** The monitor that raised it; null for serving alerts, which name a deployment. */
  monitor_id: z.string().nullable(),
  deployment: z.string().nullable(),
  /** serving.load_failed: a version a deployment should serve failed to load (value: that version; threshold: the version still serving, 0 when none). */
  kind: z.enum(['drift', 'performance', 'serving.load_failed']),
  window_start: EpochMs,
  window_end: EpochMs,
  metric: z.string(),
  value: z.number(),
  threshold: z.number(),
  message: z.string(),
  status: z.enum(['open', 'resolved']),
  created_at: EpochMs,
});

export const DecisionView = z.object({
  id: z.string(),
  model: z.string(),
  trigger_alert_ids: z.array(z.string()),
  champion: z.object({ version: z.number().int(), metrics: z.record(z.string(), z.number()) }),
  challenger: z.object({
    run_id: z.string(),
    version: z.number().int().nullable(),
    metrics: z.record(z.string(), z.number()),
    gate: z.object({ passed: z.boolean(), summary: z.string() }),
  }),
  holdout: z.object({ from: EpochMs, to: EpochMs, rows: z.number().int() }),
  decision: z.enum(['promoted', 'kept_champion']),
  reason: z.string(),
  created_at: EpochMs,
});

const MonitorParams = ProjectParams.extend({ monitor: z.string().min(1).max(100) });

export const createMonitor = endpoint({
  id: 'monitors.create',
  method: 'POST',
  path: '/api/v1/projects/:project/monitors',
  summary: "Watch a deployment: PSI per feature against its training data, performance on feedback",
  tag: 'monitoring',
  auth: { action: 'monitor.write' },
  status: 201,
  params: ProjectParams,
  body: z.object({
    name: Name,
    deployment: Name,
    reference_dataset_version_id: z.string().min(1).max(100),
    features: z.array(z.string().min(1).max(200)).min(1).max(500),
    psi_threshold: z.number().positive().optional(),
    /** How far a performance metric may move past its baseline, in the metric's units (a regression's RMSE or MAE is in the target's, so it is not capped at 1). */
    tolerance: z.number().min(0).optional(),
    baseline: z.record(z.string(), z.number()),
  }),
  response: MonitorView,
});

export const listMonitors = endpoint({
  id: 'monitors.list',
  method: 'GET',
  path: '/api/v1/projects/:project/monitors',
  summary: "A project's monitors",
  tag: 'monitoring',
  auth: { action: 'monitor.read' },
  params: ProjectParams,
  query: PageQuery,
  response: pageOf(MonitorView),
});

export const getMonitor = endpoint({
  id: 'monitors.get',
  method: 'GET',
  path: '/api/v1/projects/:project/monitors/:monitor',
  summary: 'A monitor with every window it evaluated (drift and performance per month)',
  tag: 'monitoring',
  auth: { action: 'monitor.read' },
  params: MonitorParams,
  response: MonitorView.extend({ windows: z.array(WindowView) }),
});

export const runMonitorWindow = endpoint({
  id: 'monitors.evaluate',
  method: 'POST',
  path: '/api/v1/projects/:project/monitors/:monitor/windows',
  summary: 'Evaluate one calendar month of the deployment now (stores the window and raises alerts)',
  tag: 'monitoring',
  auth: { action: 'monitor.write' },
  params: MonitorParams,
  body: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM') }),
  response: z.object({ window: WindowView, alerts: z.array(AlertView) }),
});

export const listAlerts = endpoint({
  id: 'alerts.list',
  method: 'GET',
  path: '/api/v1/projects/:project/alerts',
  summary: "A project's alerts, newest first",
  tag: 'monitoring',
  auth: { action: 'monitor.read' },
  params: ProjectParams,
  query: PageQuery.extend({ status: z.enum(['open', 'resolved']).optional() }),
  response: pageOf(AlertView),
});

export const listDecisions = endpoint({
  id: 'decisions.list',
  method: 'GET',
  path: '/api/v1/projects/:project/retraining-decisions',
  summary: 'Every retraining decision with the champion and challenger metrics behind it',
  tag: 'monitoring',
  auth: { action: 'model.read' },
  params: ProjectParams,
  query: PageQuery,
  response: pageOf(DecisionView),
});

export const startRetraining = endpoint({
  id: 'retraining.start',
  method: 'POST',
  path: '/api/v1/projects/:project/retraining',
  summary:
    'Retrain in the background: history + newly labelled predictions, hold out the given month, promote the challenger only if it beats the champion there and passes the gate',
  tag: 'monitoring',
  auth: { action: 'model.promote' },
  status: 202,
  params: ProjectParams,
  body: z.object({
    model: Name,
    deployment: Name,
    monitor: Name,
    dataset: z.string().min(1).max(100),
    history_version: z.number().int().min(1),
    trigger_alert_ids: z.array(z.string().max(100)).max(1000).default([]),
    holdout_month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'),
    base_spec: z.object({
      experiment: Name.default('retraining'),
      features: z.array(z.object({ name: z.string().min(1).max(200), kind: z.enum(['numeric', 'categorical']) })).min(1).max(500),
      target: z.string().min(1).max(200),
      time_column: z.string().min(1).max(200),
      params: z.looseObject({ l2: z.number().positive().optional(), max_iter: z.number().int().min(1).optional() }).optional(),
      /** The trainer of the challenger (default logistic_regression); gbdt params are checked by the training service. */
      algorithm: z.enum(['logistic_regression', 'gbdt']).optional(),
    }),
  }),
  response: z.object({ job_id: z.string() }),
});
