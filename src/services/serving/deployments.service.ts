// Deployments: a name (unique in the instance) serving a model through an alias it follows
// (e.g. `champion`) or a version it is pinned to, optionally with a canary (a share of the
// requests to another version) and a shadow (a version that gets mirrored requests). Changing
// the binding hot-swaps the running server: the new versions are loaded first, then requests
// move to them; none fails. Every binding is kept in the deployment's history, and a rollback
// returns to the one before.
import type { Clock } from '../../domain/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { NAME_PATTERN, NAME_RULE } from '../../domain/names.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import {
  BATCHING_LIMITS,
  DEFAULT_BATCHING,
  type BatchingSettings,
  type CanaryTarget,
  type Deployment,
  type DeploymentBinding,
  type DeploymentBindingTargets,
  type ModelVersion,
  type RegisteredModel,
  type TrafficTarget,
} from '../../domain/serving.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import { bindingEntry, type ResolvedVersions } from './deployment-bindings.js';
import { resolveTarget, resolvedVersions } from './serving-target.js';
import type { ServingTable } from './serving-table.js';

export interface DeploymentInfo extends Deployment {
  model: string;
  /** The version served now (the pinned one, or the one the alias names). */
  serving_version: number | null;
  /** The versions the canary and the shadow run now (null when none). */
  canary_version: number | null;
  shadow_version: number | null;
  /** Predictions in registered segments of the log (the open segment is not counted yet; shadow outputs included). */
  predictions_logged: number;
  /** The serving URL's path. */
  predict_path: string;
}

/** A canary or shadow target as callers give it: an alias or a version. */
export interface TargetInput {
  alias?: string | null;
  version?: number | null;
}

export interface DeploymentTarget {
  /** Model name or id (on update: defaults to the current model). */
  model?: string;
  /** Follow this alias… */
  alias?: string | null;
  /** …or pin this version (give one of the two; neither on create means alias `champion`). */
  version?: number | null;
  /** Send `percent` (1–99) of the requests to another version; null removes the canary, absent keeps it. */
  canary?: (TargetInput & { percent: number }) | null;
  /** Mirror every request to another version; null removes the shadow, absent keeps it. */
  shadow?: TargetInput | null;
  /** Why (kept in the binding history). */
  reason?: string;
  /** Micro-batching of concurrent requests; parts left out keep their value (the defaults on create). */
  batching?: Partial<BatchingSettings>;
}

/** Batching settings from a (partial) input over `base`; ValidationError naming the field when out of bounds. */
export function batchingOf(input: Partial<BatchingSettings> | undefined, base: BatchingSettings): BatchingSettings {
  const out = { max_rows: input?.max_rows ?? base.max_rows, max_delay_ms: input?.max_delay_ms ?? base.max_delay_ms };
  if (!Number.isInteger(out.max_rows) || out.max_rows < 1 || out.max_rows > BATCHING_LIMITS.maxRows) {
    throw new ValidationError(`batching max_rows must be an integer from 1 (batching off) to ${BATCHING_LIMITS.maxRows}`, { field: 'body.batching.max_rows' });
  }
  if (!Number.isInteger(out.max_delay_ms) || out.max_delay_ms < 0 || out.max_delay_ms > BATCHING_LIMITS.maxDelayMs) {
    throw new ValidationError(`batching max_delay_ms must be an integer from 0 to ${BATCHING_LIMITS.maxDelayMs}`, { field: 'body.batching.max_delay_ms' });
  }
  return out;
}

/** Whether an update names anything of the binding (model, primary target, canary, shadow). */
const touchesBinding = (input: DeploymentTarget) =>
  input.model !== undefined || input.alias !== undefined || input.version !== undefined || input.canary !== undefined || input.shadow !== undefined;

function checkAlias(alias: string, field: string): void {
  if (!NAME_PATTERN.test(alias)) throw new ValidationError(`alias '${alias}' is not a valid name: it ${NAME_RULE}`, { field });
}

function checkVersion(version: number, field: string): void {
  if (!Number.isInteger(version) || version < 1) throw new ValidationError('version must be a positive integer', { field });
}

function targetOf(input: DeploymentTarget, fallback?: TrafficTarget): TrafficTarget {
  const alias = input.alias ?? null;
  const version = input.version ?? null;
  if (alias !== null && version !== null) {
    throw new ValidationError('give either an alias to follow or a version to pin, not both', { field: 'body.version' });
  }
  if (alias !== null) {
    checkAlias(alias, 'body.alias');
    return { alias, version: null };
  }
  if (version !== null) {
    checkVersion(version, 'body.version');
    return { alias: null, version };
  }
  return fallback ?? { alias: 'champion', version: null };
}

/** A canary or shadow target: exactly one of alias and version. */
function sideTarget(input: TargetInput, field: string): TrafficTarget {
  const alias = input.alias ?? null;
  const version = input.version ?? null;
  if ((alias === null) === (version === null)) throw new ValidationError(`${field.split('.').pop()} needs either an alias or a version (one of the two)`, { field });
  if (alias !== null) checkAlias(alias, `${field}.alias`);
  if (version !== null) checkVersion(version, `${field}.version`);
  return { alias, version };
}

