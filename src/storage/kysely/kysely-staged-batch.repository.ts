// Staged batches on Kysely: one row per (dataset, Idempotency-Key); a commit stamps its version.
// The staging area's counts live on its settings row: a batch's insert adds to them (an upsert
// of the row, which also answers them and the commit setting), a commit takes its batches away.
// The queries of every push (its target, the upsert, the insert) are built once (reused-query.ts).
import type { Kysely, Selectable } from 'kysely';
import type { StagedBatch } from '../../domain/dataset-staging.js';
import type { PushTarget, StagedBatchRepository, StagingCounts } from '../../domain/ports/staging-store.js';
import { reusedQuery } from './reused-query.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { DatasetStagedBatchesTable } from './schema-staging.js';
import { conflictsAs } from './unique-violation.js';
import { toDataset } from './kysely-dataset.repository.js';

/** A push's one read (see pushTarget): the dataset by name or by id (`by` picks the column). */
const pushTargetQuery = (by: 'd.name' | 'd.id') =>
  reusedQuery(
    (db, v: { projectId: string; ref: string; key: string }) =>
      db
        .selectFrom('datasets as d')
        .leftJoin('dataset_staging_settings as s', 's.dataset_id', 'd.id')
        .leftJoin('dataset_schemas as ds', 'ds.dataset_id', 'd.id')
        .selectAll('d')
        .select(['s.staged_rows', 's.staged_batches', 's.commit_at_rows'])
        .select(['ds.columns as declared_columns', 'ds.key_columns as declared_key', 'ds.updated_by as declared_by', 'ds.updated_at as declared_at'])
        .select((eb) => [
          // The oldest staged batch's schema binds later batches only while no version exists.
          eb
            .case()
            .when('d.latest_version', '=', 0)
            .then(
              eb
                .selectFrom('dataset_staged_batches as f')
                .select('f.schema')
                .whereRef('f.dataset_id', '=', 'd.id')
                .where('f.committed_version_id', 'is', null)
                .orderBy('f.id')
                .limit(1),
            )
            .end()
            .as('first_schema'),
          eb.exists(eb.selectFrom('dataset_staged_batches as k').select('k.id').whereRef('k.dataset_id', '=', 'd.id').where('k.idempotency_key', '=', v.key)).as('key_taken'),
        ])
        .where('d.project_id', '=', v.projectId)
        .where(by, '=', v.ref),
    { projectId: '\u0000project', ref: '\u0000ref', key: '\u0000key' },
  );
const PUSH_TARGET_BY_NAME = pushTargetQuery('d.name');
const PUSH_TARGET_BY_ID = pushTargetQuery('d.id');

/** Add a batch to its staging area's counts (making its settings row if need be); answers them. */
const COUNT_BATCH = reusedQuery(
  (db, v: { datasetId: string; projectId: string; at: number; rows: number }) =>
    db
      .insertInto('dataset_staging_settings')
      .values({ dataset_id: v.datasetId, project_id: v.projectId, commit_at_rows: null, updated_at: v.at, staged_rows: v.rows, staged_batches: 1 })
      .onConflict((oc) =>
        oc.column('dataset_id').doUpdateSet((eb) => ({
          staged_rows: eb('dataset_staging_settings.staged_rows', '+', v.rows),
          staged_batches: eb('dataset_staging_settings.staged_batches', '+', 1),
        })),
      )
      .returning(['staged_rows', 'staged_batches', 'commit_at_rows']),
  { datasetId: '\u0000dataset', projectId: '\u0000project', at: -1.25e-300, rows: -2.5e-300 },
);

const BATCH_COLUMNS = [
  'id',
  'project_id',
  'dataset_id',
  'idempotency_key',
  'body_sha256',
  'body_bytes',
  'file',
  'quarantine_file',
  'schema',
  'report',
  'staged_rows',
  'accepted_rows',
  'committed_version_id',
  'created_by',
  'created_at',
] as const satisfies ReadonlyArray<keyof DatasetStagedBatchesTable>;
/** Every column of the table is inserted (this fails to compile when one is left out above). */
type EveryColumn = [Exclude<keyof DatasetStagedBatchesTable, (typeof BATCH_COLUMNS)[number]>] extends [never] ? true : never;
const EVERY_COLUMN: EveryColumn = true;
void EVERY_COLUMN;

const INSERT_BATCH = reusedQuery(
  (db, v: Record<string, unknown>) => db.insertInto('dataset_staged_batches').values(v as unknown as DatasetStagedBatchesTable),
  Object.fromEntries(BATCH_COLUMNS.map((c) => [c, `\u0000${c}`])),
);

