// What this process serves: deployment name → the model version it runs, with the version's
// runtime session loaded. Entries are re-checked against the metadata store in the background
// every `refreshMs` (so changes made by other processes arrive), and swapped only once the new
// version's session is loaded: a request never waits for, or fails on, a swap.
import type { Clock } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ModelRuntime } from '../../domain/ports/model-runtime.js';
import type { Deployment, ModelVersion, RegisteredModel } from '../../domain/serving.js';
import { readArtifact } from './artifact-bytes.js';
import { resolveTarget } from './serving-target.js';

export interface ServingEntry {
  deployment: Deployment;
  model: RegisteredModel;
  version: ModelVersion;
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
   * it serves (version-specific calls, e.g. OIP `/v2/models/{m}/versions/{v}/infer`); the
   * version's session is loaded on first use. NotFoundError when the model has no such version.
   */
  async atVersion(name: string, version: number): Promise<ServingEntry> {
    const entry = await this.get(name);
    if (entry.version.version === version) return entry;
    const v = await this.store.models.getVersion(entry.model.id, version);
    if (!v) throw new NotFoundError('model version', `${entry.model.name} v${version}`);
    await this.ensureLoaded(v);
    return { ...entry, version: v };
  }

  /** The cached entry without loading anything (undefined when this process has not served it). */
  peek(name: string): ServingEntry | undefined {
    return this.entries.get(name);
  }

  /** Make sure the version's session is loaded (fetching its bytes from the artifact store). */
  async ensureLoaded(version: ModelVersion): Promise<void> {
    if (this.runtime.isLoaded(version.artifact_sha256)) return;
    const bytes = await readArtifact(this.artifacts, version.artifact_sha256);
    await this.runtime.load(version.artifact_sha256, bytes);
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

  /** Cached deployments of `modelId` that follow `alias`. */
  following(modelId: string, alias: string): ServingEntry[] {
    return [...this.entries.values()].filter((e) => e.deployment.model_id === modelId && e.deployment.alias === alias);
  }

  private async load(name: string): Promise<ServingEntry> {
    const deployment = await this.store.deployments.getByName(name);
    if (!deployment) {
      this.entries.delete(name);
      throw new NotFoundError('deployment', name);
    }
    const model = await this.store.models.getById(deployment.model_id);
    if (!model) throw new NotFoundError('model', deployment.model_id);
    const version = await resolveTarget(this.store, model, deployment);
    await this.ensureLoaded(version);
    const entry: ServingEntry = { deployment, model, version, checkedAt: this.clock.now() };
    this.entries.set(name, entry);
    return entry;
  }
}