function canaryOf(input: TargetInput & { percent: number }): CanaryTarget {
  const target = sideTarget(input, 'body.canary');
  if (!Number.isInteger(input.percent) || input.percent < 1 || input.percent > 99) {
    throw new ValidationError('canary percent must be an integer from 1 to 99', { field: 'body.canary.percent' });
  }
  return { ...target, percent: input.percent };
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
    const binding: DeploymentBindingTargets = {
      model_id: model.id,
      ...targetOf(input),
      canary: input.canary ? canaryOf(input.canary) : null,
      shadow: input.shadow ? sideTarget(input.shadow, 'body.shadow') : null,
    };
    const at = this.clock.now();
    const batching = batchingOf(input.batching, DEFAULT_BATCHING);
    const deployment: Deployment = { id: newId(), project_id: projectId, name: input.name, ...binding, batching, created_by: ctx.principal.user.id, created_at: at, updated_at: at };
    const versions = await this.resolveAll(model, binding);
    const draft = { action: 'deployment.create', project_id: projectId, target_ids: { project: projectId, deployment: deployment.id, model: model.id }, details: { name: input.name, model: model.name, ...binding, ...versions, batching } };
    await this.ops.run(ctx, draft, async (tx) => {
      await tx.deployments.create(deployment);
      await tx.deployments.appendBinding(bindingEntry(deployment, 'create', versions, ctx, at, input.reason ?? ''));
    });
    return this.info(deployment, model, versions, 0);
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
    if (this.serving.peek(d.name)) await this.serving.refresh(d.name).catch(() => undefined);
    const logged = await this.store.predictionSegments.rowsByDeployment([d.id]);
    return this.describe(d, logged.get(d.id) ?? 0);
  }

  /**
   * Point a deployment at another alias, version or model, and set or remove its canary and
   * shadow. Every version of the new binding is loaded before the change is committed (a model
   * that cannot load changes nothing, answers 409 and raises an alert), and this process
   * switches to it at once; other processes follow within their refresh interval. Changing the
   * model removes the canary and shadow unless new ones are given. An update of the batching
   * settings alone changes no binding (nothing is added to the binding history).
   */
  async update(ctx: CallContext, access: ProjectAccess, name: string, input: DeploymentTarget): Promise<DeploymentInfo> {
    const current = await this.find(access, name);
    const batching = input.batching === undefined ? undefined : batchingOf(input.batching, current.batching);
    if (batching && !touchesBinding(input)) return this.setBatching(ctx, current, batching, input.reason ?? '');
    const model = input.model ? await this.findModel(access.project.id, input.model) : (await this.store.models.getById(current.model_id))!;
    const sameModel = model.id === current.model_id;
    const binding: DeploymentBindingTargets = {
      model_id: model.id,
      ...targetOf(input, input.model ? undefined : current),
      canary: input.canary === undefined ? (sameModel ? current.canary : null) : input.canary === null ? null : canaryOf(input.canary),
      shadow: input.shadow === undefined ? (sameModel ? current.shadow : null) : input.shadow === null ? null : sideTarget(input.shadow, 'body.shadow'),
    };
    return this.rebind(ctx, current, model, binding, 'update', input.reason ?? '', 'deployment.update', {}, batching);
  }

  /**
   * Return the deployment to the binding it had before its latest change (the history keeps
   * both; a second rollback undoes the first). A target that followed an alias which has moved
   * since is pinned to the version it served then, so the rollback restores what was served.
   */
  async rollback(ctx: CallContext, access: ProjectAccess, name: string, reason: string): Promise<DeploymentInfo & { restored: DeploymentBinding }> {
    const current = await this.find(access, name);
    const recent = await this.store.deployments.listBindings(current.id, { limit: 2 });
    const previous = recent.items[1];
    if (!previous) throw new ConflictError(`deployment '${name}' has no earlier binding to roll back to`, { field: 'deployment' });
    const model = await this.store.models.getById(previous.model_id);
    if (!model) throw new ConflictError(`the model deployment '${name}' served before is gone`);
    const pinIfMoved = async <T extends TrafficTarget>(t: T | null, served: number | null): Promise<T | null> => {
      if (!t || t.alias === null || served === null) return t;
      const now = await resolveTarget(this.store, model, t).catch(() => undefined);
      return now?.version === served ? t : { ...t, alias: null, version: served };
    };
    const primary = (await pinIfMoved({ alias: previous.alias, version: previous.version }, previous.serving_version))!;
    const binding: DeploymentBindingTargets = {
      model_id: previous.model_id,
      ...primary,
      canary: await pinIfMoved(previous.canary, previous.canary_version),
      shadow: await pinIfMoved(previous.shadow, previous.shadow_version),
    };
    const info = await this.rebind(ctx, current, model, binding, 'rollback', reason || `rolled back to the binding of ${new Date(previous.at).toISOString()}`, 'deployment.rollback', { restored: previous.id });
    return { ...info, restored: previous };
  }

  /** The deployment's binding history, newest first. */
  async history(access: ProjectAccess, name: string, page: PageRequest): Promise<Page<DeploymentBinding>> {
    const d = await this.find(access, name);
    return this.store.deployments.listBindings(d.id, page);
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

  /** Load, commit with its history entry and audit event, then switch this process over. */
  private async rebind(
    ctx: CallContext,
    current: Deployment,
    model: RegisteredModel,
    binding: DeploymentBindingTargets,
    change: DeploymentBinding['change'],
    reason: string,
    action: string,
    extra: Record<string, unknown> = {},
    batching?: BatchingSettings,
  ): Promise<DeploymentInfo> {
    const name = current.name;
    const targets = await this.resolveTargets(model, binding);
    for (const v of [targets.primary, targets.canary, targets.shadow]) {
      if (!v) continue;
      try {
        await this.serving.ensureLoaded(v, current);
      } catch (error) {
        const served = this.serving.peek(name)?.version.version;
        throw new ConflictError(
          `model version v${v.version} could not be loaded (${error instanceof Error ? error.message : String(error)}): deployment '${name}' is unchanged${served ? ` and keeps serving v${served}` : ''}`,
          { field: 'body', version: v.version },
        );
      }
    }
    const versions: ResolvedVersions = { serving_version: targets.primary.version, canary_version: targets.canary?.version ?? null, shadow_version: targets.shadow?.version ?? null };
    const at = this.clock.now();
    const updated: Deployment = { ...current, ...binding, batching: batching ?? current.batching, updated_at: at };
    const draft = {
      action,
      project_id: current.project_id,
      target_ids: { project: current.project_id, deployment: current.id, model: model.id },
      details: { name, model: model.name, ...binding, ...versions, reason, ...extra, ...(batching ? { batching } : {}) },
    };
    await this.ops.run(ctx, draft, async (tx) => {
      await tx.deployments.update(current.id, binding, at);
      if (batching) await tx.deployments.setBatching(current.id, batching, at);
      await tx.deployments.appendBinding(bindingEntry(updated, change, versions, ctx, at, reason));
    });
    if (this.serving.peek(name)) await this.serving.refresh(name).catch(() => undefined);
    const logged = await this.store.predictionSegments.rowsByDeployment([current.id]);
    return this.info(updated, model, versions, logged.get(current.id) ?? 0);
  }

  /** Change only the batching settings (audited; no binding history entry), then serve with them here at once. */
  private async setBatching(ctx: CallContext, current: Deployment, batching: BatchingSettings, reason: string): Promise<DeploymentInfo> {
    const at = this.clock.now();
    const draft = {
      action: 'deployment.update',
      project_id: current.project_id,
      target_ids: { project: current.project_id, deployment: current.id },
      details: { name: current.name, batching, previous_batching: current.batching, ...(reason ? { reason } : {}) },
    };
    await this.ops.run(ctx, draft, (tx) => tx.deployments.setBatching(current.id, batching, at));
    if (this.serving.peek(current.name)) await this.serving.refresh(current.name).catch(() => undefined);
    const logged = await this.store.predictionSegments.rowsByDeployment([current.id]);
    return this.describe({ ...current, batching, updated_at: at }, logged.get(current.id) ?? 0);
  }

  private async resolveTargets(model: RegisteredModel, b: DeploymentBindingTargets): Promise<{ primary: ModelVersion; canary: ModelVersion | null; shadow: ModelVersion | null }> {
    return {
      primary: await resolveTarget(this.store, model, b),
      canary: b.canary ? await resolveTarget(this.store, model, b.canary, 'body.canary') : null,
      shadow: b.shadow ? await resolveTarget(this.store, model, b.shadow, 'body.shadow') : null,
    };
  }

  /** The versions a binding names, each of which must exist (create: nothing is loaded before the first request). */
  private async resolveAll(model: RegisteredModel, b: DeploymentBindingTargets): Promise<ResolvedVersions> {
    const t = await this.resolveTargets(model, b);
    return { serving_version: t.primary.version, canary_version: t.canary?.version ?? null, shadow_version: t.shadow?.version ?? null };
  }

  private async describe(d: Deployment, logged: number): Promise<DeploymentInfo> {
    const model = (await this.store.models.getById(d.model_id))!;
    return this.info(d, model, await resolvedVersions(this.store, model, d), logged);
  }

  private info(d: Deployment, model: RegisteredModel, versions: ResolvedVersions, logged: number): DeploymentInfo {
    return { ...d, model: model.name, ...versions, predictions_logged: logged, predict_path: `/api/v1/deployments/${encodeURIComponent(d.name)}/predict` };
  }

  private async findModel(projectId: string, ref: string): Promise<RegisteredModel> {
    const model = await this.store.models.get(projectId, ref);
    if (!model) throw new NotFoundError('model', ref, { field: 'body.model' });
    return model;
  }
}
