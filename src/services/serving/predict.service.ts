// Serve predictions: pick the version that answers (the primary, or the canary for its share of
// requests), check the rows against that version's features, run them through its runtime
// session (concurrent requests coalesced into one run by the deployment's micro-batching), answer
// labels and class probabilities (a regression model: predicted values), and hand every
// prediction to the prediction log (which writes
// it off the request path; no metadata write per prediction). A shadow version gets a mirror of
// the request after the answer is computed; its outputs are logged (flagged shadow) and never
// returned, and its failures are only counted.
import type { Clock } from '../../domain/clock.js';
import type { ModelOutput, ModelRuntime } from '../../domain/ports/model-runtime.js';
import type { PredictionLogWriter } from '../../domain/ports/prediction-log.js';
import { DEFAULT_BATCHING, modelTask, type FeatureSpec, type ModelTask, type ModelVersion } from '../../domain/serving.js';
import type { ProjectAccess } from '../access/authorize.js';
import { MicroBatcher } from './micro-batcher.js';
import { imputesMissing } from './model-contract.js';
import { parsePredictBody, type PredictBatch, type PredictBody, type ScannedPredictBody } from './predict-input.js';
import { batchIds } from './prediction-ids.js';
import { valueNumbers, valueTexts } from './regression-values.js';
import type { ServingEntry, ServingTable } from './serving-table.js';
import { goesToCanary } from './traffic-split.js';

/** A classifier's prediction. */
export interface ClassPrediction {
  id: string;
  label: string;
  probabilities: Record<string, number>;
}

/** A regression model's prediction: the predicted value (null when the model answered no finite number). */
export interface ValuePrediction {
  id: string;
  value: number | null;
}

export type Prediction = ClassPrediction | ValuePrediction;

/** Which target answered: the primary, the canary, or a version the caller asked for. */
export type RouteKind = 'primary' | 'canary' | 'requested';

export interface PredictResult {
  deployment: string;
  model: string;
  model_version: number;
  task: ModelTask;
  /** ClassPrediction for a classifier, ValuePrediction for a regression model. */
  predictions: Prediction[];
  route: RouteKind;
}

/**
 * The answer to a predict call, column-wise (no object per row, for protocols that serialise it
 * themselves): row i is `ids[i]`, `labels[i]` and `probabilities[i·C … i·C+C−1]` of `classes`;
 * for a regression model `values[i]` (as the model's output type holds it), `labels[i]` its text
 * and no classes.
 */
export interface PredictOutcome {
  deployment: string;
  model: string;
  model_version: number;
  route: RouteKind;
  task: ModelTask;
  classes: string[];
  ids: string[];
  labels: string[];
  probabilities: Float32Array;
  /** A regression model's predicted values; null for a classifier. */
  values: Float32Array | Float64Array | null;
}

/** A request's routing decision, made before its body is read (its features depend on the version). */
export interface Routed {
  entry: ServingEntry;
  version: ModelVersion;
  route: RouteKind;
  /** The first prediction's id, made early when a canary split hashes it (otherwise with the others). */
  firstId?: string;
  receivedAt: number;
}

export interface PredictOptions {
  /** Run this registered version of the deployment's model instead of the one it serves. */
  version?: number;
  /** A routing decision already made (protocols that coerce their input by the version's features). */
  routed?: Routed;
}

/** What a deployment serves (or, with a version, would run): for protocol metadata and input coercion. */
export interface ServedModel {
  deployment: string;
  model: string;
  version: number;
  task: ModelTask;
  features: FeatureSpec[];
  classes: string[];
  /** A regression model's output element type ('float32' or 'float64'); null for a classifier. */
  value_type: 'float32' | 'float64' | null;
}

/** Told about every model run: the deployment, the version (a shadow's when `shadow`), rows in the run and the requests they came from. */
export type ModelRunListener = (run: { deployment: string; version: number; shadow: boolean; rows: number; requests: number }) => void;

const sameFeatures = (a: FeatureSpec[], b: FeatureSpec[]) => a.length === b.length && a.every((f, i) => f.name === b[i].name && f.kind === b[i].kind);

/** Class names for the model's C probability columns (the version's classes; the column number past them). */
function classNames(classes: string[], c: number): string[] {
  return classes.length === c ? classes : Array.from({ length: c }, (_, k) => classes[k] ?? String(k));
}

