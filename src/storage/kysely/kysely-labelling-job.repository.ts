// Labelling jobs on Kysely: unique names per project; the label configuration and the source
// are JSON; task and label counts are one row per job, kept by triggers (migration 0021).
import type { Kysely, Selectable } from 'kysely';
import type { AutoLabelSettings, JobModelRef, LabelConfig, LabellingJob, LabellingJobCounts, LabellingJobStatus, LabellingKind, LabellingSource } from '../../domain/annotation.js';
import { type Page, type PageRequest } from '../../domain/pagination.js';
import type { JobSettingsPatch, LabellingJobRepository } from '../../domain/ports/annotation-store.js';
import { pageById } from './cursor.js';
import { inChunks } from './in-chunks.js';
import { toBool, toFlag, toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { LabellingJobsTable } from './schema-annotation.js';
import { conflictsAs } from './unique-violation.js';

const toJob = (r: Selectable<LabellingJobsTable>): LabellingJob => ({
  id: r.id,
  project_id: r.project_id,
  name: r.name,
  kind: r.kind as LabellingKind,
  label_config: JSON.parse(r.label_config) as LabelConfig,
  overlap: toNum(r.overlap),
  source: JSON.parse(r.source) as LabellingSource,
  status: r.status as LabellingJobStatus,
  created_by: r.created_by,
  created_at: toNum(r.created_at),
  gold_rate: Number(r.gold_rate),
  dispute_below: Number(r.dispute_below),
  lease_seconds: toNum(r.lease_seconds),
  model: r.model === null ? null : (JSON.parse(r.model) as JobModelRef),
  show_suggestions: toBool(r.show_suggestions),
  auto_label: r.auto_label === null ? null : (JSON.parse(r.auto_label) as AutoLabelSettings),
});

const jsonOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/** The settings columns of a patch (fields left out are left out). */
function settingsRow(p: JobSettingsPatch) {
  return {
    ...(p.lease_seconds !== undefined ? { lease_seconds: p.lease_seconds } : {}),
    ...(p.model !== undefined ? { model: jsonOrNull(p.model) } : {}),
    ...(p.show_suggestions !== undefined ? { show_suggestions: toFlag(p.show_suggestions) } : {}),
    ...(p.auto_label !== undefined ? { auto_label: jsonOrNull(p.auto_label) } : {}),
  };
}

export class KyselyLabellingJobRepository implements LabellingJobRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(job: LabellingJob): Promise<void> {
    const { lease_seconds, model, show_suggestions, auto_label, ...rest } = job;
    await conflictsAs(
      () =>
        this.db
          .insertInto('labelling_jobs')
          .values({
            ...rest,
            label_config: JSON.stringify(job.label_config),
            source: JSON.stringify(job.source),
            ...settingsRow({ lease_seconds, model: model ?? null, show_suggestions, auto_label: auto_label ?? null }),
          })
          .execute(),
      { name: `a labelling job named '${job.name}' already exists in this project`, id: `a labelling job with id '${job.id}' already exists` },
    );
  }

  async get(projectId: string, id: string): Promise<LabellingJob | undefined> {
    const row = await this.db.selectFrom('labelling_jobs').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    return row && toJob(row);
  }

  async getByName(projectId: string, name: string): Promise<LabellingJob | undefined> {
    const row = await this.db.selectFrom('labelling_jobs').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
    return row && toJob(row);
  }

  async list(projectId: string, page: PageRequest): Promise<Page<LabellingJob>> {
    return pageById(
      this.db
        .selectFrom('labelling_jobs')
        .selectAll()
        .where('project_id', '=', projectId),
      page,
      toJob,
      'asc',
    );
  }

  async counts(jobIds: string[]): Promise<Map<string, LabellingJobCounts>> {
    const out = new Map<string, LabellingJobCounts>(jobIds.map((id) => [id, { tasks: 0, open: 0, resolved: 0, labels: 0 }]));
    await inChunks(jobIds, async (ids) => {
      // One row per job, kept by the triggers of migration 0021 (gold tasks left out).
      const rows = await this.db.selectFrom('labelling_job_counts').select(['job_id', 'tasks', 'open_tasks', 'resolved_tasks', 'labels']).where('job_id', 'in', ids).execute();
      for (const r of rows) out.set(r.job_id, { tasks: Number(r.tasks), open: Number(r.open_tasks), resolved: Number(r.resolved_tasks), labels: Number(r.labels) });
    });
    return out;
  }

  async updateSettings(projectId: string, jobId: string, patch: JobSettingsPatch): Promise<boolean> {
    const row = settingsRow(patch);
    if (Object.keys(row).length === 0) return (await this.get(projectId, jobId)) !== undefined;
    const r = await this.db.updateTable('labelling_jobs').set(row).where('project_id', '=', projectId).where('id', '=', jobId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
