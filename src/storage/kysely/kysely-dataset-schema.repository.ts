// Declared dataset schemas on Kysely: one row per dataset, columns and key as JSON text.
import type { Kysely } from 'kysely';
import type { DeclaredSchema } from '../../domain/dataset-curation.js';
import type { DatasetSchemaRepository } from '../../domain/ports/dataset-curation-store.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';

export class KyselyDatasetSchemaRepository implements DatasetSchemaRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async put(s: DeclaredSchema): Promise<void> {
    const values = {
      project_id: s.project_id,
      columns: JSON.stringify(s.columns),
      key_columns: s.key === null ? null : JSON.stringify(s.key),
      updated_by: s.updated_by,
      updated_at: s.updated_at,
    };
    const updated = await this.db.updateTable('dataset_schemas').set(values).where('dataset_id', '=', s.dataset_id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await this.db.insertInto('dataset_schemas').values({ dataset_id: s.dataset_id, ...values }).execute();
  }

  async get(datasetId: string): Promise<DeclaredSchema | undefined> {
    const r = await this.db.selectFrom('dataset_schemas').selectAll().where('dataset_id', '=', datasetId).executeTakeFirst();
    if (!r) return undefined;
    return {
      dataset_id: r.dataset_id,
      project_id: r.project_id,
      columns: JSON.parse(r.columns),
      key: r.key_columns === null ? null : JSON.parse(r.key_columns),
      updated_by: r.updated_by,
      updated_at: toNum(r.updated_at),
    };
  }
}