/** Row objects of an outcome (the object form of the answer). */
export function predictionsOf(o: Pick<PredictOutcome, 'ids' | 'labels' | 'probabilities' | 'classes'> & { values?: PredictOutcome['values'] }): Prediction[] {
  if (o.values) {
    const values = valueNumbers(o.values);
    return o.ids.map((id, i) => ({ id, value: Number.isFinite(values[i]) ? values[i] : null }));
  }
  const c = o.classes.length;
  const out: Prediction[] = new Array(o.ids.length);
  for (let i = 0; i < o.ids.length; i++) {
    const probabilities: Record<string, number> = {};
    for (let k = 0; k < c; k++) probabilities[o.classes[k]] = o.probabilities[i * c + k];
    out[i] = { id: o.ids[i], label: o.labels[i], probabilities };
  }
  return out;
}

export class PredictService {
  /** Failed shadow calls per deployment and shadow version (for /metrics). */
  private readonly shadowFailures = new Map<string, { deployment: string; version: number; count: number }>();
  private readonly batcher: MicroBatcher;
  /** Batch queue key → what it runs (for the model-run listeners). */
  private readonly queueNames = new Map<string, { deployment: string; version: number; shadow: boolean }>();
  private readonly runListeners: ModelRunListener[] = [];
  /** Whether a model (by digest) imputes missing numeric values. */
  private readonly imputing = new Map<string, boolean>();

  constructor(
    private readonly serving: ServingTable,
    private readonly runtime: ModelRuntime,
    private readonly log: PredictionLogWriter,
    private readonly clock: Clock,
  ) {
    this.batcher = new MicroBatcher(runtime, (key, rows, requests) => {
      const q = this.queueNames.get(key);
      if (q) for (const l of this.runListeners) l({ ...q, rows, requests });
    });
  }

  /** The model a deployment serves now (or its registered `version`); NotFoundError for an unknown name or version. */
  async servedModel(name: string, version?: number): Promise<ServedModel> {
    const entry = version === undefined ? await this.serving.get(name) : await this.serving.atVersion(name, version);
    return this.describe(entry, entry.version);
  }

  /** The version this process serves for a deployment, or undefined when it has not served it (a bounded set: safe as a metrics label). */
  servingVersion(name: string): number | undefined {
    return this.serving.peek(name)?.version.version;
  }

  /** Failed shadow calls so far, per deployment and shadow version. */
  shadowFailureCounts(): Array<{ deployment: string; version: number; count: number }> {
    return [...this.shadowFailures.values()];
  }

  /** Be told about every model run (rows per run show how well requests are batched). */
  onModelRun(listener: ModelRunListener): void {
    this.runListeners.push(listener);
  }

  /**
   * Decide which version answers a request to deployment `name`: the canary for its share (by
   * the hash of the request's first prediction id), else the primary; a given `version` always.
   */
  async route(name: string, version?: number): Promise<Routed> {
    const receivedAt = this.clock.now();
    const entry = version === undefined ? await this.serving.get(name) : await this.serving.atVersion(name, version);
    if (version !== undefined) return { entry, version: entry.version, route: 'requested', receivedAt };
    const canary = entry.canary;
    if (!canary) return { entry, version: entry.version, route: 'primary', receivedAt };
    const [firstId] = batchIds(1, receivedAt);
    const toCanary = goesToCanary(firstId, canary.percent);
    return { entry, version: toCanary ? canary.version : entry.version, route: toCanary ? 'canary' : 'primary', firstId, receivedAt };
  }

  /** The model a routing decision runs, for a protocol's input coercion and output metadata. */
  routedModel(r: Routed): ServedModel {
    return this.describe(r.entry, r.version);
  }

  /**
   * Predict with deployment `name` (its project already authorized as `access`). Example:
   *   await predict.predict(access, 'weather-prod', { rows: [{ precipitation: 0, temp_max: 12, temp_min: 4, wind: 3 }] })
   */
  async predict(access: ProjectAccess, name: string, body: PredictBody | ScannedPredictBody, opts: PredictOptions = {}): Promise<PredictResult> {
    const o = await this.run(access, name, body, opts);
    return { deployment: o.deployment, model: o.model, model_version: o.model_version, task: o.task, predictions: predictionsOf(o), route: o.route };
  }

