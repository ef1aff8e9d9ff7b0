// Re-admitted quarantine lines on Kysely: one row per (origin version, line), so the primary key
// refuses a line re-admitted twice; the version each went into.
import type { Kysely, Selectable } from 'kysely';
import type { ReadmitMark } from '../../domain/dataset-curation.js';
import type { DatasetReadmitRepository } from '../../domain/ports/dataset-curation-store.js';
import { inChunks } from './in-chunks.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { DatasetReadmitsTable } from './schema-dataset-curation.js';
import { conflictsAs } from './unique-violation.js';

const toMark = (r: Selectable<DatasetReadmitsTable>): ReadmitMark => ({
  project_id: r.project_id,
  dataset_id: r.dataset_id,
  origin_version_id: r.origin_version_id,
  line: toNum(r.line),
  rule: r.rule,
  version_id: r.version_id,
  version: toNum(r.version),
  created_by: r.created_by,
  created_at: toNum(r.created_at),
});

export class KyselyDatasetReadmitRepository implements DatasetReadmitRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async createMany(marks: ReadmitMark[]): Promise<void> {
    const message = 'a line of this quarantine was re-admitted already';
    await inChunks(marks, async (slice) => {
      await conflictsAs(() => this.db.insertInto('dataset_readmits').values(slice).execute(), { line: message });
    });
  }

  async getLines(originVersionId: string, lines: number[]): Promise<ReadmitMark[]> {
    const found: ReadmitMark[] = [];
    await inChunks(lines, async (slice) => {
      const rows = await this.db.selectFrom('dataset_readmits').selectAll().where('origin_version_id', '=', originVersionId).where('line', 'in', slice).execute();
      found.push(...rows.map(toMark));
    });
    return found.sort((a, b) => a.line - b.line);
  }

  async countByRule(originVersionId: string): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('dataset_readmits')
      .select(['rule', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('origin_version_id', '=', originVersionId)
      .groupBy('rule')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.rule, Number(r.n)]));
  }

  async linesOf(versionId: string): Promise<{ origin_version_id: string; lines: number[] } | undefined> {
    const rows = await this.db.selectFrom('dataset_readmits').select(['origin_version_id', 'line']).where('version_id', '=', versionId).orderBy('line').execute();
    if (rows.length === 0) return undefined;
    return { origin_version_id: rows[0].origin_version_id, lines: rows.map((r) => toNum(r.line)) };
  }

  async intoVersions(originVersionId: string): Promise<Array<{ version_id: string; version: number; rows: number }>> {
    const rows = await this.db
      .selectFrom('dataset_readmits')
      .select(['version_id', 'version', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('origin_version_id', '=', originVersionId)
      .groupBy(['version_id', 'version'])
      .orderBy('version')
      .execute();
    return rows.map((r) => ({ version_id: r.version_id, version: toNum(r.version), rows: Number(r.n) }));
  }
}
