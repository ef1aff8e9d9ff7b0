// The model registry (minimal; the registry issue deepens it): registered models, their
// numbered ONNX versions with metrics, gate report and lineage, and aliases such as `champion`
// whose every move is kept with who, when and why.
import type { Clock } from '../../domain/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { NAME_PATTERN, NAME_RULE } from '../../domain/names.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ModelRuntime } from '../../domain/ports/model-runtime.js';
import { modelTask, type AliasChange, type ModelAlias, type ModelGate, type ModelTask, type ModelVersion, type RegisteredModel } from '../../domain/serving.js';
import type { GateReport } from '../../domain/tracking.js';
import { authorizeProject, type ProjectAccess } from '../access/authorize.js';
import { actorName, type CallContext } from '../access/principal.js';
import type { AuditDraft } from '../audit/audit.service.js';
import type { OperationRunner } from '../operation.js';
import { readArtifact } from './artifact-bytes.js';
import { bindingEntry } from './deployment-bindings.js';
import { checkModelContract } from './model-contract.js';
import { follows, resolvedVersions } from './serving-target.js';
import type { ServingTable } from './serving-table.js';

/** The alias a failed KPI gate keeps a version from. */
export const CHAMPION = 'champion';

/** The KPI gate a promotion to champion must pass (the model validation service). */
export interface PromotionGate {
  /** The report the promotion is decided on; null when the policy sets no checks. */
  reportForPromotion(projectId: string, model: RegisteredModel, version: ModelVersion): Promise<GateReport | null>;
}

export interface SetAliasOptions {
  /** Make the version champion although its gate failed: needs `model.gate-override` and a reason. */
  overrideGate?: boolean;
}

export interface RegisterVersionInput {
  /** The model's name; the model is created when the project has none of that name. */
  model: string;
  /** The ONNX bytes (stored in the artifact store), or … */
  onnx?: Uint8Array;
  /** … the digest of ONNX bytes already in the artifact store. */
  artifact_sha256?: string;
  run_id?: string | null;
  dataset_version_id?: string | null;
  metrics?: Record<string, number>;
  gate?: ModelGate | null;
}

export interface ModelInfo extends RegisteredModel {
  /** alias → version, e.g. { champion: 2 }. */
  aliases: Record<string, number>;
}

export interface ModelVersionInfo extends ModelVersion {
  model: string;
  /** What the version predicts: a class, or a number (a regression model, which has no classes). */
  task: ModelTask;
  /** The aliases pointing at this version. */
  aliases: string[];
}

function checkName(value: string, field: string, what: string): void {
  if (!NAME_PATTERN.test(value)) throw new ValidationError(`${what} '${value}' is not a valid name: it ${NAME_RULE}`, { field });
}

function checkMetrics(metrics: Record<string, number>): void {
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(`metric '${k}' must be a finite number`, { field: `metrics.${k}` });
  }
}

/** A gate report judged before registration names the version it became. */
function withCandidate(gate: ModelGate | null, version: number): ModelGate | null {
  const basis = gate?.basis as GateReport['basis'] | undefined;
  return gate && basis && basis.candidate_version === null ? { ...gate, basis: { ...basis, candidate_version: version } } : gate;
}

const aliasMap = (aliases: ModelAlias[], modelId: string): Record<string, number> =>
  Object.fromEntries(aliases.filter((a) => a.model_id === modelId).map((a) => [a.alias, a.version]));

export class RegistryService {
  private gate?: PromotionGate;

  constructor(
    private readonly store: MetadataStore,
    private readonly artifacts: ArtifactStore,
    private readonly runtime: ModelRuntime,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
    private readonly serving: ServingTable,
  ) {}

  /** Use `gate` to decide promotions to champion (wired once when the services are built). */
  usePromotionGate(gate: PromotionGate): void {
    this.gate = gate;
  }

