// MLflow's view of experiments and runs on Kysely: experiment lifecycle and tags, run lifecycle,
// and run listings with params, tags and each metric's latest point (one window query).
import type { Kysely, Selectable } from 'kysely';
import type { ExperimentPatch, MlflowTrackingRepository, TrackedRunPatch } from '../../domain/ports/mlflow-tracking-store.js';
import type { MetricPoint, RunStatus } from '../../domain/tracking.js';
import type { ExperimentRecord, LifecycleStage, TrackedRun } from '../../domain/tracking-mlflow.js';
import { inChunks } from './in-chunks.js';
import { toBool, toFlag, toNum, toNumOrNull } from './row-values.js';
import type { Database } from './schema.js';
import type { ExperimentsTable, RunsTable } from './schema-loop.js';
import { conflictsAs } from './unique-violation.js';

type ExperimentRow = Selectable<ExperimentsTable>;
type RunRow = Selectable<RunsTable>;

const NAME_TAKEN = { name: 'an experiment with this name already exists in the project' };

export class KyselyMlflowTrackingRepository implements MlflowTrackingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async createExperiment(e: Omit<ExperimentRecord, 'tags'>, tags: Record<string, string>): Promise<void> {
    await conflictsAs(
      () => this.db.insertInto('experiments').values({ ...e, is_default: toFlag(e.is_default) }).execute(),
      NAME_TAKEN,
    );
    await this.setExperimentTags(e.id, tags);
  }

  async getExperiment(projectId: string, id: string): Promise<ExperimentRecord | undefined> {
    const row = await this.experiments(projectId).where('id', '=', id).executeTakeFirst();
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  async getExperimentByName(projectId: string, name: string): Promise<ExperimentRecord | undefined> {
    const row = await this.experiments(projectId).where('name', '=', name).executeTakeFirst();
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  async getDefaultExperiment(projectId: string): Promise<ExperimentRecord | undefined> {
    const row = await this.experiments(projectId).where('is_default', '=', 1).orderBy('id').executeTakeFirst();
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  async markDefault(experimentId: string): Promise<void> {
    await this.db.updateTable('experiments').set({ is_default: 1 }).where('id', '=', experimentId).execute();
  }

  async listExperiments(projectId: string): Promise<ExperimentRecord[]> {
    return this.withTags(await this.experiments(projectId).orderBy('id').execute());
  }

  async updateExperiment(id: string, patch: ExperimentPatch): Promise<void> {
    await conflictsAs(() => this.db.updateTable('experiments').set(patch).where('id', '=', id).execute(), NAME_TAKEN);
  }

  async setExperimentTags(id: string, tags: Record<string, string>): Promise<void> {
    const rows = Object.entries(tags).map(([key, value]) => ({ experiment_id: id, key, value }));
    if (rows.length === 0) return;
    await this.db
      .insertInto('experiment_tags')
      .values(rows)
      .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  }

  async getRun(projectId: string, id: string): Promise<TrackedRun | undefined> {
    const row = await this.db.selectFrom('runs').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    return row ? (await this.withDetails([row]))[0] : undefined;
  }

  async listRuns(projectId: string, experimentIds: string[], stages: LifecycleStage[]): Promise<TrackedRun[]> {
    if (experimentIds.length === 0 || stages.length === 0) return [];
    const rows: RunRow[] = [];
    await inChunks(experimentIds, async (ids) => {
      rows.push(
        ...(await this.db
          .selectFrom('runs')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('experiment_id', 'in', ids)
          .where('lifecycle_stage', 'in', stages)
          .execute()),
      );
    });
    rows.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const out: TrackedRun[] = [];
    await inChunks(rows, async (slice) => {
      out.push(...(await this.withDetails(slice)));
    });
    return out;
  }

  async updateRun(id: string, patch: TrackedRunPatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('runs').set(patch).where('id', '=', id).execute();
  }

  async setRunsLifecycle(experimentId: string, stage: LifecycleStage): Promise<void> {
    await this.db.updateTable('runs').set({ lifecycle_stage: stage }).where('experiment_id', '=', experimentId).execute();
  }

  async paramsOf(runId: string, keys: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    await inChunks(keys, async (slice) => {
      const rows = await this.db.selectFrom('run_params').select(['key', 'value']).where('run_id', '=', runId).where('key', 'in', slice).execute();
      for (const r of rows) out[r.key] = r.value;
    });
    return out;
  }

  async deleteTag(runId: string, key: string): Promise<boolean> {
    const r = await this.db.deleteFrom('run_tags').where('run_id', '=', runId).where('key', '=', key).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  private experiments(projectId: string) {
    return this.db.selectFrom('experiments').selectAll().where('project_id', '=', projectId);
  }

  private async withTags(rows: ExperimentRow[]): Promise<ExperimentRecord[]> {
    const tags = new Map<string, Record<string, string>>();
    await inChunks(rows, async (slice) => {
      const found = await this.db.selectFrom('experiment_tags').selectAll().where('experiment_id', 'in', slice.map((r) => r.id)).execute();
      for (const t of found) tags.set(t.experiment_id, { ...tags.get(t.experiment_id), [t.key]: t.value });
    });
    return rows.map((r) => ({
      id: r.id,
      project_id: r.project_id,
      name: r.name,
      lifecycle_stage: r.lifecycle_stage as LifecycleStage,
      artifact_location: r.artifact_location,
      is_default: toBool(r.is_default),
      created_at: toNum(r.created_at),
      last_update_time: toNumOrNull(r.last_update_time) ?? toNum(r.created_at),
      tags: tags.get(r.id) ?? {},
    }));
  }

  /** Params, tags and each metric's latest point for at most CHUNK runs (three queries). */
  private async withDetails(rows: RunRow[]): Promise<TrackedRun[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const latest = this.db
      .selectFrom('run_metrics')
      .select((eb) => [
        'run_id',
        'key',
        'value',
        'step',
        'timestamp',
        eb.fn.agg<number>('row_number').over((ob) => ob.partitionBy(['run_id', 'key']).orderBy('step', 'desc').orderBy('timestamp', 'desc').orderBy('value', 'desc')).as('rn'),
      ])
      .where('run_id', 'in', ids)
      .as('m');
    const [params, tags, metrics] = await Promise.all([
      this.db.selectFrom('run_params').selectAll().where('run_id', 'in', ids).execute(),
      this.db.selectFrom('run_tags').selectAll().where('run_id', 'in', ids).execute(),
      this.db.selectFrom(latest).select(['m.run_id', 'm.key', 'm.value', 'm.step', 'm.timestamp']).where('m.rn', '=', 1).orderBy('m.key').execute(),
    ]);
    const kv = (list: Array<{ run_id: string; key: string; value: string }>) => {
      const out = new Map<string, Record<string, string>>();
      for (const x of list) out.set(x.run_id, { ...out.get(x.run_id), [x.key]: x.value });
      return out;
    };
    const p = kv(params);
    const t = kv(tags);
    const m = new Map<string, MetricPoint[]>();
    for (const x of metrics) {
      const list = m.get(x.run_id) ?? [];
      list.push({ key: x.key, value: Number(x.value), step: toNum(x.step), timestamp: toNum(x.timestamp) });
      m.set(x.run_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      project_id: r.project_id,
      experiment_id: r.experiment_id,
      name: r.name,
      status: r.status as RunStatus,
      user_id: r.user_id,
      lifecycle_stage: r.lifecycle_stage as LifecycleStage,
      created_at: toNum(r.created_at),
      start_time: toNumOrNull(r.start_time),
      end_time: toNumOrNull(r.end_time),
      params: p.get(r.id) ?? {},
      tags: t.get(r.id) ?? {},
      metrics: m.get(r.id) ?? [],
    }));
  }
}
