// The model registry: models, their ONNX versions (metrics, gate report, lineage) and aliases.
// Versions are registered in-process by training; the API reads them, validates them against the
// KPI gate and moves aliases (a failed gate keeps a version from `champion`).
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs, Name, PageQuery, ProjectParams, pageOf } from './common.js';
import { GateBasisView, GateReportView } from './gate-report.js';

export const FeatureView = z.object({ name: z.string(), kind: z.enum(['numeric', 'categorical']) });

export const ModelView = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  latest_version: z.number().int(),
  /** alias → version, e.g. { "champion": 2 }. */
  aliases: z.record(z.string(), z.number().int()),
  created_by: z.string().nullable(),
  created_at: EpochMs,
});
export type ModelView = z.infer<typeof ModelView>;

/** A version's gate report: the KPI gate's report (checks, basis), or at least `passed` for versions registered otherwise. */
export const GateView = z
  .object({ passed: z.boolean(), summary: z.string().optional(), checks: z.array(z.unknown()).optional(), basis: GateBasisView.optional(), format: z.number().int().optional() })
  .catchall(z.unknown());

export const ModelVersionView = z.object({
  id: z.string(),
  project_id: z.string(),
  model_id: z.string(),
  model: z.string(),
  version: z.number().int(),
  artifact_sha256: z.string(),
  /** What it predicts: classification (a label and class probabilities) or regression (a number; no classes). */
  task: z.enum(['classification', 'regression']),
  features: z.array(FeatureView),
  /** Class labels in the order of the probabilities; empty for a regression model. */
  classes: z.array(z.string()),
  run_id: z.string().nullable(),
  dataset_version_id: z.string().nullable(),
  metrics: z.record(z.string(), z.number()),
  gate: GateView.nullable(),
  /** Aliases pointing at this version. */
  aliases: z.array(z.string()),
  created_by: z.string().nullable(),
  created_at: EpochMs,
});
export type ModelVersionView = z.infer<typeof ModelVersionView>;

export const AliasChangeView = z.object({
  id: z.string(),
  model_id: z.string(),
  alias: z.string(),
  version: z.number().int(),
  previous_version: z.number().int().nullable(),
  who: z.string().nullable(),
  who_name: z.string(),
  at: EpochMs,
  reason: z.string(),
});
export type AliasChangeView = z.infer<typeof AliasChangeView>;

const ModelParams = ProjectParams.extend({ model: z.string().min(1).max(100) });
const VersionParams = ModelParams.extend({ version: z.coerce.number().int().min(1) });

export const listModels = endpoint({
  id: 'models.list',
  method: 'GET',
  path: '/api/v1/projects/:project/models',
  summary: "A project's registered models with their aliases",
  tag: 'models',
  auth: { action: 'model.read' },
  params: ProjectParams,
  query: PageQuery,
  response: pageOf(ModelView),
});

export const getModel = endpoint({
  id: 'models.get',
  method: 'GET',
  path: '/api/v1/projects/:project/models/:model',
  summary: 'One registered model, by name or id',
  tag: 'models',
  auth: { action: 'model.read' },
  params: ModelParams,
  response: ModelView,
});

export const listModelVersions = endpoint({
  id: 'models.versions',
  method: 'GET',
  path: '/api/v1/projects/:project/models/:model/versions',
  summary: "A model's versions, newest first: metrics, gate report, lineage, aliases",
  tag: 'models',
  auth: { action: 'model.read' },
  params: ModelParams,
  query: PageQuery,
  response: pageOf(ModelVersionView),
});

export const getModelVersion = endpoint({
  id: 'models.version',
  method: 'GET',
  path: '/api/v1/projects/:project/models/:model/versions/:version',
  summary: 'One model version',
  tag: 'models',
  auth: { action: 'model.read' },
  params: VersionParams,
  response: ModelVersionView,
});

export const getModelVersionOnnx = endpoint({
  id: 'models.version-onnx',
  method: 'GET',
  path: '/api/v1/projects/:project/models/:model/versions/:version/onnx',
  summary: "A version's ONNX file (application/octet-stream)",
  tag: 'models',
  auth: { action: 'model.read' },
  params: VersionParams,
  response: z.unknown().describe('the ONNX bytes (application/octet-stream)'),
});

export const setModelAlias = endpoint({
  id: 'models.set-alias',
  method: 'PUT',
  path: '/api/v1/projects/:project/models/:model/aliases/:alias',
  summary: 'Point an alias (e.g. champion) at a version; deployments following it switch to that version',
  tag: 'models',
  auth: { action: 'model.promote' },
  params: ModelParams.extend({ alias: Name }),
  body: z.object({
    version: z.number().int().min(1),
    reason: z.string().max(2000).optional(),
    /** Promote to champion although the version failed its KPI gate (model.gate-override, with a reason; audited). */
    override_gate: z.boolean().optional(),
  }),
  response: AliasChangeView,
});

export const ValidationResultView = z.object({ model: z.string(), version: z.number().int(), gate: GateReportView });
export type ValidationResultView = z.infer<typeof ValidationResultView>;

export const validateModelVersion = endpoint({
  id: 'models.validate',
  method: 'POST',
  path: '/api/v1/projects/:project/models/:model/versions/:version/validate',
  summary:
    "Evaluate a version against the project's KPI gate now (thresholds, improvement over the champion on the candidate's holdout, slice gaps) and record the report with it",
  tag: 'models',
  auth: { action: 'model.validate' },
  params: VersionParams,
  response: ValidationResultView,
});

export const listAliasHistory = endpoint({
  id: 'models.alias-history',
  method: 'GET',
  path: '/api/v1/projects/:project/models/:model/alias-history',
  summary: "Every move of a model's aliases, newest first: who, when, from which version, why",
  tag: 'models',
  auth: { action: 'model.read' },
  params: ModelParams,
  query: PageQuery,
  response: pageOf(AliasChangeView),
});