  /** The same prediction, answered column-wise (for callers that serialise it themselves). */
  async run(access: ProjectAccess, name: string, body: PredictBody | ScannedPredictBody, opts: PredictOptions = {}): Promise<PredictOutcome> {
    const started = performance.now();
    const routed = opts.routed ?? (await this.route(name, opts.version));
    const { entry, version, receivedAt } = routed;
    const { deployment, model } = entry;
    const batch = parsePredictBody(body, version.features, { imputesMissing: this.imputes(version) });
    const out = await this.infer(entry, version, batch);
    const latency = performance.now() - started;
    const values = out.values ?? null;
    const labels = values ? valueTexts(values) : out.labels;
    const classes = values ? [] : classNames(version.classes, out.classes);
    const ids = batchIds(batch.rows, receivedAt, routed.firstId);
    this.log.appendBatch({
      project_id: access.project.id,
      deployment_id: deployment.id,
      deployment: deployment.name,
      model_version_id: version.id,
      model_version: version.version,
      latency_ms: latency,
      received_at: receivedAt,
      ids,
      labels,
      classes,
      probabilities: out.probabilities,
      ...(values ? { values: valueNumbers(values) } : {}),
      event_times: batch.eventTimes,
      inputs: batch.inputs,
    });
    const shadow = entry.shadow;
    if (shadow && routed.route !== 'requested') {
      // After the answer: the caller never waits for the shadow, and its failure is only counted.
      setImmediate(() => {
        this.mirror(access, entry, shadow, body, batch, version, ids, receivedAt).catch(() => this.countShadowFailure(deployment.name, shadow.version));
      });
    }
    const task = values ? 'regression' : 'classification';
    return { deployment: deployment.name, model: model.name, model_version: version.version, route: routed.route, task, classes, ids, labels, probabilities: out.probabilities, values };
  }

  /** Run a checked batch through a version, coalesced with concurrent requests as the deployment's batching says. */
  private infer(entry: ServingEntry, version: ModelVersion, batch: PredictBatch, shadow = false): Promise<ModelOutput> {
    const settings = entry.deployment.batching ?? DEFAULT_BATCHING;
    // With max_rows 1 every request runs alone (the batcher runs it at once and still reports the run).
    const key = `${entry.deployment.id}\u0000${version.artifact_sha256}${shadow ? '\u0000shadow' : ''}`;
    if (!this.queueNames.has(key)) this.queueNames.set(key, { deployment: entry.deployment.name, version: version.version, shadow });
    return this.batcher.run(key, version.artifact_sha256, batch.columns, batch.rows, { maxRows: settings.max_rows, maxDelayMs: settings.max_delay_ms });
  }

  private imputes(version: ModelVersion): boolean {
    let known = this.imputing.get(version.artifact_sha256);
    if (known === undefined) {
      const signature = this.runtime.signature(version.artifact_sha256);
      known = imputesMissing(signature);
      if (signature) this.imputing.set(version.artifact_sha256, known);
    }
    return known;
  }

  /** Run the shadow version on a mirrored request and log its outputs (same ids as the answered predictions, flagged shadow). */
  private async mirror(access: ProjectAccess, entry: ServingEntry, shadow: ModelVersion, body: PredictBody | ScannedPredictBody, answered: PredictBatch, answeredBy: ModelVersion, ids: string[], receivedAt: number): Promise<void> {
    const started = performance.now();
    const batch = sameFeatures(shadow.features, answeredBy.features) && this.imputes(shadow) === this.imputes(answeredBy) ? answered : parsePredictBody(body, shadow.features, { imputesMissing: this.imputes(shadow) });
    const out = await this.infer(entry, shadow, batch, true);
    const latency = performance.now() - started;
    this.log.appendBatch({
      project_id: access.project.id,
      deployment_id: entry.deployment.id,
      deployment: entry.deployment.name,
      model_version_id: shadow.id,
      model_version: shadow.version,
      latency_ms: latency,
      received_at: receivedAt,
      shadow: true,
      ids,
      labels: out.values ? valueTexts(out.values) : out.labels,
      classes: out.values ? [] : classNames(shadow.classes, out.classes),
      probabilities: out.probabilities,
      ...(out.values ? { values: valueNumbers(out.values) } : {}),
      event_times: batch.eventTimes,
      inputs: batch.inputs,
    });
  }

  private countShadowFailure(deployment: string, version: number): void {
    const key = `${deployment}\u0000${version}`;
    const seen = this.shadowFailures.get(key);
    if (seen) seen.count++;
    else this.shadowFailures.set(key, { deployment, version, count: 1 });
  }

  private describe(entry: ServingEntry, v: ModelVersion): ServedModel {
    const task = modelTask(v);
    const type = task === 'regression' ? this.runtime.signature(v.artifact_sha256)?.outputTypes?.prediction : undefined;
    const value_type = task === 'classification' ? null : type === 'float64' ? 'float64' : 'float32';
    return { deployment: entry.deployment.name, model: entry.model.name, version: v.version, task, features: v.features, classes: v.classes, value_type };
  }
}
