// Deployments: a name (unique in the instance) serving a model through an alias it follows
// (e.g. `champion`) or a version it is pinned to. Changing the target hot-swaps the running
// server: the new version is loaded first, then requests move to it; none fails.
import type { Clock } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { NAME_PATTERN, NAME_RULE } from '../../domain/names.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { Deployment, RegisteredModel } from '../../domain/serving.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import { resolveTarget } from './serving-target.js';
import type { ServingTable } from './serving-table.js';

export interface DeploymentInfo extends Deployment {
  model: string;
  /** The version served now (the pinned one, or the one the alias names). */
  serving_version: number | null;
  /** Predictions in registered segments of the log (the open segment is not counted yet). */
  predictions_logged: number;
  /** The serving URL's path. */
  predict_path: string;
}

export interface DeploymentTarget {
  /** Model name or id (on update: defaults to the current model). */
  model?: string;
  /** Follow this alias… */
  alias?: string | null;
  /** …or pin this version (give one of the two; neither on create means alias `champion`). */
  version?: number | null;
}

function targetOf(input: DeploymentTarget, fallback?: Pick<Deployment, 'alias' | 'version'>): Pick<Deployment, 'alias' | 'version'> {
  const alias = input.alias ?? null;
  const version = input.version ?? null;
  if (alias !== null && version !== null) {
    throw new ValidationError('give either an alias to follow or a version to pin, not both', { field: 'body.version' });
  }
  if (alias !== null) {
    if (!NAME_PATTERN.test(alias)) throw new ValidationError(`alias '${alias}' is not a valid name: it ${NAME_RULE}`, { field: 'body.alias' });
    return { alias, version: null };
  }
  if (version !== null) {
    if (!Number.isInteger(version) || version < 1) throw new ValidationError('version must be a positive integer', { field: 'body.version' });
    return { alias: null, version };
  }
  return fallback ?? { alias: 'champion', version: null };
}

export class DeploymentsService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
    private readonly serving: ServingTable,
  ) {}

  async create(ctx: CallContext, access: ProjectAccess, input: DeploymentTarget & { name: string }): Promise<DeploymentInfo> {
    if (!NAME_PATTERN.test(input.name)) throw new ValidationError(`deployment name '${input.name}' is not valid: it ${NAME_RULE}`, { field: 'body.name' });
    if (!input.model) throw new ValidationError('a deployment needs a model', { field: 'body.model' });
    const projectId = access.project.id;
    const model = await this.findModel(projectId, input.model);
    const target = targetOf(input);
    const version = await resolveTarget(this.store, model, target);
    const at = this.clock.now();
    const deployment: Deployment = { id: newId(), project_id: projectId, name: input.name, model_id: model.id, ...target, created_by: ctx.principal.user.id, created_at: at, updated_at: at };
    const draft = { action: 'deployment.create', project_id: projectId, target_ids: { project: projectId, deployment: deployment.id, model: model.id }, details: { name: input.name, model: model.name, ...target, serving_version: version.version } };
    await this.ops.run(ctx, draft, (tx) => tx.deployments.create(deployment));
    return this.info(deployment, model, version.version, 0);
  }

  async list(access: ProjectAccess, page: PageRequest): Promise<Page<DeploymentInfo>> {
    const result = await this.store.deployments.list(access.project.id, page);
    const logged = await this.store.predictionSegments.rowsByDeployment(result.items.map((d) => d.id));
    const items = await Promise.all(result.items.map((d) => this.describe(d, logged.get(d.id) ?? 0)));
    return { items, next_cursor: result.next_cursor };
  }

  /** A deployment as served now: when this process serves it, its entry is re-read first (an alias may have moved). */
  async get(access: ProjectAccess, name: string): Promise<DeploymentInfo> {
    const d = await this.find(access, name);
    if (this.serving.peek(d.name)) await this.serving.refresh(d.name);
    const logged = await this.store.predictionSegments.rowsByDeployment([d.id]);
    return this.describe(d, logged.get(d.id) ?? 0);
  }

  /**
   * Point a deployment at another alias, version or model. The new version is loaded before
   * the change is committed (a model that cannot load changes nothing), and this process
   * switches to it at once; other processes follow within their refresh interval.
   */
  async update(ctx: CallContext, access: ProjectAccess, name: string, input: DeploymentTarget): Promise<DeploymentInfo> {
    const current = await this.find(access, name);
    const model = input.model ? await this.findModel(access.project.id, input.model) : (await this.store.models.getById(current.model_id))!;
    const target = targetOf(input, input.model ? undefined : current);
    const version = await resolveTarget(this.store, model, target);
    await this.serving.ensureLoaded(version);
    const at = this.clock.now();
    const draft = {
      action: 'deployment.update',
      project_id: current.project_id,
      target_ids: { project: current.project_id, deployment: current.id, model: model.id },
      details: { name, model: model.name, ...target, serving_version: version.version },
    };
    await this.ops.run(ctx, draft, (tx) => tx.deployments.update(current.id, { model_id: model.id, ...target }, at));
    if (this.serving.peek(name)) await this.serving.refresh(name).catch(() => undefined);
    const updated: Deployment = { ...current, model_id: model.id, ...target, updated_at: at };
    const logged = await this.store.predictionSegments.rowsByDeployment([current.id]);
    return this.info(updated, model, version.version, logged.get(current.id) ?? 0);
  }

  /** The id of the project a deployment belongs to (the serving URL names no project). */
  async projectOf(name: string): Promise<string> {
    const cached = this.serving.peek(name);
    if (cached) return cached.deployment.project_id;
    const d = await this.store.deployments.getByName(name);
    if (!d) throw new NotFoundError('deployment', name);
    return d.project_id;
  }

  /** A deployment of the project by name or id; NotFoundError otherwise. */
  async find(access: ProjectAccess, ref: string): Promise<Deployment> {
    const d = (await this.store.deployments.getByName(ref)) ?? (await this.store.deployments.getById(ref));
    if (!d || d.project_id !== access.project.id) throw new NotFoundError('deployment', ref);
    return d;
  }

  private async describe(d: Deployment, logged: number): Promise<DeploymentInfo> {
    const model = (await this.store.models.getById(d.model_id))!;
    const version = await resolveTarget(this.store, model, d).catch(() => undefined);
    return this.info(d, model, version?.version ?? null, logged);
  }

  private info(d: Deployment, model: RegisteredModel, servingVersion: number | null, logged: number): DeploymentInfo {
    return { ...d, model: model.name, serving_version: servingVersion, predictions_logged: logged, predict_path: `/api/v1/deployments/${encodeURIComponent(d.name)}/predict` };
  }

  private async findModel(projectId: string, ref: string): Promise<RegisteredModel> {
    const model = await this.store.models.get(projectId, ref);
    if (!model) throw new NotFoundError('model', ref, { field: 'body.model' });
    return model;
  }
}
