// Dataset versions on Kysely: immutable rows whose manifest parts are JSON text; newest first.
import type { Kysely, Selectable } from 'kysely';
import type { DatasetVersion, DatasetVersionSummary } from '../../domain/datasets.js';
import { ValidationError } from '../../domain/errors.js';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';
import type { DatasetVersionRepository } from '../../domain/ports/dataset-store.js';
import { encodeCursor } from './cursor.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { DatasetVersionsTable } from './schema-datasets.js';
import { conflictsAs } from './unique-violation.js';

const SUMMARY_COLUMNS = [
  'id',
  'project_id',
  'dataset_id',
  'version',
  'parent_version_id',
  'files',
  'quarantine_file',
  'report',
  'source',
  'created_by',
  'created_at',
] as const;

type SummaryRow = Pick<Selectable<DatasetVersionsTable>, (typeof SUMMARY_COLUMNS)[number]>;

const toSummary = (r: SummaryRow): DatasetVersionSummary => ({
  id: r.id,
  project_id: r.project_id,
  dataset_id: r.dataset_id,
  version: toNum(r.version),
  parent_version_id: r.parent_version_id,
  files: JSON.parse(r.files),
  quarantine_file: r.quarantine_file === null ? null : JSON.parse(r.quarantine_file),
  report: JSON.parse(r.report),
  source: JSON.parse(r.source),
  created_by: r.created_by,
  created_at: toNum(r.created_at),
});

const toVersion = (r: Selectable<DatasetVersionsTable>): DatasetVersion => ({
  ...toSummary(r),
  schema: JSON.parse(r.schema),
  profile: JSON.parse(r.profile),
  rules: r.rules === null ? null : JSON.parse(r.rules),
});

/** The version number after which a newest-first page starts. */
function cursorVersion(page: PageRequest): number | undefined {
  if (!page.cursor) return undefined;
  const n = Number(Buffer.from(page.cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(n) || n < 1 || encodeCursor(n) !== page.cursor) throw new ValidationError('invalid page cursor', { field: 'cursor' });
  return n;
}

export class KyselyDatasetVersionRepository implements DatasetVersionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(v: DatasetVersion): Promise<void> {
    const row: DatasetVersionsTable = {
      ...v,
      files: JSON.stringify(v.files),
      quarantine_file: v.quarantine_file === null ? null : JSON.stringify(v.quarantine_file),
      schema: JSON.stringify(v.schema),
      profile: JSON.stringify(v.profile),
      report: JSON.stringify(v.report),
      rules: v.rules === null ? null : JSON.stringify(v.rules),
      source: JSON.stringify(v.source),
    };
    await conflictsAs(() => this.db.insertInto('dataset_versions').values(row).execute(), {
      version: `version ${v.version} of this dataset already exists (another ingest finished first; retry)`,
      dataset_id: `version ${v.version} of this dataset already exists (another ingest finished first; retry)`,
    });
  }

  async getById(projectId: string, id: string): Promise<DatasetVersion | undefined> {
    const row = await this.db.selectFrom('dataset_versions').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    return row && toVersion(row);
  }

  async get(datasetId: string, version: number): Promise<DatasetVersion | undefined> {
    const row = await this.db.selectFrom('dataset_versions').selectAll().where('dataset_id', '=', datasetId).where('version', '=', version).executeTakeFirst();
    return row && toVersion(row);
  }

  async list(datasetId: string, page: PageRequest): Promise<Page<DatasetVersionSummary>> {
    const limit = pageLimit(page.limit);
    const before = cursorVersion(page);
    const rows = await this.db
      .selectFrom('dataset_versions')
      .select(SUMMARY_COLUMNS)
      .where('dataset_id', '=', datasetId)
      .$if(before !== undefined, (q) => q.where('version', '<', before!))
      .orderBy('version', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.map(toSummary);
    if (items.length <= limit) return { items, next_cursor: null };
    const kept = items.slice(0, limit);
    return { items: kept, next_cursor: encodeCursor(kept[limit - 1].version) };
  }
}
