// Staged batches on Kysely: one row per (dataset, Idempotency-Key); a commit stamps its version.
import type { Kysely, Selectable } from 'kysely';
import type { StagedBatch } from '../../domain/dataset-staging.js';
import type { StagedBatchRepository } from '../../domain/ports/staging-store.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { DatasetStagedBatchesTable } from './schema-staging.js';
import { conflictsAs } from './unique-violation.js';

const toBatch = (r: Selectable<DatasetStagedBatchesTable>): StagedBatch => ({
  id: r.id,
  project_id: r.project_id,
  dataset_id: r.dataset_id,
  idempotency_key: r.idempotency_key,
  body_sha256: r.body_sha256,
  body_bytes: toNum(r.body_bytes),
  file: JSON.parse(r.file),
  quarantine_file: r.quarantine_file === null ? null : JSON.parse(r.quarantine_file),
  schema: JSON.parse(r.schema),
  report: JSON.parse(r.report),
  staged_rows: toNum(r.staged_rows),
  committed_version_id: r.committed_version_id,
  created_by: r.created_by,
  created_at: toNum(r.created_at),
});

export class KyselyStagedBatchRepository implements StagedBatchRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(b: StagedBatch): Promise<void> {
    const row: DatasetStagedBatchesTable = {
      ...b,
      file: JSON.stringify(b.file),
      quarantine_file: b.quarantine_file === null ? null : JSON.stringify(b.quarantine_file),
      schema: JSON.stringify(b.schema),
      report: JSON.stringify(b.report),
      accepted_rows: b.file.rows,
    };
    const message = `a batch with Idempotency-Key '${b.idempotency_key}' was already pushed to this dataset`;
    await conflictsAs(() => this.db.insertInto('dataset_staged_batches').values(row).execute(), { idempotency_key: message, dataset_id: message });
  }

  async getByKey(datasetId: string, key: string): Promise<StagedBatch | undefined> {
    const row = await this.db
      .selectFrom('dataset_staged_batches')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row && toBatch(row);
  }

  async stagedSize(datasetId: string): Promise<{ batches: number; rows: number }> {
    const row = await this.db
      .selectFrom('dataset_staged_batches')
      .select((eb) => [eb.fn.countAll().as('batches'), eb.fn.sum('accepted_rows').as('rows')])
      .where('dataset_id', '=', datasetId)
      .where('committed_version_id', 'is', null)
      .executeTakeFirstOrThrow();
    return { batches: Number(row.batches), rows: Number(row.rows ?? 0) };
  }

  async firstStagedSchema(datasetId: string): Promise<StagedBatch['schema'] | null> {
    const row = await this.db
      .selectFrom('dataset_staged_batches')
      .select('schema')
      .where('dataset_id', '=', datasetId)
      .where('committed_version_id', 'is', null)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ? JSON.parse(row.schema) : null;
  }

  async listStaged(datasetId: string): Promise<StagedBatch[]> {
    const rows = await this.db
      .selectFrom('dataset_staged_batches')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('committed_version_id', 'is', null)
      .orderBy('id')
      .execute();
    return rows.map(toBatch);
  }

  async markCommitted(datasetId: string, ids: string[], versionId: string): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db
      .updateTable('dataset_staged_batches')
      .set({ committed_version_id: versionId })
      .where('dataset_id', '=', datasetId)
      .where('committed_version_id', 'is', null)
      .where('id', 'in', ids)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async getCommitAt(datasetId: string): Promise<number | null> {
    const row = await this.db.selectFrom('dataset_staging_settings').select('commit_at_rows').where('dataset_id', '=', datasetId).executeTakeFirst();
    return row?.commit_at_rows === null || row === undefined ? null : toNum(row.commit_at_rows);
  }

  async setCommitAt(projectId: string, datasetId: string, rows: number | null, at: number): Promise<void> {
    const updated = await this.db
      .updateTable('dataset_staging_settings')
      .set({ commit_at_rows: rows, updated_at: at })
      .where('dataset_id', '=', datasetId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await this.db.insertInto('dataset_staging_settings').values({ dataset_id: datasetId, project_id: projectId, commit_at_rows: rows, updated_at: at }).execute();
  }
}
