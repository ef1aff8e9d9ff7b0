// MLflow's view of experiments and runs on Kysely: experiment lifecycle and tags, run lifecycle,
// run search one page at a time (keyset on the sort values, SQL built by run-search-sql.ts) and
// each page's params, tags and latest metrics (run_latest_metrics, kept on write).
import { sql, type Kysely, type Selectable } from 'kysely';
import { ValidationError } from '../../domain/errors.js';
import type { ExperimentPatch, MlflowTrackingRepository, RunState, TrackedRunPatch } from '../../domain/ports/mlflow-tracking-store.js';
import type { RunKeys, RunSearchPage, RunSearchQuery, SortKey } from '../../domain/run-search.js';
import type { MetricPoint, RunStatus } from '../../domain/tracking.js';
import type { ExperimentRecord, LifecycleStage, TrackedRun } from '../../domain/tracking-mlflow.js';
import type { Dialect } from './connect.js';
import { inChunks } from './in-chunks.js';
import { toMetricPoint } from './metric-writes.js';
import { toBool, toFlag, toNum, toNumOrNull } from './row-values.js';
import { afterCondition, orderBy, searchSql } from './run-search-sql.js';
import type { Database } from './schema.js';
import type { ExperimentsTable, RunsTable } from './schema-loop.js';
import { conflictsAs } from './unique-violation.js';

type ExperimentRow = Selectable<ExperimentsTable>;

/** A sort value as the cursor keeps it (int8 may come back as a string or bigint). */
const sortValue = (v: unknown): string | number => (typeof v === 'number' || typeof v === 'string' ? v : typeof v === 'bigint' ? Number(v) : Number(v ?? 0));
type RunRow = Selectable<RunsTable>;

const NAME_TAKEN = { name: 'an experiment with this name already exists in the project' };

