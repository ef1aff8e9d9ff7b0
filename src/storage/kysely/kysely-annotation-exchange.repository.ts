// Annotation exchange on Kysely: outside annotators, imported tasks' original JSON and imported
// labels' provenance (JSON kept as text).
import type { Kysely, Selectable } from 'kysely';
import type { ExchangeTask, ExternalAnnotator, LabelProvenance } from '../../domain/annotation-exchange.js';
import type { AnnotationExchangeRepository } from '../../domain/ports/annotation-exchange-store.js';
import { inChunks } from './in-chunks.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { ExchangeTasksTable, LabelProvenanceTable } from './schema-annotation-exchange.js';
import { conflictsAs } from './unique-violation.js';

const toTask = (r: Selectable<ExchangeTasksTable>): ExchangeTask => ({ ...r, original: JSON.parse(r.original) as Record<string, unknown> });
const toProvenance = ({ format, ...r }: Selectable<LabelProvenanceTable>): LabelProvenance => ({
  ...r,
  original: JSON.parse(r.original) as Record<string, unknown>,
  imported_at: toNum(r.imported_at),
  ...(format === 'jsonl' || format === 'csv' ? { format } : {}),
});

export class KyselyAnnotationExchangeRepository implements AnnotationExchangeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async createAnnotator(a: ExternalAnnotator): Promise<void> {
    const taken = `annotator '${a.external_id}' of provider '${a.provider}' is already known in this project`;
    await conflictsAs(() => this.db.insertInto('external_annotators').values(a).execute(), { provider: taken, external_id: taken, project_id: taken });
  }

  async getAnnotator(projectId: string, provider: string, externalId: string): Promise<ExternalAnnotator | undefined> {
    const r = await this.db
      .selectFrom('external_annotators')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('provider', '=', provider)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return r && { ...r, created_at: toNum(r.created_at) };
  }

  async createTask(t: ExchangeTask): Promise<void> {
    await this.db.insertInto('exchange_tasks').values({ ...t, original: JSON.stringify(t.original) }).execute();
  }

  async taskByExternalId(jobId: string, externalId: string): Promise<ExchangeTask | undefined> {
    const r = await this.db.selectFrom('exchange_tasks').selectAll().where('job_id', '=', jobId).where('external_id', '=', externalId).orderBy('task_id').executeTakeFirst();
    return r && toTask(r);
  }

  async tasks(taskIds: string[]): Promise<ExchangeTask[]> {
    const out: ExchangeTask[] = [];
    await inChunks(taskIds, async (ids) => {
      for (const r of await this.db.selectFrom('exchange_tasks').selectAll().where('task_id', 'in', ids).execute()) out.push(toTask(r));
    });
    return out;
  }

  async createProvenance(p: LabelProvenance): Promise<void> {
    await this.db.insertInto('label_provenance').values({ ...p, original: JSON.stringify(p.original), format: p.format ?? 'label-studio' }).execute();
  }

  async provenance(labelIds: string[]): Promise<LabelProvenance[]> {
    const out: LabelProvenance[] = [];
    await inChunks(labelIds, async (ids) => {
      for (const r of await this.db.selectFrom('label_provenance').selectAll().where('label_id', 'in', ids).execute()) out.push(toProvenance(r));
    });
    return out;
  }

  async hasAnnotation(taskId: string, provider: string, externalId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('label_provenance')
      .select('label_id')
      .where('task_id', '=', taskId)
      .where('provider', '=', provider)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return r !== undefined;
  }
}
