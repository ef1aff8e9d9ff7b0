// Experiments and runs on Kysely: runs with their params, metric history and tags.
import type { Kysely, Selectable } from 'kysely';
import { newId } from '../../domain/ids.js';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';
import type { RunPatch, TrackingRepository } from '../../domain/ports/tracking-store.js';
import type { Experiment, GateReport, MetricPoint, Run, RunStatus } from '../../domain/tracking.js';
import { cursorKey, toPage } from './cursor.js';
import { toMetricPoint, writeMetricPoints } from './metric-writes.js';
import { toNum, toNumOrNull } from './row-values.js';
import type { Dialect } from './connect.js';
import type { Database } from './schema.js';
import type { RunsTable } from './schema-loop.js';
import { uniqueViolation } from './unique-violation.js';

type RunRow = Selectable<RunsTable>;

export class KyselyTrackingRepository implements TrackingRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect = 'sqlite',
  ) {}

  async ensureExperiment(projectId: string, name: string, at: number): Promise<Experiment> {
    const find = () => this.db.selectFrom('experiments').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
    const existing = await find();
    if (existing) return { ...existing, created_at: toNum(existing.created_at) };
    const experiment = { id: newId(), project_id: projectId, name, created_at: at };
    try {
      await this.db.insertInto('experiments').values(experiment).execute();
      return experiment;
    } catch (err) {
      if (uniqueViolation(err) === undefined) throw err;
      const raced = await find();
      return { ...raced!, created_at: toNum(raced!.created_at) };
    }
  }

  async createRun(run: Omit<Run, 'params' | 'metrics' | 'tags'>): Promise<void> {
    await this.db
      .insertInto('runs')
      .values({ ...run, spec: JSON.stringify(run.spec), gate: run.gate ? JSON.stringify(run.gate) : null })
      .execute();
  }

  async getRun(id: string): Promise<Run | undefined> {
    const row = await this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? (await this.withDetails([row]))[0] : undefined;
  }

  async listRuns(projectId: string, page: PageRequest, filter: { experimentId?: string } = {}): Promise<Page<Run>> {
    const limit = pageLimit(page.limit);
    const before = cursorKey(page);
    const rows = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('project_id', '=', projectId)
      .$if(filter.experimentId !== undefined, (q) => q.where('experiment_id', '=', filter.experimentId!))
      .$if(before !== undefined, (q) => q.where('id', '<', before!))
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    return toPage(await this.withDetails(rows), limit, (r) => r.id);
  }

  async updateRun(id: string, patch: RunPatch): Promise<void> {
    const { gate, ...rest } = patch;
    await this.db
      .updateTable('runs')
      .set({ ...rest, ...(gate !== undefined ? { gate: gate ? JSON.stringify(gate) : null } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async logParams(runId: string, params: Record<string, string>): Promise<void> {
    const rows = Object.entries(params).map(([key, value]) => ({ run_id: runId, key, value }));
    if (rows.length === 0) return;
    await this.db.insertInto('run_params').values(rows).onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))).execute();
  }

  async logMetrics(runId: string, points: MetricPoint[], experimentId?: string): Promise<void> {
    await writeMetricPoints(this.db, this.dialect, runId, points, experimentId);
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    const rows = Object.entries(tags).map(([key, value]) => ({ run_id: runId, key, value }));
    if (rows.length === 0) return;
    await this.db.insertInto('run_tags').values(rows).onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))).execute();
  }

  async metricHistory(runId: string, key: string): Promise<MetricPoint[]> {
    const rows = await this.db
      .selectFrom('run_metrics')
      .select(['key', 'value', 'is_nan', 'step', 'timestamp'])
      .where('run_id', '=', runId)
      .where('key', '=', key)
      .orderBy('step')
      .orderBy('timestamp')
      .orderBy('value')
      .execute();
    return rows.map(toMetricPoint);
  }

  /** Attach params, latest metrics (finite values; NaN stays in the history) and tags to run rows (three queries for the whole page). */
  private async withDetails(rows: RunRow[]): Promise<Run[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [params, metrics, tags] = await Promise.all([
      this.db.selectFrom('run_params').selectAll().where('run_id', 'in', ids).execute(),
      this.db.selectFrom('run_latest_metrics').select(['run_id', 'key', 'value']).where('run_id', 'in', ids).where('is_nan', '=', 0).execute(),
      this.db.selectFrom('run_tags').selectAll().where('run_id', 'in', ids).execute(),
    ]);
    const group = <T extends { run_id: string }>(list: T[], value: (x: T) => string | number) => {
      const out = new Map<string, Record<string, any>>();
      for (const x of list) {
        const m = out.get(x.run_id) ?? {};
        m[(x as unknown as { key: string }).key] = value(x);
        out.set(x.run_id, m);
      }
      return out;
    };
    const p = group(params, (x) => x.value);
    const m = group(
      metrics.filter((x) => Number.isFinite(Number(x.value))),
      (x) => Number(x.value),
    );
    const t = group(tags, (x) => x.value);
    return rows.map((r) => ({
      id: r.id,
      project_id: r.project_id,
      experiment_id: r.experiment_id,
      name: r.name,
      status: r.status as RunStatus,
      spec: JSON.parse(r.spec) as Record<string, unknown>,
      dataset_version_id: r.dataset_version_id,
      seed: toNumOrNull(r.seed),
      code_version: r.code_version,
      job_id: r.job_id,
      model_artifact_sha256: r.model_artifact_sha256,
      model_version_id: r.model_version_id,
      gate: r.gate ? (JSON.parse(r.gate) as GateReport) : null,
      error: r.error,
      params: p.get(r.id) ?? {},
      metrics: m.get(r.id) ?? {},
      tags: t.get(r.id) ?? {},
      created_by: r.created_by,
      created_at: toNum(r.created_at),
      start_time: toNumOrNull(r.start_time),
      end_time: toNumOrNull(r.end_time),
    }));
  }
}
