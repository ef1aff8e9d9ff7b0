// Datasets' scheduled sources: create, read, change, delete, "run now" and the list of runs; and
// the scheduler's tick, which enqueues each due pull (and scheduled commit) as a background job
// exactly once however many servers tick: the source's next due time moves by compare-and-set,
// and the job key names the source and the slot. The URL or connection string goes into a
// project secret (encrypted) and never comes back out of this service.
import type { Clock } from '../../domain/clock.js';
import { sourceSecretName, type ScheduledSource, type SourceRun } from '../../domain/dataset-sources.js';
import type { Dataset } from '../../domain/datasets.js';
import type { Job } from '../../domain/entities.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { isId, newId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { SourcePatch } from '../../domain/ports/dataset-source-store.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { OperationRunner } from '../operation.js';
import type { SecretsService } from '../secrets/secrets.service.js';
import { nextDue } from './schedule.js';
import { checkFields, checkNewSource, type SourceInput, type SourceUpdate } from './source-input.js';

export const SOURCE_PULL_TASK = 'dataset.source-pull';
export const SOURCE_COMMIT_TASK = 'dataset.source-commit';

/** Due sources handled per tick (the rest are due on the next one). */
const DUE_BATCH = 100;

/** What a pull job carries (no credentials: the job reads them from the secret when it runs). */
export interface PullPayload {
  source_id: string;
  project_id: string;
  trigger: 'schedule' | 'manual';
  scheduled_for: number | null;
  /** Who the pull acts for: the caller of "run now", or the source's creator. */
  user_id: string;
}

export interface CommitPayload {
  source_id: string;
  project_id: string;
  scheduled_for: number;
  user_id: string;
}

/** A source as the API shows it: no secret name, its newest run attached, no next due times while disabled. */
export type SourceView = Omit<ScheduledSource, 'secret_name'> & { last_run: SourceRun | null };

export interface DatasetSourcesDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
  jobs: JobsService;
  secrets: SecretsService;
  datasets: DatasetsService;
}

export class DatasetSourcesService {
  constructor(private readonly deps: DatasetSourcesDeps) {}

  private view(s: ScheduledSource, last: SourceRun | null): SourceView {
    const { secret_name: _secret, ...rest } = s;
    // A disabled source is never due: it has no next run or commit until it is enabled again.
    if (!s.enabled) return { ...rest, next_run_at: null, next_commit_at: null, last_run: last };
    return { ...rest, last_run: last };
  }

  /** A source of the dataset by name or id; NotFoundError otherwise. */
  async find(access: ProjectAccess, datasetRef: string, sourceRef: string): Promise<{ dataset: Dataset; source: ScheduledSource }> {
    const dataset = await this.deps.datasets.get(access, datasetRef);
    const byName = await this.deps.store.datasetSources.getByName(dataset.id, sourceRef);
    const byId = !byName && isId(sourceRef) ? await this.deps.store.datasetSources.getById(access.project.id, sourceRef) : undefined;
    const source = byName ?? (byId?.dataset_id === dataset.id ? byId : undefined);
    if (!source) throw new NotFoundError('dataset source', sourceRef, { dataset: dataset.name });
    return { dataset, source };
  }

  async get(access: ProjectAccess, datasetRef: string, sourceRef: string): Promise<SourceView> {
    const { source } = await this.find(access, datasetRef, sourceRef);
    return this.view(source, (await this.deps.store.sourceRuns.latest([source.id])).get(source.id) ?? null);
  }

  async list(access: ProjectAccess, datasetRef: string, page: PageRequest): Promise<Page<SourceView>> {
    const dataset = await this.deps.datasets.get(access, datasetRef);
    const sources = await this.deps.store.datasetSources.list(dataset.id, page);
    const latest = await this.deps.store.sourceRuns.latest(sources.items.map((s) => s.id));
    return { items: sources.items.map((s) => this.view(s, latest.get(s.id) ?? null)), next_cursor: sources.next_cursor };
  }