const countsOf = (r: { staged_rows: unknown; staged_batches: unknown; commit_at_rows: unknown } | undefined): StagingCounts => ({
  rows: r?.staged_rows == null ? 0 : toNum(r.staged_rows as number),
  batches: r?.staged_batches == null ? 0 : toNum(r.staged_batches as number),
  commit_at_rows: r?.commit_at_rows == null ? null : toNum(r.commit_at_rows as number),
});

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

  async create(b: Omit<StagedBatch, 'staged_rows'>): Promise<{ batch: StagedBatch; staged: StagingCounts }> {
    if (!this.db.isTransaction) return this.db.transaction().execute((trx) => new KyselyStagedBatchRepository(trx).create(b));
    const accepted = b.file.rows;
    const [counts] = await COUNT_BATCH(this.db, { datasetId: b.dataset_id, projectId: b.project_id, at: b.created_at, rows: accepted });
    const staged = countsOf(counts);
    const batch: StagedBatch = { ...b, staged_rows: staged.rows };
    const row: DatasetStagedBatchesTable = {
      ...batch,
      file: JSON.stringify(b.file),
      quarantine_file: b.quarantine_file === null ? null : JSON.stringify(b.quarantine_file),
      schema: JSON.stringify(b.schema),
      report: JSON.stringify(b.report),
      accepted_rows: accepted,
    };
    const message = `a batch with Idempotency-Key '${b.idempotency_key}' was already pushed to this dataset`;
    await conflictsAs(() => INSERT_BATCH(this.db, row as unknown as Record<string, unknown>), { idempotency_key: message, dataset_id: message });
    return { batch, staged };
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

  async pushTarget(projectId: string, ref: string, key: string, byId: boolean): Promise<PushTarget | undefined> {
    const [r] = await (byId ? PUSH_TARGET_BY_ID : PUSH_TARGET_BY_NAME)(this.db, { projectId, ref, key });
    if (!r) return undefined;
    return {
      dataset: toDataset(r),
      staged: countsOf(r),
      declared:
        r.declared_columns === null
          ? undefined
          : {
              dataset_id: r.id,
              project_id: r.project_id,
              columns: JSON.parse(r.declared_columns),
              key: r.declared_key === null ? null : JSON.parse(r.declared_key),
              updated_by: r.declared_by!,
              updated_at: toNum(r.declared_at!),
            },
      first_staged_schema: typeof r.first_schema === 'string' ? JSON.parse(r.first_schema) : null,
      key_taken: Boolean(Number(r.key_taken)),
    };
  }

  async stagedSize(datasetId: string): Promise<{ batches: number; rows: number }> {
    const row = await this.db.selectFrom('dataset_staging_settings').select(['staged_rows', 'staged_batches', 'commit_at_rows']).where('dataset_id', '=', datasetId).executeTakeFirst();
    const { rows, batches } = countsOf(row);
    return { batches, rows };
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
    if (!this.db.isTransaction) return this.db.transaction().execute((trx) => new KyselyStagedBatchRepository(trx).markCommitted(datasetId, ids, versionId));
    const marked = await this.db
      .updateTable('dataset_staged_batches')
      .set({ committed_version_id: versionId })
      .where('dataset_id', '=', datasetId)
      .where('committed_version_id', 'is', null)
      .where('id', 'in', ids)
      .returning('accepted_rows')
      .execute();
    if (marked.length > 0) {
      // Exactly the batches marked here come off the counts.
      const rows = marked.reduce((n, b) => n + toNum(b.accepted_rows), 0);
      await this.db
        .updateTable('dataset_staging_settings')
        .set((eb) => ({ staged_rows: eb('staged_rows', '-', rows), staged_batches: eb('staged_batches', '-', marked.length) }))
        .where('dataset_id', '=', datasetId)
        .execute();
    }
    return marked.length;
  }

  async getCommitAt(datasetId: string): Promise<number | null> {
    const row = await this.db.selectFrom('dataset_staging_settings').select('commit_at_rows').where('dataset_id', '=', datasetId).executeTakeFirst();
    return row?.commit_at_rows === null || row === undefined ? null : toNum(row.commit_at_rows);
  }

  async setCommitAt(projectId: string, datasetId: string, rows: number | null, at: number): Promise<void> {
    await this.db
      .insertInto('dataset_staging_settings')
      .values({ dataset_id: datasetId, project_id: projectId, commit_at_rows: rows, updated_at: at })
      .onConflict((oc) => oc.column('dataset_id').doUpdateSet({ commit_at_rows: rows, updated_at: at }))
      .execute();
  }
}
