// Tables of the model registry, deployments and prediction-log segments (migration 0003).
import type { Generated } from 'kysely';

export interface RegisteredModelsTable {
  id: string;
  project_id: string;
  name: string;
  latest_version: number;
  created_by: string | null;
  created_at: number;
}

export interface ModelVersionsTable {
  id: string;
  project_id: string;
  model_id: string;
  version: number;
  artifact_sha256: string;
  features: string; // JSON [{name, kind}]
  classes: string; // JSON [label, …]
  run_id: string | null;
  dataset_version_id: string | null;
  metrics: string; // JSON
  gate: string | null; // JSON
  created_by: string | null;
  created_at: number;
}

export interface ModelAliasesTable {
  model_id: string;
  alias: string;
  version: number;
  updated_by: string | null;
  updated_at: number;
}

export interface ModelAliasHistoryTable {
  id: string;
  project_id: string;
  model_id: string;
  alias: string;
  version: number;
  previous_version: number | null;
  who: string | null;
  who_name: string;
  at: number;
  reason: string;
}

export interface DeploymentsTable {
  id: string;
  project_id: string;
  name: string;
  model_id: string;
  alias: string | null;
  version: number | null;
  /** Migration 0014: JSON { alias, version, percent } and { alias, version }. */
  canary: string | null;
  shadow: string | null;
  /** Migration 0018: micro-batching settings. */
  batch_max_rows: Generated<number>;
  batch_max_delay_ms: Generated<number>;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** Migration 0014: every binding a deployment had. */
export interface DeploymentBindingsTable {
  id: string;
  project_id: string;
  deployment_id: string;
  change: string;
  model_id: string;
  alias: string | null;
  version: number | null;
  canary: string | null; // JSON
  shadow: string | null; // JSON
  serving_version: number | null;
  canary_version: number | null;
  shadow_version: number | null;
  who: string | null;
  who_name: string;
  at: number;
  reason: string;
}

export interface PredictionSegmentsTable {
  id: string;
  project_id: string;
  deployment_id: string;
  artifact_sha256: string;
  rows: number;
  min_event_time: number;
  max_event_time: number;
  source: string;
  created_at: number;
}

export interface ServingTables {
  registered_models: RegisteredModelsTable;
  model_versions: ModelVersionsTable;
  model_aliases: ModelAliasesTable;
  model_alias_history: ModelAliasHistoryTable;
  deployments: DeploymentsTable;
  deployment_bindings: DeploymentBindingsTable;
  prediction_segments: PredictionSegmentsTable;
}
