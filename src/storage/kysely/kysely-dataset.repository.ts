// Datasets on Kysely: unique names per project; lists carry a summary of the newest version.
import type { Kysely, Selectable } from 'kysely';
import type { Dataset, IngestReport } from '../../domain/datasets.js';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';
import type { DatasetListItem, DatasetRepository } from '../../domain/ports/dataset-store.js';
import { cursorKey, toPage } from './cursor.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { DatasetsTable } from './schema-datasets.js';
import { conflictsAs } from './unique-violation.js';

/** A dataset row as the domain's Dataset. */
export const toDataset = (r: Selectable<DatasetsTable>): Dataset => ({
  id: r.id,
  project_id: r.project_id,
  name: r.name,
  description: r.description,
  created_by: r.created_by,
  created_at: toNum(r.created_at),
  latest_version: toNum(r.latest_version),
  updated_at: toNum(r.updated_at),
});

export class KyselyDatasetRepository implements DatasetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(dataset: Dataset): Promise<void> {
    await conflictsAs(() => this.db.insertInto('datasets').values(dataset).execute(), {
      name: `a dataset named '${dataset.name}' already exists in this project`,
      project_id: `a dataset named '${dataset.name}' already exists in this project`,
      id: `a dataset with id '${dataset.id}' already exists`,
    });
  }

  async getById(projectId: string, id: string): Promise<Dataset | undefined> {
    const row = await this.db.selectFrom('datasets').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    return row && toDataset(row);
  }

  async getByName(projectId: string, name: string): Promise<Dataset | undefined> {
    const row = await this.db.selectFrom('datasets').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
    return row && toDataset(row);
  }

  async list(projectId: string, page: PageRequest): Promise<Page<DatasetListItem>> {
    const limit = pageLimit(page.limit);
    const after = cursorKey(page);
    const rows = await this.db
      .selectFrom('datasets as d')
      .leftJoin('dataset_versions as v', (j) => j.onRef('v.dataset_id', '=', 'd.id').onRef('v.version', '=', 'd.latest_version'))
      .selectAll('d')
      .select(['v.id as v_id', 'v.version as v_version', 'v.report as v_report', 'v.created_at as v_created_at'])
      .where('d.project_id', '=', projectId)
      .$if(after !== undefined, (q) => q.where('d.id', '>', after!))
      .orderBy('d.id')
      .limit(limit + 1)
      .execute();
    const items = rows.map(
      (r): DatasetListItem => ({
        ...toDataset(r),
        latest:
          r.v_id === null
            ? null
            : { id: r.v_id, version: toNum(r.v_version!), report: JSON.parse(r.v_report!) as IngestReport, created_at: toNum(r.v_created_at!) },
      }),
    );
    return toPage(items, limit, (d) => d.id);
  }

  async advance(id: string, expected: number, version: number, at: number): Promise<boolean> {
    const res = await this.db
      .updateTable('datasets')
      .set({ latest_version: version, updated_at: at })
      .where('id', '=', id)
      .where('latest_version', '=', expected)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}