  /**
   * Add a source to a dataset. Its URL or connection string is stored as the project secret
   * `dataset-source-<id>`; `commit.every_rows` sets the dataset's commit_at_rows.
   * @example await sources.create(ctx, access, 'weather', { name: 'daily', kind: 'http', url: 'https://example.com/w.csv', schedule: '0 6 * * *', timezone: 'Europe/Oslo' })
   */
  async create(ctx: CallContext, access: ProjectAccess, datasetRef: string, input: SourceInput): Promise<SourceView> {
    const dataset = await this.deps.datasets.get(access, datasetRef);
    const checked = checkNewSource(input);
    if (await this.deps.store.datasetSources.getByName(dataset.id, input.name)) {
      throw new ConflictError(`the dataset already has a source named '${input.name}'`, { field: 'body.name' });
    }
    const now = this.deps.clock.now();
    const id = newId();
    const source: ScheduledSource = {
      id,
      project_id: dataset.project_id,
      dataset_id: dataset.id,
      name: input.name,
      kind: input.kind,
      format: checked.format ?? null,
      location: checked.location,
      query: checked.query ?? null,
      secret_name: sourceSecretName(id),
      schedule: checked.schedule,
      timezone: checked.timezone,
      enabled: checked.enabled,
      commit_every_rows: checked.commit_every_rows ?? null,
      commit_cron: checked.commit_cron ?? null,
      next_run_at: nextDue(checked.schedule, checked.timezone, now),
      next_commit_at: checked.commit_cron ? nextDue(checked.commit_cron, checked.timezone, now) : null,
      created_by: ctx.principal.user.id,
      created_at: now,
      updated_at: now,
    };
    await this.deps.secrets.put(ctx, access, source.secret_name, checked.locator);
    const draft = {
      action: 'dataset.source.create',
      project_id: access.project.id,
      target_ids: { project: access.project.id, dataset: dataset.id, dataset_source: id },
      details: { name: source.name, kind: source.kind, location: source.location, schedule: source.schedule, timezone: source.timezone, enabled: source.enabled },
    };
    try {
      await this.deps.ops.run(ctx, draft, async (tx) => {
        await tx.datasetSources.create(source);
        if (source.commit_every_rows !== null) await tx.stagedBatches.setCommitAt(dataset.project_id, dataset.id, source.commit_every_rows, now);
      });
    } catch (error) {
      await this.deps.store.secrets.delete(access.project.id, source.secret_name).catch(() => undefined);
      throw error;
    }
    return this.view(source, null);
  }

  /** Change a source's fields (its kind and name stay); a new URL or connection string replaces the secret. */
  async update(ctx: CallContext, access: ProjectAccess, datasetRef: string, sourceRef: string, input: SourceUpdate): Promise<SourceView> {
    const { dataset, source } = await this.find(access, datasetRef, sourceRef);
    const checked = checkFields(source.kind, input);
    const now = this.deps.clock.now();
    const patch: SourcePatch = {};
    if (checked.format !== undefined) patch.format = checked.format;
    if (checked.query !== undefined) patch.query = checked.query;
    if (checked.location !== undefined) patch.location = checked.location;
    if (checked.schedule !== undefined) patch.schedule = checked.schedule;
    if (checked.timezone !== undefined) patch.timezone = checked.timezone;
    if (checked.enabled !== undefined) patch.enabled = checked.enabled;
    if (checked.commit_every_rows !== undefined) patch.commit_every_rows = checked.commit_every_rows;
    if (checked.commit_cron !== undefined) patch.commit_cron = checked.commit_cron;
    const next = { ...source, ...patch };
    const reschedule = patch.schedule !== undefined || patch.timezone !== undefined || (patch.enabled === true && !source.enabled);
    if (reschedule) patch.next_run_at = nextDue(next.schedule, next.timezone, now);
    if (reschedule || patch.commit_cron !== undefined) patch.next_commit_at = next.commit_cron ? nextDue(next.commit_cron, next.timezone, now) : null;
    if (checked.locator !== undefined) await this.deps.secrets.put(ctx, access, source.secret_name, checked.locator);
    const draft = {
      action: 'dataset.source.update',
      project_id: access.project.id,
      target_ids: { project: access.project.id, dataset: dataset.id, dataset_source: source.id },
      details: { name: source.name, changed: Object.keys(input).filter((k) => k !== 'connection_string' && k !== 'url').concat(checked.locator ? ['credentials'] : []) },
    };
    await this.deps.ops.run(ctx, draft, async (tx) => {
      await tx.datasetSources.update(source.id, patch, now);
      await this.syncCommitAt(tx, dataset, source.commit_every_rows, patch.commit_every_rows, now);
    });
    return this.get(access, dataset.id, source.id);
  }

  /** The dataset's commit_at_rows follows the source's every_rows; clearing it clears the dataset's when it was this source's. */
  private async syncCommitAt(tx: Repositories, dataset: Dataset, before: number | null, after: number | null | undefined, now: number): Promise<void> {
    if (after === undefined || after === before) return;
    if (after !== null) return tx.stagedBatches.setCommitAt(dataset.project_id, dataset.id, after, now);
    if ((await tx.stagedBatches.getCommitAt(dataset.id)) === before) await tx.stagedBatches.setCommitAt(dataset.project_id, dataset.id, null, now);
  }