  /**
   * Register ONNX bytes (or an artifact digest) as the next version of `model`, creating the
   * model when it is new. The model must load and follow the model contract (ValidationError
   * naming the problem otherwise). Example (the training service, in-process):
   *   await registry.registerVersion(ctx, access, { model: 'weather', onnx, run_id, metrics: { macro_f1: 0.61 }, gate })
   */
  async registerVersion(ctx: CallContext, access: ProjectAccess, input: RegisterVersionInput): Promise<ModelVersionInfo> {
    checkName(input.model, 'model', 'model name');
    checkMetrics(input.metrics ?? {});
    let sha: string;
    let bytes: Uint8Array;
    if (input.onnx) {
      bytes = input.onnx;
      sha = (await this.artifacts.put(bytes)).sha256;
    } else if (input.artifact_sha256) {
      sha = input.artifact_sha256;
      bytes = await readArtifact(this.artifacts, sha);
    } else {
      throw new ValidationError('give the ONNX bytes or the digest of an artifact holding them', { field: 'onnx' });
    }
    const { features, classes } = checkModelContract(await this.runtime.load(sha, bytes));
    const projectId = access.project.id;
    const at = this.clock.now();
    const attempt = () =>
      this.ops.run(ctx, { action: 'model.register', project_id: projectId, target_ids: { project: projectId }, details: { model: input.model } }, async (tx, ev) => {
        let model = await tx.models.get(projectId, input.model);
        if (!model) {
          model = { id: newId(), project_id: projectId, name: input.model, latest_version: 0, created_by: ctx.principal.user.id, created_at: at };
          await tx.models.create(model);
        }
        const number = await tx.models.nextVersion(model.id);
        const version: ModelVersion = {
          id: newId(),
          project_id: projectId,
          model_id: model.id,
          version: number,
          artifact_sha256: sha,
          features,
          classes,
          run_id: input.run_id ?? null,
          dataset_version_id: input.dataset_version_id ?? null,
          metrics: input.metrics ?? {},
          gate: withCandidate(input.gate ?? null, number),
          created_by: ctx.principal.user.id,
          created_at: at,
        };
        await tx.models.createVersion(version);
        ev.target_ids = { project: projectId, model: model.id, model_version: version.id };
        ev.details = { model: model.name, version: version.version, artifact_sha256: sha, run_id: version.run_id };
        return { ...version, model: model.name, task: modelTask(version), aliases: [] };
      });
    try {
      return await attempt();
    } catch (err) {
      // Two first registrations of a new model raced: the model exists now, so try once more.
      if (err instanceof ConflictError) return attempt();
      throw err;
    }
  }

  /** Models of the project, oldest first, with their aliases. */
  async listModels(access: ProjectAccess, page: PageRequest): Promise<Page<ModelInfo>> {
    const result = await this.store.models.list(access.project.id, page);
    const aliases = await this.store.models.listAliases(result.items.map((m) => m.id));
    return { items: result.items.map((m) => ({ ...m, aliases: aliasMap(aliases, m.id) })), next_cursor: result.next_cursor };
  }

  /** A model by name or id; NotFoundError otherwise. */
  async getModel(access: ProjectAccess, ref: string): Promise<ModelInfo> {
    const model = await this.findModel(access.project.id, ref);
    return { ...model, aliases: aliasMap(await this.store.models.listAliases([model.id]), model.id) };
  }

  /** Versions of a model, newest first. */
  async listVersions(access: ProjectAccess, ref: string, page: PageRequest): Promise<Page<ModelVersionInfo>> {
    const model = await this.findModel(access.project.id, ref);
    const result = await this.store.models.listVersions(model.id, page);
    const aliases = await this.store.models.listAliases([model.id]);
    return { items: result.items.map((v) => this.info(model, v, aliases)), next_cursor: result.next_cursor };
  }

  async getVersion(access: ProjectAccess, ref: string, version: number): Promise<ModelVersionInfo> {
    const model = await this.findModel(access.project.id, ref);
    const v = await this.store.models.getVersion(model.id, version);
    if (!v) throw new NotFoundError('model version', `${model.name} v${version}`);
    return this.info(model, v, await this.store.models.listAliases([model.id]));
  }

  /** A version by its id (for lineage: a logged prediction names its model_version_id). */
  async getVersionById(access: ProjectAccess, id: string): Promise<ModelVersionInfo> {
    const v = await this.store.models.getVersionById(id);
    if (!v || v.project_id !== access.project.id) throw new NotFoundError('model version', id);
    const model = (await this.store.models.getById(v.model_id))!;
    return this.info(model, v, await this.store.models.listAliases([model.id]));
  }

  /** The ONNX bytes of a version. */
  async versionBytes(access: ProjectAccess, ref: string, version: number): Promise<{ version: ModelVersionInfo; bytes: Uint8Array }> {
    const v = await this.getVersion(access, ref, version);
    return { version: v, bytes: await readArtifact(this.artifacts, v.artifact_sha256) };
  }

