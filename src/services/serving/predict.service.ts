// Serve predictions: pick the version that answers (the primary, or the canary for its share of
// requests), check the rows against that version's features, run them through its runtime
// session, answer labels and class probabilities, and hand every prediction to the prediction
// log (which writes it off the request path; no metadata write per prediction). A shadow version
// gets a mirror of the request after the answer is computed; its outputs are logged (flagged
// shadow) and never returned, and its failures are only counted.
import type { Clock } from '../../domain/clock.js';
import type { ModelRuntime } from '../../domain/ports/model-runtime.js';
import type { PredictionLogWriter } from '../../domain/ports/prediction-log.js';
import type { FeatureSpec, ModelVersion, PredictionRecord } from '../../domain/serving.js';
import type { ProjectAccess } from '../access/authorize.js';
import { parsePredictBody, type PredictBatch, type PredictBody } from './predict-input.js';
import { batchIds } from './prediction-ids.js';
import type { ServingEntry, ServingTable } from './serving-table.js';
import { goesToCanary } from './traffic-split.js';

export interface Prediction {
  id: string;
  label: string;
  probabilities: Record<string, number>;
}

/** Which target answered: the primary, the canary, or a version the caller asked for. */
export type RouteKind = 'primary' | 'canary' | 'requested';

export interface PredictResult {
  deployment: string;
  model: string;
  model_version: number;
  predictions: Prediction[];
  route: RouteKind;
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
  features: FeatureSpec[];
  classes: string[];
}

const sameFeatures = (a: FeatureSpec[], b: FeatureSpec[]) => a.length === b.length && a.every((f, i) => f.name === b[i].name && f.kind === b[i].kind);

export class PredictService {
  /** Failed shadow calls per deployment and shadow version (for /metrics). */
  private readonly shadowFailures = new Map<string, { deployment: string; version: number; count: number }>();

  constructor(
    private readonly serving: ServingTable,
    private readonly runtime: ModelRuntime,
    private readonly log: PredictionLogWriter,
    private readonly clock: Clock,
  ) {}

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
  async predict(access: ProjectAccess, name: string, body: PredictBody, opts: PredictOptions = {}): Promise<PredictResult> {
    const started = performance.now();
    const routed = opts.routed ?? (await this.route(name, opts.version));
    const { entry, version, receivedAt } = routed;
    const { deployment, model } = entry;
    const batch = parsePredictBody(body, version.features);
    const out = await this.runtime.predict(version.artifact_sha256, batch.columns);
    const latency = performance.now() - started;
    const classes = version.classes;
    const c = out.classes;
    const predictions: Prediction[] = new Array(batch.rows);
    const records: PredictionRecord[] = new Array(batch.rows);
    const ids = batchIds(batch.rows, receivedAt, routed.firstId);
    for (let i = 0; i < batch.rows; i++) {
      const probabilities: Record<string, number> = {};
      for (let k = 0; k < c; k++) probabilities[classes[k] ?? String(k)] = out.probabilities[i * c + k];
      const id = ids[i];
      predictions[i] = { id, label: out.labels[i], probabilities };
      records[i] = {
        id,
        project_id: access.project.id,
        deployment_id: deployment.id,
        deployment: deployment.name,
        model_version_id: version.id,
        model_version: version.version,
        inputs: batch.inputs[i],
        label: out.labels[i],
        probabilities,
        latency_ms: latency,
        event_time: batch.eventTimes ? batch.eventTimes[i] : receivedAt,
        received_at: receivedAt,
      };
    }
    this.log.append(records);
    const shadow = entry.shadow;
    if (shadow && routed.route !== 'requested') {
      // After the answer: the caller never waits for the shadow, and its failure is only counted.
      setImmediate(() => {
        this.mirror(access, entry, shadow, body, batch, version, ids, receivedAt).catch(() => this.countShadowFailure(deployment.name, shadow.version));
      });
    }
    return { deployment: deployment.name, model: model.name, model_version: version.version, predictions, route: routed.route };
  }

  /** Run the shadow version on a mirrored request and log its outputs (same ids as the answered predictions, flagged shadow). */
  private async mirror(access: ProjectAccess, entry: ServingEntry, shadow: ModelVersion, body: PredictBody, answered: PredictBatch, answeredBy: ModelVersion, ids: string[], receivedAt: number): Promise<void> {
    const started = performance.now();
    const batch = sameFeatures(shadow.features, answeredBy.features) ? answered : parsePredictBody(body, shadow.features);
    const out = await this.runtime.predict(shadow.artifact_sha256, batch.columns);
    const latency = performance.now() - started;
    const c = out.classes;
    const records: PredictionRecord[] = new Array(batch.rows);
    for (let i = 0; i < batch.rows; i++) {
      const probabilities: Record<string, number> = {};
      for (let k = 0; k < c; k++) probabilities[shadow.classes[k] ?? String(k)] = out.probabilities[i * c + k];
      records[i] = {
        id: ids[i],
        project_id: access.project.id,
        deployment_id: entry.deployment.id,
        deployment: entry.deployment.name,
        model_version_id: shadow.id,
        model_version: shadow.version,
        inputs: batch.inputs[i],
        label: out.labels[i],
        probabilities,
        latency_ms: latency,
        shadow: true,
        event_time: batch.eventTimes ? batch.eventTimes[i] : receivedAt,
        received_at: receivedAt,
      };
    }
    this.log.append(records);
  }

  private countShadowFailure(deployment: string, version: number): void {
    const key = `${deployment}\u0000${version}`;
    const seen = this.shadowFailures.get(key);
    if (seen) seen.count++;
    else this.shadowFailures.set(key, { deployment, version, count: 1 });
  }

  private describe(entry: ServingEntry, v: ModelVersion): ServedModel {
    return { deployment: entry.deployment.name, model: entry.model.name, version: v.version, features: v.features, classes: v.classes };
  }
}
