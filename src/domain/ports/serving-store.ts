// Repositories of the deploy stage: the model registry, deployments and the prediction log's
// segments. Part of the metadata store (conventions in metadata-store.ts: create → get → list →
// update; `get*` answers undefined when nothing matches; lists page by id).
import type { Page, PageRequest } from '../pagination.js';
import type { AliasChange, BatchingSettings, Deployment, DeploymentBinding, DeploymentBindingTargets, ModelAlias, ModelGate, ModelVersion, PredictionSegment, RegisteredModel } from '../serving.js';

export interface ModelRepository {
  /** ConflictError (field `name`) when the project already has a model of that name. */
  create(model: RegisteredModel): Promise<void>;
  /** By name, or by id, within the project. */
  get(projectId: string, ref: string): Promise<RegisteredModel | undefined>;
  getById(id: string): Promise<RegisteredModel | undefined>;
  /** Oldest first. */
  list(projectId: string, page: PageRequest): Promise<Page<RegisteredModel>>;
  /**
   * Take the model's next version number (latest_version + 1, stored at once). Run it in the
   * registering transaction: concurrent registrations wait on the model's row.
   */
  nextVersion(modelId: string): Promise<number>;

  /** ConflictError when (model, version) exists. */
  createVersion(version: ModelVersion): Promise<void>;
  getVersion(modelId: string, version: number): Promise<ModelVersion | undefined>;
  getVersionById(id: string): Promise<ModelVersion | undefined>;
  /** Newest version first. */
  listVersions(modelId: string, page: PageRequest): Promise<Page<ModelVersion>>;
  /** Replace a version's KPI gate report (a re-validation). */
  updateVersionGate(id: string, gate: ModelGate): Promise<void>;

  /** Insert or move an alias. */
  putAlias(alias: ModelAlias): Promise<void>;
  getAlias(modelId: string, alias: string): Promise<ModelAlias | undefined>;
  /** Every alias of the given models, by alias name. */
  listAliases(modelIds: string[]): Promise<ModelAlias[]>;
  appendAliasChange(change: AliasChange): Promise<void>;
  /** Newest first. */
  listAliasChanges(modelId: string, page: PageRequest): Promise<Page<AliasChange>>;
}

export interface DeploymentRepository {
  /** ConflictError (field `name`) when a deployment of that name exists anywhere in the instance. */
  create(deployment: Deployment): Promise<void>;
  /** By name (instance-wide). */
  getByName(name: string): Promise<Deployment | undefined>;
  getById(id: string): Promise<Deployment | undefined>;
  /** Oldest first. */
  list(projectId: string, page: PageRequest): Promise<Page<Deployment>>;
  /** Every deployment of a model (to record alias moves in their binding history). */
  listByModel(modelId: string): Promise<Deployment[]>;
  /** Rebind: model, primary target, canary and shadow together. */
  update(id: string, patch: DeploymentBindingTargets, at: number): Promise<void>;
  /** Change how the deployment's concurrent requests are batched. */
  setBatching(id: string, batching: BatchingSettings, at: number): Promise<void>;

  appendBinding(binding: DeploymentBinding): Promise<void>;
  /** The deployment's binding history, newest first. */
  listBindings(deploymentId: string, page: PageRequest): Promise<Page<DeploymentBinding>>;
}

export interface PredictionSegmentRepository {
  /** Register a rolled segment; answers false (and writes nothing) when its `source` is known. */
  register(segment: PredictionSegment): Promise<boolean>;
  /**
   * Segments of a project, oldest first, optionally of one deployment and overlapping the
   * event-time window [from, to).
   */
  list(projectId: string, filter: { deploymentId?: string; from?: number; to?: number }): Promise<PredictionSegment[]>;
  /** Rows logged per deployment (only deployments with segments appear). */
  rowsByDeployment(deploymentIds: string[]): Promise<Map<string, number>>;
}

export interface ServingRepositories {
  models: ModelRepository;
  deployments: DeploymentRepository;
  predictionSegments: PredictionSegmentRepository;
}
