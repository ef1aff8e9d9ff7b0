// What this process serves: deployment name → the model versions it runs (primary, canary with
// its share, shadow), with their runtime sessions loaded. The hot path reads only this table: no
// database query per request. Entries are re-checked against the metadata store in the
// background every `refreshMs` (so changes made by other processes arrive) and swapped only once
// every version of the new binding is loaded: a request never waits for, or fails on, a swap.
// A version that fails to load leaves the previous entry serving and raises an alert.
import type { Clock } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ModelRuntime } from '../../domain/ports/model-runtime.js';
import type { Deployment, ModelVersion, RegisteredModel } from '../../domain/serving.js';
import { readArtifact } from './artifact-bytes.js';
import type { ServingAlertSink } from './serving-alerts.js';
import { resolveTarget } from './serving-target.js';

export interface ServingEntry {
  deployment: Deployment;
  model: RegisteredModel;
  /** The primary version. */
  version: ModelVersion;
  /** A share (percent, 1–99) of the requests served by another version; null when none. */
  canary: { version: ModelVersion; percent: number } | null;
  /** The version that gets a mirror of each request; null when none. */
  shadow: ModelVersion | null;
  checkedAt: number;
}

export class ServingTable {
  private readonly entries = new Map<string, ServingEntry>();
  private readonly loading = new Map<string, Promise<ServingEntry>>();

  constructor(
    private readonly store: MetadataStore,
    private readonly artifacts: ArtifactStore,
    private readonly runtime: ModelRuntime,
    private readonly clock: Clock,
    private readonly refreshMs = 2000,
    private readonly alerts?: ServingAlertSink,
  ) {}

  /** The entry of a deployment, loading it on first use; NotFoundError for an unknown name. */
  async get(name: string): Promise<ServingEntry> {
    const entry = this.entries.get(name);
    if (entry) {
      if (this.clock.now() - entry.checkedAt > this.refreshMs) void this.refresh(name).catch(() => undefined);
      return entry;
    }
    return this.refresh(name);
  }

  /**
   * The deployment's entry running registered version `version` of its model instead of the one
   * it serves (version-specific calls, e.g. OIP `/v2/models/{m}/versions/{v}/infer`), without
   * canary or shadow; the version's session is loaded on first use. NotFoundError when the model
   * has no such version.
   */
  async atVersion(name: string, version: number): Promise<ServingEntry> {
    const entry = await this.get(name);
    if (entry.version.version === version) return { ...entry, canary: null, shadow: null };
    const v = await this.store.models.getVersion(entry.model.id, version);
    if (!v) throw new NotFoundError('model version', `${entry.model.name} v${version}`);
    await this.ensureLoaded(v);
    return { ...entry, version: v, canary: null, shadow: null };
  }

  /** The cached entry without loading anything (undefined when this process has not served it). */
  peek(name: string): ServingEntry | undefined {
    return this.entries.get(name);
  }

  /**
   * Make sure the version's session is loaded (fetching its bytes from the artifact store). With
   * `forDeployment`, a failure raises a `serving.load_failed` alert about that deployment.
   */
  async ensureLoaded(version: ModelVersion, forDeployment?: Deployment): Promise<void> {
    if (this.runtime.isLoaded(version.artifact_sha256)) return;
    try {
      const bytes = await readArtifact(this.artifacts, version.artifact_sha256);
      await this.runtime.load(version.artifact_sha256, bytes);
    } catch (error) {
      if (forDeployment) await this.alertLoadFailed(forDeployment, version, error);
      throw error;
    }
  }

  /** Re-read the deployment, load what it should serve, then switch to it (one refresh per name at a time). */
  refresh(name: string): Promise<ServingEntry> {
    let p = this.loading.get(name);
    if (!p) {
      p = this.load(name).finally(() => this.loading.delete(name));
      this.loading.set(name, p);
    }
    return p;
  }

  /** Refresh every cached deployment of a model (after one of its aliases moved). */
  async refreshModel(modelId: string): Promise<void> {
    const names = [...this.entries.values()].filter((e) => e.deployment.model_id === modelId).map((e) => e.deployment.name);
    await Promise.all(names.map((n) => this.refresh(n)));
  }

  /** Cached deployments of `modelId` that follow `alias` (as primary, canary or shadow). */
  following(modelId: string, alias: string): ServingEntry[] {
    return [...this.entries.values()].filter(
      (e) => e.deployment.model_id === modelId && (e.deployment.alias === alias || e.deployment.canary?.alias === alias || e.deployment.shadow?.alias === alias),
    );
  }

  private async load(name: string): Promise<ServingEntry> {
    const deployment = await this.store.deployments.getByName(name);
    if (!deployment) {
      this.entries.delete(name);
      throw new NotFoundError('deployment', name);
    }
    const previous = this.entries.get(name);
    try {
      const model = await this.store.models.getById(deployment.model_id);
      if (!model) throw new NotFoundError('model', deployment.model_id);
      const version = await resolveTarget(this.store, model, deployment);
      const canary = deployment.canary ? await resolveTarget(this.store, model, deployment.canary) : null;
      const shadow = deployment.shadow ? await resolveTarget(this.store, model, deployment.shadow) : null;
      const distinct = [...new Map([version, canary, shadow].filter((v): v is ModelVersion => v !== null).map((v) => [v.id, v])).values()];
      const failed = new Map<string, unknown>();
      await Promise.all(
        distinct.map((v) =>
          this.ensureLoaded(v).then(
            () => this.alerts?.loaded(deployment.id, v.id),
            (error: unknown) => failed.set(v.id, error),
          ),
        ),
      );
      const servingNow = previous?.version.version ?? null;
      for (const v of distinct) if (failed.has(v.id)) await this.alertLoadFailed(deployment, v, failed.get(v.id), servingNow);
      // Keep what serves now when anything failed; with nothing serving yet, serve the primary alone if it loaded.
      if (failed.size > 0 && (previous || failed.has(version.id))) throw failed.values().next().value;
      const entry: ServingEntry = {
        deployment,
        model,
        version,
        canary: canary && deployment.canary && !failed.has(canary.id) ? { version: canary, percent: deployment.canary.percent } : null,
        shadow: shadow && !failed.has(shadow.id) ? shadow : null,
        checkedAt: this.clock.now(),
      };
      this.entries.set(name, entry);
      return entry;
    } catch (error) {
      // Re-check later, not on every request: the previous entry keeps serving meanwhile.
      if (previous) this.entries.set(name, { ...previous, checkedAt: this.clock.now() });
      throw error;
    }
  }

  private async alertLoadFailed(deployment: Deployment, version: ModelVersion, error: unknown, serving?: number | null): Promise<void> {
    const current = serving !== undefined ? serving : (this.entries.get(deployment.name)?.version.version ?? null);
    await this.alerts?.loadFailed({ deployment, version, serving: current, error }).catch(() => undefined);
  }
}