export class KyselyMlflowTrackingRepository implements MlflowTrackingRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect = 'sqlite',
  ) {}

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

  async runState(projectId: string, id: string): Promise<RunState | undefined> {
    const row = await this.db
      .selectFrom('runs')
      .select(['id', 'project_id', 'experiment_id', 'status', 'lifecycle_stage'])
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { ...row, status: row.status as RunStatus, lifecycle_stage: row.lifecycle_stage as LifecycleStage } : undefined;
  }

  async searchRuns(q: RunSearchQuery): Promise<RunSearchPage> {
    if (q.experimentIds.length === 0 || q.stages.length === 0) return { runs: [] };
    const { segments } = searchSql(q, this.dialect);
    // Ids and sort values first (indexes alone for the common orders), then the page's rows.
    const found: Array<{ id: string; key: SortKey }> = [];
    if (segments === 0) {
      found.push(...(await this.pageOfIds(q, q.limit + 1, q.after)));
    } else {
      const from = q.after ? Number(q.after[0]) : 0;
      if (!Number.isInteger(from) || from < 0 || from >= segments) throw new ValidationError('the page token does not match the order of this search', { field: 'page_token' });
      for (let segment = from; segment < segments && found.length <= q.limit; segment++) {
        const after = segment === from && q.after ? q.after.slice(1) : undefined;
        const rows = await this.pageOfIds(q, q.limit + 1 - found.length, after, segment);
        found.push(...rows.map((r) => ({ id: r.id, key: [segment, ...r.key] })));
      }
    }
    const page = found.slice(0, q.limit);
    const ids = page.map((r) => r.id);
    const runs: TrackedRun[] = [];
    await inChunks(ids, async (slice) => {
      const rows = await this.db.selectFrom('runs').selectAll().where('id', 'in', slice).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      runs.push(...(await this.withDetails(slice.map((id) => byId.get(id)).filter((r): r is RunRow => r !== undefined))));
    });
    return found.length > q.limit ? { runs, next: page.at(-1)!.key } : { runs };
  }

  /** Up to `limit` ids in the search's order (within one segment of the first order term when given), with their sort values. */
  private async pageOfIds(q: RunSearchQuery, limit: number, after: SortKey | undefined, segment?: number): Promise<Array<{ id: string; key: SortKey }>> {
    const { joins, conditions, sort, metricLeads } = searchSql(q, this.dialect, segment);
    const where = [...this.scope(q, metricLeads), ...conditions, ...(after ? [afterCondition(sort, after)] : [])];
    const columns = sql.join(
      sort.map((s, i) => sql`${s.expr} AS ${sql.raw(`s${i}`)}`),
      sql`, `,
    );
    const found = await sql<Record<string, unknown>>`SELECT r.id AS id, ${columns} FROM runs r ${sql.join(joins, sql` `)} WHERE ${sql.join(where, sql` AND `)} ORDER BY ${orderBy(sort)} LIMIT ${limit}`.execute(this.db);
    return found.rows.map((r) => ({ id: String(r.id), key: sort.map((_, i) => sortValue(r[`s${i}`])) }));
  }

  async countRuns(q: Omit<RunSearchQuery, 'order' | 'limit' | 'after'>): Promise<number> {
    if (q.experimentIds.length === 0 || q.stages.length === 0) return 0;
    const { joins, conditions } = searchSql({ clauses: q.clauses, order: [], experimentIds: q.experimentIds }, this.dialect);
    // With a metric clause, counting walks that metric's index range: never more rows than all runs.
    const where = [...this.scope(q, q.clauses.some((c) => c.entity === 'metric')), ...conditions];
    const r = await sql<{ n: number | string }>`SELECT count(*) AS n FROM runs r ${sql.join(joins, sql` `)} WHERE ${sql.join(where, sql` AND `)}`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  async runKeys(projectId: string, experimentIds: string[], sample: number): Promise<RunKeys> {
    if (experimentIds.length === 0) return { metrics: [], params: [], tags: [] };
    const newest = this.db
      .selectFrom('runs')
      .select('id')
      .where('project_id', '=', projectId)
      .where('experiment_id', 'in', experimentIds)
      .orderBy('id', 'desc')
      .limit(sample);
    const [metrics, params, tags] = await Promise.all([
      this.db.selectFrom('run_latest_metrics').select('key').distinct().where('experiment_id', 'in', experimentIds).orderBy('key').limit(1000).execute(),
      this.db.selectFrom('run_params').select('key').distinct().where('run_id', 'in', newest).orderBy('key').limit(1000).execute(),
      this.db.selectFrom('run_tags').select('key').distinct().where('run_id', 'in', newest).orderBy('key').limit(1000).execute(),
    ]);
    return { metrics: metrics.map((r) => r.key), params: params.map((r) => r.key), tags: tags.map((r) => r.key) };
  }

  async metricHistories(runId: string, keys: string[]): Promise<MetricPoint[]> {
    const out: MetricPoint[] = [];
    await inChunks(keys, async (slice) => {
      const rows = await this.db
        .selectFrom('run_metrics')
        .select(['key', 'value', 'is_nan', 'step', 'timestamp'])
        .where('run_id', '=', runId)
        .where('key', 'in', slice)
        .orderBy('key')
        .orderBy('step')
        .orderBy('timestamp')
        .orderBy('value')
        .execute();
      for (const r of rows) out.push(toMetricPoint(r));
    });
    return out;
  }

  /**
   * The project, experiments and lifecycle stages a search covers. When a metric's order leads,
   * SQLite is kept from answering these through runs_experiment_start (a unary + makes a column
   * unindexable there), so it walks the metric's sort index and reads each run by its id.
   */
  private scope(q: Pick<RunSearchQuery, 'projectId' | 'experimentIds' | 'stages'>, metricLeads = false) {
    const col = (name: string) => (metricLeads && this.dialect === 'sqlite' ? sql`+${sql.ref(`r.${name}`)}` : sql.ref(`r.${name}`));
    return [sql`${col('project_id')} = ${q.projectId}`, sql`${col('experiment_id')} IN (${sql.join(q.experimentIds)})`, sql`${col('lifecycle_stage')} IN (${sql.join(q.stages)})`];
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

  /** Params, tags and each metric's latest point of at most CHUNK runs (three queries). */
  private async withDetails(rows: RunRow[]): Promise<TrackedRun[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [params, tags, metrics] = await Promise.all([
      this.db.selectFrom('run_params').select(['run_id', 'key', 'value']).where('run_id', 'in', ids).execute(),
      this.db.selectFrom('run_tags').select(['run_id', 'key', 'value']).where('run_id', 'in', ids).execute(),
      this.db.selectFrom('run_latest_metrics').select(['run_id', 'key', 'value', 'is_nan', 'step', 'timestamp']).where('run_id', 'in', ids).orderBy('key').execute(),
    ]);
    const kv = (list: Array<{ run_id: string; key: string; value: string }>) => {
      const out = new Map<string, Record<string, string>>();
      for (const x of list) {
        let o = out.get(x.run_id);
        if (!o) out.set(x.run_id, (o = {}));
        o[x.key] = x.value;
      }
      return out;
    };
    const p = kv(params);
    const t = kv(tags);
    const m = new Map<string, MetricPoint[]>();
    for (const x of metrics) {
      let list = m.get(x.run_id);
      if (!list) m.set(x.run_id, (list = []));
      list.push(toMetricPoint(x));
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