  /**
   * Point `alias` at `version` and record the move. Deployments that follow the alias switch to
   * the new version: this process loads it before the move is committed, then swaps; each one's
   * binding history records the move. Promotion to `champion` needs a passed KPI gate (the
   * version's report, re-evaluated when stale): a failed gate answers 409 naming the failed
   * checks, unless `overrideGate` is set by a caller allowed `model.gate-override`, with a reason.
   */
  async setAlias(ctx: CallContext, access: ProjectAccess, ref: string, alias: string, version: number, reason: string, opts: SetAliasOptions = {}): Promise<AliasChange> {
    checkName(alias, 'alias', 'alias');
    const model = await this.findModel(access.project.id, ref);
    const target = await this.store.models.getVersion(model.id, version);
    if (!target) throw new NotFoundError('model version', `${model.name} v${version}`, { field: 'body.version' });
    const draft: AuditDraft = { action: 'model.alias', project_id: access.project.id, target_ids: { project: access.project.id, model: model.id, model_version: target.id }, details: { model: model.name, alias, version, reason } };
    if (alias === CHAMPION && this.gate) draft.details!.gate = await this.checkPromotion(ctx, access, model, target, reason, opts, draft);
    for (const e of this.serving.following(model.id, alias)) await this.serving.ensureLoaded(target, e.deployment);
    const at = this.clock.now();
    const change = await this.ops.run(ctx, draft, async (tx, ev) => {
      const before = await tx.models.getAlias(model.id, alias);
      const c: AliasChange = {
        id: newId(),
        project_id: access.project.id,
        model_id: model.id,
        alias,
        version,
        previous_version: before?.version ?? null,
        who: ctx.principal.user.id,
        who_name: actorName(ctx.principal),
        at,
        reason,
      };
      await tx.models.putAlias({ model_id: model.id, alias, version, updated_by: ctx.principal.user.id, updated_at: at });
      await tx.models.appendAliasChange(c);
      for (const d of (await tx.deployments.listByModel(model.id)).filter((x) => follows(x, alias))) {
        const note = `alias ${alias} of ${model.name} moved ${c.previous_version === null ? '' : `from v${c.previous_version} `}to v${version}${reason ? `: ${reason}` : ''}`;
        await tx.deployments.appendBinding(bindingEntry(d, 'alias', await resolvedVersions(tx, model, d), ctx, at, note));
      }
      ev.details = { ...ev.details, previous_version: c.previous_version };
      return c;
    });
    await this.serving.refreshModel(model.id).catch(() => undefined);
    return change;
  }

  /** The gate details of a promotion to champion, or a refusal (409 failed gate, 403 override not allowed, 400 no reason), audited. */
  private async checkPromotion(ctx: CallContext, access: ProjectAccess, model: RegisteredModel, target: ModelVersion, reason: string, opts: SetAliasOptions, draft: AuditDraft): Promise<Record<string, unknown>> {
    const report = await this.gate!.reportForPromotion(access.project.id, model, target);
    if (!report) return { checked: false };
    if (report.passed) return { passed: true };
    const failed = report.checks.filter((c) => !c.passed);
    const named = failed.map((c) => `${c.kind ?? 'threshold'} ${c.metric}${c.column ? ` across ${c.column}` : ''}`);
    const refuse = async (error: Error): Promise<never> => {
      await this.ops.run(ctx, { ...draft, details: { ...draft.details, gate: { passed: false, failed_checks: named } } }, async () => {
        throw error;
      });
      throw error;
    };
    if (!opts.overrideGate) {
      await refuse(
        new ConflictError(
          `${model.name} v${target.version} failed its KPI gate, so it cannot become ${CHAMPION}: ${failed.map((c) => c.message ?? `${c.metric} failed`).join('; ')}. An admin may override the gate with a reason.`,
          { field: 'body.version', failed_checks: failed.map((c) => ({ kind: c.kind ?? 'threshold', metric: c.metric, column: c.column ?? null, message: c.message ?? '' })), gate: report },
        ),
      );
    }
    if (!reason.trim()) await refuse(new ValidationError('overriding a failed KPI gate needs a reason', { field: 'body.reason' }));
    await authorizeProject(this.store, ctx.principal, 'model.gate-override', access.project.id).catch(refuse);
    return { passed: false, overridden: true, failed_checks: named };
  }

  /** Every move of the model's aliases, newest first. */
  async aliasHistory(access: ProjectAccess, ref: string, page: PageRequest): Promise<Page<AliasChange>> {
    const model = await this.findModel(access.project.id, ref);
    return this.store.models.listAliasChanges(model.id, page);
  }

  private async findModel(projectId: string, ref: string): Promise<RegisteredModel> {
    const model = await this.store.models.get(projectId, ref);
    if (!model) throw new NotFoundError('model', ref);
    return model;
  }

  private info(model: RegisteredModel, v: ModelVersion, aliases: ModelAlias[]): ModelVersionInfo {
    return { ...v, model: model.name, task: modelTask(v), aliases: aliases.filter((a) => a.model_id === model.id && a.version === v.version).map((a) => a.alias) };
  }
}
