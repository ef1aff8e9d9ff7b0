// The deploy stage: registered models and their versions (ONNX, content-addressed), aliases
// such as `champion` with their history, deployments, and the prediction log's records.
import type { GateReport } from './tracking.js';

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

/** The KPI gate's verdict stored with a version: a gate report, or (versions registered otherwise) at least `passed`. */
export type ModelGate = GateReport | ({ passed: boolean; summary?: string } & Record<string, unknown>);

export interface ModelVersion {
  id: string;
  project_id: string;
  model_id: string;
  /** 1, 2, … within the model. */
  version: number;
  /** The ONNX bytes in the artifact store. */
  artifact_sha256: string;
  features: FeatureSpec[];
  /** Class labels in the order of the `probabilities` output's columns; empty for a regression model (see modelTask). */
  classes: string[];
  run_id: string | null;
  dataset_version_id: string | null;
  metrics: Record<string, number>;
  gate: ModelGate | null;
  created_by: string | null;
  created_at: number;
}

/**
 * What a model predicts: a class (outputs `label` and `probabilities`) or a number (a regression:
 * one output, `prediction`). A version's classes say which: a regression model has none.
 */
export type ModelTask = 'classification' | 'regression';

/** @example modelTask({ classes: [] }) // 'regression' */
export function modelTask(v: Pick<ModelVersion, 'classes'>): ModelTask {
  return v.classes.length === 0 ? 'regression' : 'classification';
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

/** A version of the deployment's model, named by an alias it follows or pinned (exactly one of the two is set). */
export interface TrafficTarget {
  alias: string | null;
  version: number | null;
}

/** A canary: `percent` (1–99) of the requests go to this target instead of the primary one. */
export interface CanaryTarget extends TrafficTarget {
  percent: number;
}

/**
 * Micro-batching of a deployment's concurrent requests: up to `max_rows` rows go through the model
 * in one run; a request waits at most `max_delay_ms` behind a running batch. `max_rows` 1 turns it off.
 */
export interface BatchingSettings {
  max_rows: number;
  max_delay_ms: number;
}

/** On unless changed: batches of up to 64 rows, at most 2 ms of waiting behind a running batch. */
export const DEFAULT_BATCHING: Readonly<BatchingSettings> = Object.freeze({ max_rows: 64, max_delay_ms: 2 });
/** Bounds of the settings (max_rows 1 = off). */
export const BATCHING_LIMITS = Object.freeze({ maxRows: 10_000, maxDelayMs: 1000 });

/** A served model: it follows an alias of the model, or is pinned to one version. */
export interface Deployment {
  id: string;
  project_id: string;
  /** Unique in the instance: the serving URL is /api/v1/deployments/{name}/predict. */
  name: string;
  model_id: string;
  alias: string | null;
  version: number | null;
  /** A share of the requests served by another version of the model (null: none). */
  canary: CanaryTarget | null;
  /** A version that gets a mirror of every request; its outputs are logged (flagged shadow), never returned. */
  shadow: TrafficTarget | null;
  /** How concurrent requests are coalesced into model runs (migration 0018). */
  batching: BatchingSettings;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** What a deployment binds: the model, its primary target, canary and shadow. */
export type DeploymentBindingTargets = Pick<Deployment, 'model_id' | 'alias' | 'version' | 'canary' | 'shadow'>;

/**
 * One entry of a deployment's binding history: what it was bound to after a change, and which
 * versions that resolved to then. `change` says what made it: the deployment was created or
 * updated, rolled back, or an alias it follows moved.
 */
export interface DeploymentBinding extends DeploymentBindingTargets {
  id: string;
  project_id: string;
  deployment_id: string;
  change: 'create' | 'update' | 'rollback' | 'alias';
  serving_version: number | null;
  canary_version: number | null;
  shadow_version: number | null;
  who: string | null;
  who_name: string;
  at: number;
  reason: string;
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
  /** The predicted class; for a regression model, the predicted value as text. */
  label: string;
  /** Class probabilities; empty for a regression model. */
  probabilities: Record<string, number>;
  /** A regression model's predicted value (absent for a classifier; null when not finite). */
  value?: number | null;
  latency_ms: number;
  /** True for a shadow model's output on a mirrored request (never returned to the caller; same id as the primary prediction). */
  shadow?: boolean;
  /** When the predicted event happened (the caller's event_times, else the receive time). */
  event_time: number;
  received_at: number;
}

/**
 * The rows of a `data` array as received, each a flat array of numbers with no tab or line break
 * inside: row i is the text `bytes[bounds[2i]] … bytes[bounds[2i+1] − 1]` (ASCII, brackets
 * included), which the log stores as it is instead of serialising the values again.
 */
export interface ReceivedRows {
  bytes: Uint8Array;
  bounds: Uint32Array;
}

/** The inputs of a batch of predictions as the caller sent them: row objects, or columns with rows of values (and their text when received as such). */
export type PredictionInputs = ({ rows: Array<Record<string, unknown>> } | { columns: string[]; data: unknown[][] }) & {
  received?: ReceivedRows;
};

/**
 * The predictions of one request (or one shadow run), column-wise, so the log writes them without
 * building an object per row. Row i is `ids[i]`, `labels[i]`, the probabilities
 * `probabilities[i·C … i·C+C−1]` of `classes` (C of them), its inputs and event time.
 */
export interface PredictionBatch {
  project_id: string;
  deployment_id: string;
  deployment: string;
  model_version_id: string;
  model_version: number;
  latency_ms: number;
  received_at: number;
  shadow?: boolean;
  ids: string[];
  labels: string[];
  classes: string[];
  probabilities: ArrayLike<number>;
  /** A regression model's predicted values, one per row (then `labels` are those values as text, `classes` empty); absent for a classifier. */
  values?: ArrayLike<number> | null;
  /** Per row; the receive time for every row when null. */
  event_times: number[] | null;
  inputs: PredictionInputs;
}
