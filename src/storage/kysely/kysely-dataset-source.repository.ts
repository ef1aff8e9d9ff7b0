// Datasets' scheduled sources on Kysely: unique names per dataset; the scheduler's due list and
// the compare-and-set that lets exactly one server enqueue each due pull or commit.
import type { Kysely, Selectable } from 'kysely';
import type { DataFormat } from '../../domain/datasets.js';
import type { ScheduledSource, SourceKind } from '../../domain/dataset-sources.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { ScheduledSourceRepository, SourcePatch } from '../../domain/ports/dataset-source-store.js';
import { pageById } from './cursor.js';
import { toBool, toFlag, toNum, toNumOrNull } from './row-values.js';
import type { Database } from './schema.js';
import type { DatasetSourcesTable } from './schema-dataset-sources.js';
import { conflictsAs } from './unique-violation.js';

const toSource = (r: Selectable<DatasetSourcesTable>): ScheduledSource => ({
  id: r.id,
  project_id: r.project_id,
  dataset_id: r.dataset_id,
  name: r.name,
  kind: r.kind as SourceKind,
  format: r.format as DataFormat | null,
  location: r.location,
  query: r.query,
  secret_name: r.secret_name,
  schedule: r.schedule,
  timezone: r.timezone,
  enabled: toBool(r.enabled),
  commit_every_rows: toNumOrNull(r.commit_every_rows),
  commit_cron: r.commit_cron,
  next_run_at: toNumOrNull(r.next_run_at),
  next_commit_at: toNumOrNull(r.next_commit_at),
  created_by: r.created_by,
  created_at: toNum(r.created_at),
  updated_at: toNum(r.updated_at),
});

export class KyselyScheduledSourceRepository implements ScheduledSourceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(s: ScheduledSource): Promise<void> {
    const taken = `the dataset already has a source named '${s.name}'`;
    await conflictsAs(() => this.db.insertInto('dataset_sources').values({ ...s, enabled: toFlag(s.enabled) }).execute(), { name: taken, dataset_id: taken });
  }

  async getById(projectId: string, id: string): Promise<ScheduledSource | undefined> {
    const row = await this.db.selectFrom('dataset_sources').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    return row && toSource(row);
  }

  async getByName(datasetId: string, name: string): Promise<ScheduledSource | undefined> {
    const row = await this.db.selectFrom('dataset_sources').selectAll().where('dataset_id', '=', datasetId).where('name', '=', name).executeTakeFirst();
    return row && toSource(row);
  }

  list(datasetId: string, page: PageRequest): Promise<Page<ScheduledSource>> {
    return pageById(this.db.selectFrom('dataset_sources').selectAll().where('dataset_id', '=', datasetId), page, toSource);
  }

  async listDue(now: number, limit: number): Promise<ScheduledSource[]> {
    const rows = await this.db
      .selectFrom('dataset_sources')
      .selectAll()
      .where('enabled', '=', 1)
      .where((eb) => eb.or([eb('next_run_at', '<=', now), eb('next_commit_at', '<=', now)]))
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toSource);
  }

  async update(id: string, patch: SourcePatch, at: number): Promise<void> {
    const { enabled, ...rest } = patch;
    await this.db
      .updateTable('dataset_sources')
      .set({ ...rest, ...(enabled === undefined ? {} : { enabled: toFlag(enabled) }), updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async advanceRun(id: string, expected: number, next: number | null): Promise<boolean> {
    const r = await this.db.updateTable('dataset_sources').set({ next_run_at: next }).where('id', '=', id).where('next_run_at', '=', expected).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async advanceCommit(id: string, expected: number, next: number | null): Promise<boolean> {
    const r = await this.db.updateTable('dataset_sources').set({ next_commit_at: next }).where('id', '=', id).where('next_commit_at', '=', expected).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    await this.db.deleteFrom('dataset_source_runs').where('source_id', '=', id).where('project_id', '=', projectId).execute();
    const r = await this.db.deleteFrom('dataset_sources').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}
