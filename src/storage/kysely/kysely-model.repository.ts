// The model registry on Kysely: models (unique name per project), their numbered versions,
// aliases and the history of every alias move.
import type { Kysely, Selectable } from 'kysely';
import { isId } from '../../domain/ids.js';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';
import type { ModelRepository } from '../../domain/ports/serving-store.js';
import type { AliasChange, FeatureSpec, ModelAlias, ModelGate, ModelVersion, RegisteredModel } from '../../domain/serving.js';
import { cursorSeq, pageById, toPage } from './cursor.js';
import { toNum, toNumOrNull } from './row-values.js';
import type { Database } from './schema.js';
import type { ModelAliasHistoryTable, ModelAliasesTable, ModelVersionsTable, RegisteredModelsTable } from './schema-serving.js';
import { conflictsAs } from './unique-violation.js';

const toModel = (r: Selectable<RegisteredModelsTable>): RegisteredModel => ({
  id: r.id,
  project_id: r.project_id,
  name: r.name,
  latest_version: toNum(r.latest_version),
  created_by: r.created_by,
  created_at: toNum(r.created_at),
});

const toVersion = (r: Selectable<ModelVersionsTable>): ModelVersion => ({
  id: r.id,
  project_id: r.project_id,
  model_id: r.model_id,
  version: toNum(r.version),
  artifact_sha256: r.artifact_sha256,
  features: JSON.parse(r.features) as FeatureSpec[],
  classes: JSON.parse(r.classes) as string[],
  run_id: r.run_id,
  dataset_version_id: r.dataset_version_id,
  metrics: JSON.parse(r.metrics) as Record<string, number>,
  gate: r.gate === null ? null : (JSON.parse(r.gate) as ModelGate),
  created_by: r.created_by,
  created_at: toNum(r.created_at),
});

const toAlias = (r: Selectable<ModelAliasesTable>): ModelAlias => ({
  model_id: r.model_id,
  alias: r.alias,
  version: toNum(r.version),
  updated_by: r.updated_by,
  updated_at: toNum(r.updated_at),
});

const toChange = (r: Selectable<ModelAliasHistoryTable>): AliasChange => ({
  id: r.id,
  project_id: r.project_id,
  model_id: r.model_id,
  alias: r.alias,
  version: toNum(r.version),
  previous_version: toNumOrNull(r.previous_version),
  who: r.who,
  who_name: r.who_name,
  at: toNum(r.at),
  reason: r.reason,
});

export class KyselyModelRepository implements ModelRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(model: RegisteredModel): Promise<void> {
    await conflictsAs(() => this.db.insertInto('registered_models').values(model).execute(), {
      name: `a model named '${model.name}' already exists in this project`,
    });
  }

  async get(projectId: string, ref: string): Promise<RegisteredModel | undefined> {
    const byName = await this.db.selectFrom('registered_models').selectAll().where('project_id', '=', projectId).where('name', '=', ref).executeTakeFirst();
    if (byName) return toModel(byName);
    if (!isId(ref)) return undefined;
    const byId = await this.db.selectFrom('registered_models').selectAll().where('project_id', '=', projectId).where('id', '=', ref).executeTakeFirst();
    return byId && toModel(byId);
  }

  async getById(id: string): Promise<RegisteredModel | undefined> {
    const row = await this.db.selectFrom('registered_models').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toModel(row);
  }

  async list(projectId: string, page: PageRequest): Promise<Page<RegisteredModel>> {
    return pageById(
      this.db
        .selectFrom('registered_models')
        .selectAll()
        .where('project_id', '=', projectId),
      page,
      toModel,
      'asc',
    );
  }

  async nextVersion(modelId: string): Promise<number> {
    const row = await this.db
      .updateTable('registered_models')
      .set((eb) => ({ latest_version: eb('latest_version', '+', 1) }))
      .where('id', '=', modelId)
      .returning('latest_version')
      .executeTakeFirstOrThrow();
    return toNum(row.latest_version);
  }

  async createVersion(version: ModelVersion): Promise<void> {
    await conflictsAs(
      () =>
        this.db
          .insertInto('model_versions')
          .values({
            ...version,
            features: JSON.stringify(version.features),
            classes: JSON.stringify(version.classes),
            metrics: JSON.stringify(version.metrics),
            gate: version.gate === null ? null : JSON.stringify(version.gate),
          })
          .execute(),
      { version: `version ${version.version} of this model already exists` },
    );
  }

  async getVersion(modelId: string, version: number): Promise<ModelVersion | undefined> {
    const row = await this.db.selectFrom('model_versions').selectAll().where('model_id', '=', modelId).where('version', '=', version).executeTakeFirst();
    return row && toVersion(row);
  }

  async getVersionById(id: string): Promise<ModelVersion | undefined> {
    const row = await this.db.selectFrom('model_versions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toVersion(row);
  }

  /** Newest first; the cursor is the last version number shown. */
  async listVersions(modelId: string, page: PageRequest): Promise<Page<ModelVersion>> {
    const limit = pageLimit(page.limit);
    const before = cursorSeq(page);
    const rows = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', modelId)
      .$if(before !== undefined, (q) => q.where('version', '<', before!))
      .orderBy('version', 'desc')
      .limit(limit + 1)
      .execute();
    return toPage(rows.map(toVersion), limit, (v) => v.version);
  }

  async updateVersionGate(id: string, gate: ModelGate): Promise<void> {
    await this.db.updateTable('model_versions').set({ gate: JSON.stringify(gate) }).where('id', '=', id).execute();
  }

  async putAlias(alias: ModelAlias): Promise<void> {
    await this.db
      .insertInto('model_aliases')
      .values(alias)
      .onConflict((oc) =>
        oc.columns(['model_id', 'alias']).doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  async getAlias(modelId: string, alias: string): Promise<ModelAlias | undefined> {
    const row = await this.db.selectFrom('model_aliases').selectAll().where('model_id', '=', modelId).where('alias', '=', alias).executeTakeFirst();
    return row && toAlias(row);
  }

  async listAliases(modelIds: string[]): Promise<ModelAlias[]> {
    if (modelIds.length === 0) return [];
    const rows = await this.db.selectFrom('model_aliases').selectAll().where('model_id', 'in', modelIds).orderBy('alias').execute();
    return rows.map(toAlias);
  }

  async appendAliasChange(change: AliasChange): Promise<void> {
    await this.db.insertInto('model_alias_history').values(change).execute();
  }

  async listAliasChanges(modelId: string, page: PageRequest): Promise<Page<AliasChange>> {
    return pageById(
      this.db
        .selectFrom('model_alias_history')
        .selectAll()
        .where('model_id', '=', modelId),
      page,
      toChange,
      'desc',
    );
  }
}
