// Experiment tracking as MLflow clients use it: experiments (with MLflow's default "0" created
// per project on first use), runs and what they log, and search. Every write is one audited
// operation per request (a log-batch of 1000 metrics is one event and one multi-row insert).
import type { Clock } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import type { RunState } from '../../domain/ports/mlflow-tracking-store.js';
import { codeVersionOf, CONTEXT_TAGS, contextTags, runContextOf, type HostContext, type RunContext } from '../../domain/run-context.js';
import { MLFLOW_STATUS, type RunKeys, type RunSearchQuery } from '../../domain/run-search.js';
import type { MetricPoint, RunStatus } from '../../domain/tracking.js';
import type { ExperimentRecord, LifecycleStage, TrackedRun } from '../../domain/tracking-mlflow.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import { dataVersionHash } from './data-version-hash.js';
import { pageOf } from './page-token.js';
import { decodeRunCursor, encodeRunCursor, searchFingerprint } from './run-cursor.js';
import { runClauses, runOrder } from './run-query.js';
import { comparator, matches, parseFilter, parseOrderBy, type Entity, type Lookup } from './search-filter.js';
import { checkBatchLimits, checkKey, checkMaxResults, checkMetricPoint, checkParamKeysUnique, checkValue, storedMetricValue } from './tracking-limits.js';

/** MLflow's id of the default experiment. */
export const DEFAULT_EXPERIMENT_ID = '0';
export const DEFAULT_EXPERIMENT_NAME = 'Default';

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface Batch {
  metrics: MetricPoint[];
  params: Array<{ key: string; value: string }>;
  tags: Array<{ key: string; value: string }>;
}

export interface SearchRunsInput {
  experiment_ids: string[];
  filter?: string;
  view_type: ViewType;
  max_results: number;
  order_by?: string[];
  page_token?: string;
}

/** The runs list of the UI: one experiment's runs, a page at a time. */
export interface ListRunsInput {
  filter?: string;
  order_by?: string;
  view: ViewType;
  limit: number;
  cursor?: string;
  /** Also count the matching runs (first pages). */
  count?: boolean;
}

export interface SearchExperimentsInput {
  filter?: string;
  view_type: ViewType;
  max_results: number;
  order_by?: string[];
  page_token?: string;
}

export interface TrackingDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
}

const stagesOf = (view: ViewType): LifecycleStage[] => (view === 'ALL' ? ['active', 'deleted'] : view === 'DELETED_ONLY' ? ['deleted'] : ['active']);

export class TrackingService {
  constructor(private readonly deps: TrackingDeps) {}

  // ——— experiments ———

  async createExperiment(ctx: CallContext, access: ProjectAccess, input: { name: string; artifact_location?: string; tags: Array<{ key: string; value: string }> }): Promise<ExperimentRecord> {
    const name = input.name.trim();
    if (!name) throw new ValidationError('experiment name must be a non-empty string', { field: 'name' });
    for (const t of input.tags) checkKey('tag', t.key), checkValue('tag', t.value);
    const now = this.deps.clock.now();
    const id = newId();
    return this.deps.ops.run(ctx, { action: 'experiment.create', project_id: access.project.id, target_ids: { experiment: id }, details: { name } }, async (tx) => {
      const record = { id, project_id: access.project.id, name, lifecycle_stage: 'active' as const, artifact_location: input.artifact_location || null, is_default: false, created_at: now, last_update_time: now };
      await tx.mlflowTracking.createExperiment(record, Object.fromEntries(input.tags.map((t) => [t.key, t.value])));
      return (await tx.mlflowTracking.getExperiment(access.project.id, id))!;
    });
  }

  /** By id; "0" is the project's default experiment, created on first use. Deleted ones included. */
  async getExperiment(access: ProjectAccess, id: string, repos: Repositories = this.deps.store): Promise<ExperimentRecord> {
    if (id === DEFAULT_EXPERIMENT_ID) return this.defaultExperiment(access.project.id, repos);
    const found = await repos.mlflowTracking.getExperiment(access.project.id, id);
    if (!found) throw new NotFoundError('experiment', id);
    return found;
  }

  async getExperimentByName(access: ProjectAccess, name: string): Promise<ExperimentRecord> {
    if (name === DEFAULT_EXPERIMENT_NAME) await this.defaultExperiment(access.project.id, this.deps.store);
    const found = await this.deps.store.mlflowTracking.getExperimentByName(access.project.id, name);
    if (!found) throw new NotFoundError('experiment', name);
    return found;
  }

