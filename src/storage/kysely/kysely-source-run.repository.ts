// Runs (pulls) of datasets' scheduled sources on Kysely, newest first per source.
import type { Kysely, Selectable } from 'kysely';
import type { SourceRun, SourceRunStatus, SourceRunTrigger } from '../../domain/dataset-sources.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { SourceRunRepository } from '../../domain/ports/dataset-source-store.js';
import { pageById } from './cursor.js';
import { inChunks } from './in-chunks.js';
import { toBool, toFlag, toNum, toNumOrNull } from './row-values.js';
import type { Database } from './schema.js';
import type { DatasetSourceRunsTable } from './schema-dataset-sources.js';

const toRun = (r: Selectable<DatasetSourceRunsTable>): SourceRun => ({
  id: r.id,
  project_id: r.project_id,
  source_id: r.source_id,
  dataset_id: r.dataset_id,
  job_id: r.job_id,
  trigger: r.trigger as SourceRunTrigger,
  scheduled_for: toNumOrNull(r.scheduled_for),
  status: r.status as SourceRunStatus,
  started_at: toNum(r.started_at),
  finished_at: toNumOrNull(r.finished_at),
  bytes: toNumOrNull(r.bytes),
  sha256: r.sha256,
  rows_read: toNum(r.rows_read),
  rows_staged: toNum(r.rows_staged),
  rows_quarantined: toNum(r.rows_quarantined),
  unchanged: toBool(r.unchanged),
  batch_id: r.batch_id,
  committed_version_id: r.committed_version_id,
  error: r.error,
});

export class KyselySourceRunRepository implements SourceRunRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(run: SourceRun): Promise<void> {
    await this.db.insertInto('dataset_source_runs').values({ ...run, unchanged: toFlag(run.unchanged) }).execute();
  }

  async get(id: string): Promise<SourceRun | undefined> {
    const row = await this.db.selectFrom('dataset_source_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRun(row);
  }

  async getByJob(jobId: string): Promise<SourceRun | undefined> {
    const row = await this.db.selectFrom('dataset_source_runs').selectAll().where('job_id', '=', jobId).orderBy('id', 'desc').executeTakeFirst();
    return row && toRun(row);
  }

  list(sourceId: string, page: PageRequest): Promise<Page<SourceRun>> {
    return pageById(this.db.selectFrom('dataset_source_runs').selectAll().where('source_id', '=', sourceId), page, toRun, 'desc');
  }

  async latest(sourceIds: string[]): Promise<Map<string, SourceRun>> {
    const out = new Map<string, SourceRun>();
    await inChunks(sourceIds, async (ids) => {
      const newest = this.db.selectFrom('dataset_source_runs').select((eb) => ['source_id', eb.fn.max('id').as('id')]).where('source_id', 'in', ids).groupBy('source_id');
      const rows = await this.db
        .selectFrom('dataset_source_runs as r')
        .innerJoin(newest.as('n'), 'n.id', 'r.id')
        .selectAll('r')
        .execute();
      for (const row of rows) out.set(row.source_id, toRun(row));
    });
    return out;
  }

  async update(id: string, patch: Partial<Omit<SourceRun, 'id' | 'project_id' | 'source_id' | 'dataset_id'>>): Promise<void> {
    const { unchanged, ...rest } = patch;
    await this.db
      .updateTable('dataset_source_runs')
      .set({ ...rest, ...(unchanged === undefined ? {} : { unchanged: toFlag(unchanged) }) })
      .where('id', '=', id)
      .execute();
  }
}
