// Serve predictions: check the rows against the deployed version's features, run them through
// its runtime session, answer labels and class probabilities, and hand every prediction to the
// prediction log (which writes it off the request path; no metadata write per prediction).
import type { Clock } from '../../domain/clock.js';
import type { ModelRuntime } from '../../domain/ports/model-runtime.js';
import type { PredictionLogWriter } from '../../domain/ports/prediction-log.js';
import type { FeatureSpec, PredictionRecord } from '../../domain/serving.js';
import type { ProjectAccess } from '../access/authorize.js';
import { parsePredictBody, type PredictBody } from './predict-input.js';
import { batchIds } from './prediction-ids.js';
import type { ServingTable } from './serving-table.js';

export interface Prediction {
  id: string;
  label: string;
  probabilities: Record<string, number>;
}

export interface PredictResult {
  deployment: string;
  model: string;
  model_version: number;
  predictions: Prediction[];
}

export interface PredictOptions {
  /** Run this registered version of the deployment's model instead of the one it serves. */
  version?: number;
}

/** What a deployment serves (or, with a version, would run): for protocol metadata and input coercion. */
export interface ServedModel {
  deployment: string;
  model: string;
  version: number;
  features: FeatureSpec[];
  classes: string[];
}

export class PredictService {
  constructor(
    private readonly serving: ServingTable,
    private readonly runtime: ModelRuntime,
    private readonly log: PredictionLogWriter,
    private readonly clock: Clock,
  ) {}

  /** The model a deployment serves now (or its registered `version`); NotFoundError for an unknown name or version. */
  async servedModel(name: string, version?: number): Promise<ServedModel> {
    const entry = version === undefined ? await this.serving.get(name) : await this.serving.atVersion(name, version);
    const v = entry.version;
    return { deployment: entry.deployment.name, model: entry.model.name, version: v.version, features: v.features, classes: v.classes };
  }

  /** The version this process serves for a deployment, or undefined when it has not served it (a bounded set: safe as a metrics label). */
  servingVersion(name: string): number | undefined {
    return this.serving.peek(name)?.version.version;
  }

  /**
   * Predict with deployment `name` (its project already authorized as `access`). Example:
   *   await predict.predict(access, 'weather-prod', { rows: [{ precipitation: 0, temp_max: 12, temp_min: 4, wind: 3 }] })
   */
  async predict(access: ProjectAccess, name: string, body: PredictBody, opts: PredictOptions = {}): Promise<PredictResult> {
    const receivedAt = this.clock.now();
    const started = performance.now();
    const entry = opts.version === undefined ? await this.serving.get(name) : await this.serving.atVersion(name, opts.version);
    const { deployment, model, version } = entry;
    const batch = parsePredictBody(body, version.features);
    const out = await this.runtime.predict(version.artifact_sha256, batch.columns);
    const latency = performance.now() - started;
    const classes = version.classes;
    const c = out.classes;
    const predictions: Prediction[] = new Array(batch.rows);
    const records: PredictionRecord[] = new Array(batch.rows);
    const ids = batchIds(batch.rows, receivedAt);
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
    return { deployment: deployment.name, model: model.name, model_version: version.version, predictions };
  }
}