  /** The project's experiments in these stages, oldest first (listing creates nothing, not even MLflow's default one). */
  async listExperiments(access: ProjectAccess, view: ViewType): Promise<ExperimentRecord[]> {
    const stages = stagesOf(view);
    return (await this.deps.store.mlflowTracking.listExperiments(access.project.id)).filter((e) => stages.includes(e.lifecycle_stage));
  }

  async searchExperiments(access: ProjectAccess, input: SearchExperimentsInput): Promise<{ items: ExperimentRecord[]; next_page_token?: string }> {
    checkMaxResults(input.max_results);
    const clauses = parseFilter(input.filter);
    const order = parseOrderBy(input.order_by);
    await this.defaultExperiment(access.project.id, this.deps.store);
    const stages = stagesOf(input.view_type);
    const all = (await this.deps.store.mlflowTracking.listExperiments(access.project.id)).filter((e) => stages.includes(e.lifecycle_stage));
    const lookup = (e: ExperimentRecord): Lookup => (entity, key) => {
      if (entity === 'tag') return e.tags[key];
      if (entity !== 'attribute') return undefined;
      const attrs: Record<string, string | number> = { name: e.name, experiment_id: e.id, creation_time: e.created_at, last_update_time: e.last_update_time };
      return attrs[key];
    };
    for (const c of clauses) if (c.entity === 'metric' || c.entity === 'param') throw new ValidationError(`experiments can be filtered by name, tags and times, not ${c.entity}s`, { field: 'filter' });
    const found = all.filter((e) => matches(clauses, lookup(e)));
    const terms = [...order, { entity: 'attribute' as Entity, key: 'creation_time', ascending: false }, { entity: 'attribute' as Entity, key: 'experiment_id', ascending: true }];
    found.sort(comparator(terms, lookup));
    return pageOf(found, input.max_results, input.page_token);
  }

  async updateExperiment(ctx: CallContext, access: ProjectAccess, id: string, newName: string): Promise<void> {
    const name = newName.trim();
    if (!name) throw new ValidationError('new_name must be a non-empty string', { field: 'new_name' });
    await this.deps.ops.run(ctx, { action: 'experiment.update', project_id: access.project.id, details: { new_name: name } }, async (tx, ev) => {
      const e = await this.getExperiment(access, id, tx);
      ev.target_ids = { experiment: e.id };
      if (e.lifecycle_stage !== 'active') throw new ValidationError(`experiment '${id}' is deleted; restore it before renaming it`, { field: 'experiment_id' });
      await tx.mlflowTracking.updateExperiment(e.id, { name, last_update_time: this.deps.clock.now() });
    });
  }

  async setExperimentLifecycle(ctx: CallContext, access: ProjectAccess, id: string, stage: LifecycleStage): Promise<void> {
    const action = stage === 'deleted' ? 'experiment.delete' : 'experiment.restore';
    await this.deps.ops.run(ctx, { action, project_id: access.project.id }, async (tx, ev) => {
      const e = await this.getExperiment(access, id, tx);
      ev.target_ids = { experiment: e.id };
      if (stage === 'deleted' && e.is_default) throw new ValidationError('the default experiment (id 0) cannot be deleted', { field: 'experiment_id' });
      await tx.mlflowTracking.updateExperiment(e.id, { lifecycle_stage: stage, last_update_time: this.deps.clock.now() });
      await tx.mlflowTracking.setRunsLifecycle(e.id, stage);
    });
  }

  // ——— runs ———

  async createRun(
    ctx: CallContext,
    access: ProjectAccess,
    input: { experiment_id: string; user_id?: string; run_name?: string; start_time?: number; tags: Array<{ key: string; value: string }> },
  ): Promise<TrackedRun> {
    for (const t of input.tags) checkKey('tag', t.key), checkValue('tag', t.value);
    const now = this.deps.clock.now();
    const id = newId();
    const tags = Object.fromEntries(input.tags.map((t) => [t.key, t.value]));
    const name = input.run_name || tags['mlflow.runName'] || `run-${id.slice(-8)}`;
    tags['mlflow.runName'] = name;
    if (input.user_id) tags['mlflow.user'] ??= input.user_id;
    return this.deps.ops.run(ctx, { action: 'run.create', project_id: access.project.id, target_ids: { run: id }, details: { source: 'mlflow', name } }, async (tx, ev) => {
      const e = await this.getExperiment(access, input.experiment_id, tx);
      ev.target_ids = { run: id, experiment: e.id };
      if (e.lifecycle_stage !== 'active') throw new ValidationError(`experiment '${input.experiment_id}' is deleted: runs can only be created in an active experiment`, { field: 'experiment_id' });
      await tx.tracking.createRun({
        id,
        project_id: access.project.id,
        experiment_id: e.id,
        name,
        status: 'running',
        spec: { source: 'mlflow', experiment: e.name },
        dataset_version_id: null,
        seed: null,
        code_version: codeVersionOf(tags[CONTEXT_TAGS.git_commit], tags[CONTEXT_TAGS.git_dirty] === 'true'),
        job_id: null,
        model_artifact_sha256: null,
        model_version_id: null,
        gate: null,
        error: null,
        created_by: ctx.principal.user.id,
        created_at: now,
        start_time: input.start_time ?? now,
        end_time: null,
      });
      await tx.mlflowTracking.updateRun(id, { user_id: input.user_id || ctx.principal.user.username });
      await tx.tracking.setTags(id, tags);
      return (await tx.mlflowTracking.getRun(access.project.id, id))!;
    });
  }