  /** Delete a source, its runs and its secret (rows it staged stay staged). */
  async remove(ctx: CallContext, access: ProjectAccess, datasetRef: string, sourceRef: string): Promise<void> {
    const { dataset, source } = await this.find(access, datasetRef, sourceRef);
    const draft = {
      action: 'dataset.source.delete',
      project_id: access.project.id,
      target_ids: { project: access.project.id, dataset: dataset.id, dataset_source: source.id },
      details: { name: source.name },
    };
    await this.deps.ops.run(ctx, draft, async (tx) => {
      if (!(await tx.datasetSources.delete(access.project.id, source.id))) throw new NotFoundError('dataset source', sourceRef, { dataset: dataset.name });
      await tx.secrets.delete(access.project.id, source.secret_name);
      await this.syncCommitAt(tx, dataset, source.commit_every_rows, null, this.deps.clock.now());
    });
  }

  /**
   * Enqueue a pull now (a pending manual pull of the same source is answered instead of a second
   * one). A disabled source is pulled too: `enabled` switches its schedule, not pulls by hand, so
   * a source can be tried before its schedule is switched on; the run is recorded as `manual`.
   */
  async runNow(ctx: CallContext, access: ProjectAccess, datasetRef: string, sourceRef: string): Promise<Job> {
    const { dataset, source } = await this.find(access, datasetRef, sourceRef);
    const payload: PullPayload = { source_id: source.id, project_id: source.project_id, trigger: 'manual', scheduled_for: null, user_id: ctx.principal.user.id };
    const job = await this.deps.jobs.enqueue({
      task: SOURCE_PULL_TASK,
      payload,
      project_id: source.project_id,
      job_key: `dataset-source:${source.id}@manual`,
      created_by: ctx.principal.user.id,
      max_attempts: 1,
    });
    const draft = {
      action: 'dataset.source.run',
      project_id: access.project.id,
      target_ids: { project: access.project.id, dataset: dataset.id, dataset_source: source.id, job: job.id },
      details: { name: source.name },
    };
    await this.deps.ops.run(ctx, draft, async () => undefined);
    return job;
  }

  async listRuns(access: ProjectAccess, datasetRef: string, sourceRef: string, page: PageRequest): Promise<Page<SourceRun>> {
    const { source } = await this.find(access, datasetRef, sourceRef);
    return this.deps.store.sourceRuns.list(source.id, page);
  }

  /**
   * The scheduler's tick: enqueue every due pull and scheduled commit once. Each source's due
   * time moves to its next slot by compare-and-set before the job is enqueued, so of several
   * servers ticking together only one enqueues a slot. Missed slots (a server was down) are
   * not caught up one by one: one pull runs, and the schedule goes on from now.
   */
  async enqueueDue(now: number = this.deps.clock.now()): Promise<{ pulls: Job[]; commits: Job[]; errors: string[] }> {
    const out = { pulls: [] as Job[], commits: [] as Job[], errors: [] as string[] };
    for (const s of await this.deps.store.datasetSources.listDue(now, DUE_BATCH)) {
      try {
        if (s.next_run_at !== null && s.next_run_at <= now) {
          const slot = s.next_run_at;
          if (await this.deps.store.datasetSources.advanceRun(s.id, slot, nextDue(s.schedule, s.timezone, Math.max(now, slot)))) {
            const payload: PullPayload = { source_id: s.id, project_id: s.project_id, trigger: 'schedule', scheduled_for: slot, user_id: s.created_by };
            out.pulls.push(
              await this.deps.jobs.enqueue({ task: SOURCE_PULL_TASK, payload, project_id: s.project_id, job_key: `dataset-source:${s.id}@${slot}`, created_by: s.created_by, max_attempts: 1 }),
            );
          }
        }
        if (s.commit_cron && s.next_commit_at !== null && s.next_commit_at <= now) {
          const slot = s.next_commit_at;
          if (await this.deps.store.datasetSources.advanceCommit(s.id, slot, nextDue(s.commit_cron, s.timezone, Math.max(now, slot)))) {
            const payload: CommitPayload = { source_id: s.id, project_id: s.project_id, scheduled_for: slot, user_id: s.created_by };
            out.commits.push(
              await this.deps.jobs.enqueue({ task: SOURCE_COMMIT_TASK, payload, project_id: s.project_id, job_key: `dataset-source-commit:${s.id}@${slot}`, created_by: s.created_by, max_attempts: 1 }),
            );
          }
        }
      } catch (error) {
        out.errors.push(`source ${s.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return out;
  }
}
