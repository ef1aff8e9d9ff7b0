// Model cards: the hand-written fields of a registered model (intended use, limitations, ethical
// considerations, owners) and the card of a version generated from the registry, the run, the
// dataset versions, the alias history and the retraining decisions, as Markdown or HTML.
import type { Clock } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import { CARD_FIELD_NAMES, type CardDatasetVersion, type CardFieldName, type ModelCardFacts, type ModelCardFields } from '../../domain/model-card.js';
import type { RetrainDecision } from '../../domain/monitoring.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { AliasChange, RegisteredModel } from '../../domain/serving.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import { cardDocument } from './model-card-sections.js';
import { renderHtml, renderMarkdown } from './model-card-render.js';

export type CardFieldsPatch = Partial<Record<CardFieldName, string>>;
export type CardFormat = 'markdown' | 'html';

export interface RenderedCard {
  content_type: string;
  filename: string;
  text: string;
}

/** How far back the card looks: pages of 200 alias moves / decisions, and parent versions. */
const SCAN_PAGES = 10;
const MAX_PARENTS = 20;

export class ModelCardService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
  ) {}

  /** The model's fields ('' where nobody has written anything yet). */
  async getFields(access: ProjectAccess, ref: string): Promise<ModelCardFields> {
    const model = await this.findModel(access.project.id, ref);
    return (await this.store.modelCards.get(model.id)) ?? emptyFields(model);
  }

  /**
   * Change the fields given in `patch` (others keep their value; '' clears one). Example:
   *   await cards.putFields(ctx, access, 'weather', { intended_use: 'Daily forecasts for Seattle' })
   */
  async putFields(ctx: CallContext, access: ProjectAccess, ref: string, patch: CardFieldsPatch): Promise<ModelCardFields> {
    const model = await this.findModel(access.project.id, ref);
    const changed = CARD_FIELD_NAMES.filter((k) => patch[k] !== undefined);
    const draft = { action: 'model.card-fields', project_id: access.project.id, target_ids: { project: access.project.id, model: model.id }, details: { model: model.name, fields: changed } };
    return this.ops.run(ctx, draft, async (tx) => {
      const before = (await tx.modelCards.get(model.id)) ?? emptyFields(model);
      const next: ModelCardFields = { ...before, updated_by: ctx.principal.user.id, updated_at: this.clock.now() };
      for (const k of changed) next[k] = patch[k]!;
      await tx.modelCards.put(next);
      return next;
    });
  }

  /** The card of `version` of the model, as Markdown or as a standalone HTML page. */
  async render(access: ProjectAccess, ref: string, version: number, format: CardFormat): Promise<RenderedCard> {
    const facts = await this.facts(access, ref, version);
    const doc = cardDocument(facts);
    const base = `${facts.model.name}-v${facts.version.version}-card`;
    return format === 'html'
      ? { content_type: 'text/html; charset=utf-8', filename: `${base}.html`, text: renderHtml(doc) }
      : { content_type: 'text/markdown; charset=utf-8', filename: `${base}.md`, text: renderMarkdown(doc) };
  }

  /** Everything the card shows about one version. */
  async facts(access: ProjectAccess, ref: string, versionNumber: number): Promise<ModelCardFacts> {
    const projectId = access.project.id;
    const model = await this.findModel(projectId, ref);
    const version = await this.store.models.getVersion(model.id, versionNumber);
    if (!version) throw new NotFoundError('model version', `${model.name} v${versionNumber}`);
    const aliases = (await this.store.models.listAliases([model.id])).filter((a) => a.version === version.version).map((a) => a.alias);
    const run = version.run_id ? await this.store.tracking.getRun(version.run_id).catch(() => undefined) : undefined;
    const ownRun = run && run.project_id === projectId ? run : undefined;
    return {
      model,
      version,
      aliases,
      alias_history: await this.aliasMoves(model.id, version.version),
      run: ownRun ? { id: ownRun.id, name: ownRun.name, code_version: ownRun.code_version, seed: ownRun.seed, params: ownRun.params, metrics: ownRun.metrics, created_at: ownRun.created_at } : null,
      run_id: version.run_id,
      datasets: await this.datasetChain(projectId, version.dataset_version_id),
      dataset_version_id: version.dataset_version_id,
      decisions: await this.decisions(projectId, model.name, version.version),
      fields: (await this.store.modelCards.get(model.id)) ?? emptyFields(model),
      generated_at: this.clock.now(),
    };
  }

  private async aliasMoves(modelId: string, version: number): Promise<AliasChange[]> {
    const found: AliasChange[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < SCAN_PAGES; i++) {
      const page = await this.store.models.listAliasChanges(modelId, { limit: 200, cursor });
      found.push(...page.items.filter((c) => c.version === version || c.previous_version === version));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    return found;
  }

  private async decisions(projectId: string, model: string, version: number): Promise<RetrainDecision[]> {
    const found: RetrainDecision[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < SCAN_PAGES; i++) {
      const page = await this.store.monitoring.listDecisions(projectId, { limit: 200, cursor });
      found.push(...page.items.filter((d) => d.model === model && (d.champion.version === version || d.challenger.version === version)));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    return found;
  }

  /** The trained-on dataset version, then its parents. */
  private async datasetChain(projectId: string, id: string | null): Promise<CardDatasetVersion[]> {
    const chain: CardDatasetVersion[] = [];
    const names = new Map<string, { id: string; name: string } | null>();
    let next = id;
    while (next && chain.length <= MAX_PARENTS) {
      const v = await this.store.datasetVersions.getById(projectId, next).catch(() => undefined);
      if (!v) break;
      if (!names.has(v.dataset_id)) {
        const d = await this.store.datasets.getById(projectId, v.dataset_id);
        names.set(v.dataset_id, d ? { id: d.id, name: d.name } : null);
      }
      chain.push({
        dataset: names.get(v.dataset_id) ?? null,
        version: { id: v.id, version: v.version, parent_version_id: v.parent_version_id, report: v.report, source: v.source, created_at: v.created_at },
      });
      next = v.parent_version_id;
    }
    return chain;
  }

  private async findModel(projectId: string, ref: string): Promise<RegisteredModel> {
    const model = await this.store.models.get(projectId, ref);
    if (!model) throw new NotFoundError('model', ref);
    return model;
  }
}

function emptyFields(model: RegisteredModel): ModelCardFields {
  return { model_id: model.id, project_id: model.project_id, intended_use: '', limitations: '', ethical_considerations: '', owners: '', updated_by: null, updated_at: null };
}