  async getRun(access: ProjectAccess, runId: string, repos: Repositories = this.deps.store): Promise<TrackedRun> {
    const run = runId ? await repos.mlflowTracking.getRun(access.project.id, runId) : undefined;
    if (!run) throw new NotFoundError('run', runId || '(none)');
    return run;
  }

  async updateRun(ctx: CallContext, access: ProjectAccess, runId: string, patch: { status?: RunStatus; end_time?: number; run_name?: string }): Promise<TrackedRun> {
    return this.deps.ops.run(ctx, { action: 'run.update', project_id: access.project.id, target_ids: { run: runId }, details: { ...patch } }, async (tx) => {
      const run = await this.getRun(access, runId, tx);
      this.assertActive(run);
      await tx.mlflowTracking.updateRun(run.id, {
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.end_time !== undefined ? { end_time: patch.end_time } : {}),
        ...(patch.run_name ? { name: patch.run_name } : {}),
      });
      if (patch.run_name) await tx.tracking.setTags(run.id, { 'mlflow.runName': patch.run_name });
      return (await tx.mlflowTracking.getRun(access.project.id, run.id))!;
    });
  }

  async setRunLifecycle(ctx: CallContext, access: ProjectAccess, runId: string, stage: LifecycleStage): Promise<void> {
    const action = stage === 'deleted' ? 'run.delete' : 'run.restore';
    await this.deps.ops.run(ctx, { action, project_id: access.project.id, target_ids: { run: runId } }, async (tx) => {
      const run = await this.getRun(access, runId, tx);
      await tx.mlflowTracking.updateRun(run.id, { lifecycle_stage: stage });
    });
  }

  /**
   * Log metrics, params and tags in one request: MLflow's limits and checks first, then params are
   * checked against what the run already has (a param never changes value), then everything is
   * written in one transaction with one audit event. NaN is kept (and answered) as NaN, ±Infinity
   * as ±1.7976931348623157e308, as MLflow's SQL store does.
   */
  async logBatch(ctx: CallContext, access: ProjectAccess, runId: string, batch: Batch, action = 'run.log'): Promise<void> {
    checkBatchLimits({ metrics: batch.metrics.length, params: batch.params.length, tags: batch.tags.length });
    const metrics: MetricPoint[] = new Array(batch.metrics.length);
    const checked = new Set<string>();
    for (let i = 0; i < batch.metrics.length; i++) {
      const m = batch.metrics[i];
      if (!checked.has(m.key)) checkKey('metric', m.key), checked.add(m.key);
      checkMetricPoint(m);
      metrics[i] = { key: m.key, value: storedMetricValue(m.value), step: m.step, timestamp: m.timestamp };
    }
    const params: Record<string, string> = {};
    for (const p of batch.params) checkKey('param', p.key), checkValue('param', p.value), (params[p.key] = p.value);
    checkParamKeysUnique(batch.params.map((p) => p.key));
    const tags: Record<string, string> = {};
    for (const t of batch.tags) checkKey('tag', t.key), checkValue('tag', t.value), (tags[t.key] = t.value);
    const details = { metrics: batch.metrics.length, params: batch.params.length, tags: batch.tags.length };
    await this.deps.ops.run(ctx, { action, project_id: access.project.id, target_ids: { run: runId }, details }, async (tx) => {
      const run = await this.runState(access, runId, tx);
      this.assertActive(run);
      if (batch.params.length > 0) {
        const existing = await tx.mlflowTracking.paramsOf(run.id, Object.keys(params));
        const fresh: Record<string, string> = {};
        for (const [key, value] of Object.entries(params)) {
          if (!(key in existing)) fresh[key] = value;
          else if (existing[key] !== value) {
            throw new ValidationError(
              `Changing param values is not allowed. Param with key='${key}' was already logged with value='${existing[key]}' for run ID='${run.id}'. Attempted logging new value '${value}'.`,
              { field: 'params' },
            );
          }
        }
        await tx.tracking.logParams(run.id, fresh);
      }
      await tx.tracking.logMetrics(run.id, metrics, run.experiment_id);
      await tx.tracking.setTags(run.id, tags);
      if (tags['mlflow.runName']) await tx.mlflowTracking.updateRun(run.id, { name: tags['mlflow.runName'] });
      if (tags[CONTEXT_TAGS.git_commit] || tags[CONTEXT_TAGS.git_dirty]) {
        const current = await tx.mlflowTracking.getRun(access.project.id, run.id);
        const commit = current?.tags[CONTEXT_TAGS.git_commit];
        if (commit) await tx.tracking.updateRun(run.id, { code_version: codeVersionOf(commit, current?.tags[CONTEXT_TAGS.git_dirty] === 'true') });
      }
    });
  }

  async deleteTag(ctx: CallContext, access: ProjectAccess, runId: string, key: string): Promise<void> {
    await this.deps.ops.run(ctx, { action: 'run.tag.delete', project_id: access.project.id, target_ids: { run: runId }, details: { key } }, async (tx) => {
      const run = await this.getRun(access, runId, tx);
      this.assertActive(run);
      if (!(await tx.mlflowTracking.deleteTag(run.id, key))) throw new NotFoundError('tag', key, { run: run.id });
    });
  }

  async metricHistory(access: ProjectAccess, runId: string, key: string, maxResults: number | undefined, pageToken: string | undefined) {
    const run = await this.getRun(access, runId);
    if (!key) throw new ValidationError('metric_key must be a non-empty string', { field: 'metric_key' });
    const points = await this.deps.store.tracking.metricHistory(run.id, key);
    if (maxResults !== undefined) checkMaxResults(maxResults);
    return pageOf(points, maxResults ?? Math.max(points.length, 1), pageToken);
  }

  /** MLflow's runs/search: one page in the filter's and order's order, with a page token when more follow. */
  async searchRuns(access: ProjectAccess, input: SearchRunsInput): Promise<{ items: TrackedRun[]; next_page_token?: string }> {
    checkMaxResults(input.max_results);
    const experimentIds: string[] = [];
    for (const id of input.experiment_ids) experimentIds.push(id === DEFAULT_EXPERIMENT_ID ? (await this.defaultExperiment(access.project.id, this.deps.store)).id : id);
    const page = await this.search(access, experimentIds, { filter: input.filter, orderBy: input.order_by, view: input.view_type, limit: input.max_results, token: input.page_token, field: 'page_token' });
    return page.next ? { items: page.runs, next_page_token: page.next } : { items: page.runs };
  }

  /** The UI's runs list of one experiment (by id, or "0" for the default one). */
  async listExperimentRuns(access: ProjectAccess, experimentId: string, input: ListRunsInput): Promise<{ items: TrackedRun[]; next_cursor: string | null; total?: number }> {
    const e = await this.getExperiment(access, experimentId);
    const orderBy = input.order_by ? [input.order_by] : undefined;
    const search = { filter: input.filter, orderBy, view: input.view, limit: input.limit, token: input.cursor, field: 'cursor' };
    const [page, total] = await Promise.all([
      this.search(access, [e.id], search),
      input.count ? this.deps.store.mlflowTracking.countRuns({ projectId: access.project.id, experimentIds: [e.id], stages: stagesOf(input.view), clauses: runClauses(input.filter) }) : undefined,
    ]);
    return { items: page.runs, next_cursor: page.next ?? null, ...(total !== undefined ? { total } : {}) };
  }

  /** Metric keys of an experiment's runs, and param and tag keys of its newest 1,000 runs (table columns). */
  async runKeys(access: ProjectAccess, experimentId: string): Promise<RunKeys> {
    const e = await this.getExperiment(access, experimentId);
    return this.deps.store.mlflowTracking.runKeys(access.project.id, [e.id], 1000);
  }

  /**
   * The histories of a run's metrics (all its metrics when `keys` is empty), each thinned to at
   * most `maxPoints` evenly spaced points (the last one always kept) for charts.
   */
  async metricHistories(access: ProjectAccess, runId: string, keys: string[], maxPoints: number): Promise<{ run: TrackedRun; series: Array<{ key: string; points: MetricPoint[]; total: number }> }> {
    const run = await this.getRun(access, runId);
    const wanted = keys.length > 0 ? keys : run.metrics.map((m) => m.key);
    const points = await this.deps.store.mlflowTracking.metricHistories(run.id, wanted);
    const byKey = new Map<string, MetricPoint[]>(wanted.map((k) => [k, []]));
    for (const p of points) byKey.get(p.key)?.push(p);
    const thin = (list: MetricPoint[]) => {
      if (list.length <= maxPoints) return list;
      const stride = (list.length - 1) / (maxPoints - 1);
      return Array.from({ length: maxPoints }, (_, i) => list[Math.round(i * stride)]);
    };
    return { run, series: [...byKey].map(([key, list]) => ({ key, points: thin(list), total: list.length })) };
  }

  /** A run with what it ran on (columns and context tags; the seed may come from a seed param). */
  async runDetails(access: ProjectAccess, runId: string): Promise<{ run: TrackedRun; context: RunContext }> {
    const run = await this.getRun(access, runId);
    const row = await this.deps.store.tracking.getRun(run.id);
    const context = runContextOf({ code_version: row?.code_version ?? null, seed: row?.seed ?? null, dataset_version_id: row?.dataset_version_id ?? null, params: run.params, tags: run.tags });
    return { run, context };
  }

  /**
   * Record where a run's training ran (tags: git commit and dirty flag, Node version, host) and
   * the content hash of its data version. Called by the process that trains, when it starts.
   */
  async recordRunContext(runId: string, host: HostContext): Promise<void> {
    const run = await this.deps.store.tracking.getRun(runId);
    if (!run) throw new NotFoundError('run', runId);
    const version = run.dataset_version_id ? await this.deps.store.datasetVersions.getById(run.project_id, run.dataset_version_id) : undefined;
    await this.deps.store.tracking.setTags(runId, contextTags(host, version ? dataVersionHash(version) : null));
  }

  private async search(
    access: ProjectAccess,
    experimentIds: string[],
    input: { filter?: string; orderBy?: string[]; view: ViewType; limit: number; token?: string; field: string },
  ): Promise<{ runs: TrackedRun[]; next?: string }> {
    const clauses = runClauses(input.filter);
    const order = runOrder(input.orderBy);
    const fingerprint = searchFingerprint([experimentIds, input.view, clauses, order]);
    const query: RunSearchQuery = {
      projectId: access.project.id,
      experimentIds,
      stages: stagesOf(input.view),
      clauses,
      order,
      limit: input.limit,
      ...(input.token ? { after: decodeRunCursor(input.token, fingerprint, input.field) } : {}),
    };
    const page = await this.deps.store.mlflowTracking.searchRuns(query);
    return page.next ? { runs: page.runs, next: encodeRunCursor(page.next, fingerprint) } : { runs: page.runs };
  }

  private async runState(access: ProjectAccess, runId: string, repos: Repositories): Promise<RunState> {
    const run = runId ? await repos.mlflowTracking.runState(access.project.id, runId) : undefined;
    if (!run) throw new NotFoundError('run', runId || '(none)');
    return run;
  }

  private assertActive(run: Pick<TrackedRun, 'id' | 'lifecycle_stage'>): void {
    if (run.lifecycle_stage !== 'active') {
      throw new ValidationError(`The run ${run.id} must be in the 'active' state. Current state is ${run.lifecycle_stage}.`, { field: 'run_id' });
    }
  }

  /** The project's default experiment: the one marked default, else "Default" (created) marked so. */
  private async defaultExperiment(projectId: string, repos: Repositories): Promise<ExperimentRecord> {
    const marked = await repos.mlflowTracking.getDefaultExperiment(projectId);
    if (marked) return marked;
    const e = await repos.tracking.ensureExperiment(projectId, DEFAULT_EXPERIMENT_NAME, this.deps.clock.now());
    await repos.mlflowTracking.markDefault(e.id);
    return (await repos.mlflowTracking.getExperiment(projectId, e.id))!;
  }
}

const TO_MLFLOW: Record<RunStatus, string> = MLFLOW_STATUS;
const FROM_MLFLOW: Record<string, RunStatus> = Object.fromEntries(Object.entries(TO_MLFLOW).map(([k, v]) => [v, k as RunStatus]));

export function toMlflowStatus(status: RunStatus): string {
  return TO_MLFLOW[status];
}

export function fromMlflowStatus(status: string): RunStatus {
  const s = FROM_MLFLOW[status];
  if (!s) throw new ValidationError(`Invalid value '${status}' for parameter 'status': use RUNNING, SCHEDULED, FINISHED, FAILED or KILLED`, { field: 'status' });
  return s;
}
