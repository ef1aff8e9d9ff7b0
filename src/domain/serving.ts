// The deploy stage: registered models and their versions (ONNX, content-addressed), aliases
// such as `champion` with their history, deployments, and the prediction log's records.

/** One input column of a model: numeric features are float tensors, categorical ones strings. */
export interface FeatureSpec {
  name: string;
  kind: 'numeric' | 'categorical';
}

export interface RegisteredModel {
  id: string;
  project_id: string;
  name: string;
  /** The highest version number given so far (0 before the first). */
  latest_version: number;
  created_by: string | null;
  created_at: number;
}

/** The KPI gate's verdict stored with a version (the trainer's report; at least `passed`). */
export type ModelGate = { passed: boolean; summary?: string } & Record<string, unknown>;

export interface ModelVersion {
  id: string;
  project_id: string;
  model_id: string;
  /** 1, 2, … within the model. */
  version: number;
  /** The ONNX bytes in the artifact store. */
  artifact_sha256: string;
  features: FeatureSpec[];
  /** Class labels in the order of the `probabilities` output's columns. */
  classes: string[];
  run_id: string | null;
  dataset_version_id: string | null;
  metrics: Record<string, number>;
  gate: ModelGate | null;
  created_by: string | null;
  created_at: number;
}

/** An alias (e.g. `champion`) points at one version of a model. */
export interface ModelAlias {
  model_id: string;
  alias: string;
  version: number;
  updated_by: string | null;
  updated_at: number;
}

/** One move of an alias: from `previous_version` (null when new) to `version`. */
export interface AliasChange {
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

/** A served model: it follows an alias of the model, or is pinned to one version. */
export interface Deployment {
  id: string;
  project_id: string;
  /** Unique in the instance: the serving URL is /api/v1/deployments/{name}/predict. */
  name: string;
  model_id: string;
  alias: string | null;
  version: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** A rolled piece of the prediction log: one Parquet file of one deployment's predictions. */
export interface PredictionSegment {
  id: string;
  project_id: string;
  deployment_id: string;
  artifact_sha256: string;
  rows: number;
  min_event_time: number;
  max_event_time: number;
  /** Where it came from (open file and deployment): registering the same source twice is a no-op. */
  source: string;
  created_at: number;
}

/** One prediction as the log stores it (inputs and probabilities as objects; JSON text in Parquet). */
export interface PredictionRecord {
  id: string;
  project_id: string;
  deployment_id: string;
  deployment: string;
  model_version_id: string;
  model_version: number;
  inputs: Record<string, unknown>;
  label: string;
  probabilities: Record<string, number>;
  latency_ms: number;
  /** When the predicted event happened (the caller's event_times, else the receive time). */
  event_time: number;
  received_at: number;
}
