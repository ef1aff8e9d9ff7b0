// Active learning: choose what to label next by the current model's uncertainty (least
// confidence, margin or entropy; see uncertainty.ts), in a background job batched through the
// model runtime. Two modes:
// - `create`: stream a dataset version in batches, score each row not already in the job (each
//   task remembers its row, so a later round never repeats one) and keep the k most uncertain
//   (a bounded heap: a 1M-row version is never in memory), then make tasks of them, most
//   uncertain first by priority, with the model's prediction as their suggestion;
// - `reprioritise`: score the job's open tasks page by page, keeping the k most uncertain, and
//   raise them to the front.
// Bad requests (no model, an unknown dataset or version, a version lacking a model feature,
// k out of range) are refused with a 400 naming the field before anything is queued.
import type { DatasetVersion } from '../../domain/datasets.js';
import type { Job } from '../../domain/entities.js';
import { openTask, type JobModelRef, type LabellingJob, type LabellingTask } from '../../domain/annotation.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import type { Clock } from '../../domain/clock.js';
import type { ProjectAccess } from '../access/authorize.js';
import { jobContext } from '../access/job-context.js';
import type { CallContext } from '../access/principal.js';
import type { AuditDraft } from '../audit/audit.service.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import type { JobsService } from '../jobs/jobs.service.js';
import { batchRows, type Row } from '../loop/labelled-rows.js';
import type { OperationRunner } from '../operation.js';
import { checkModelRef } from './job-settings.js';
import type { LabellingModels, ResolvedModel, RowScore } from './labelling-models.js';
import type { LabellingService } from './labelling.service.js';
import { suggestionOf } from './prelabel.service.js';
import { MAX_ITEM_BYTES, MAX_PRIORITY } from './task-items.js';
import { TopK } from './top-k.js';
import { uncertainty, UNCERTAINTY_STRATEGIES, type UncertaintyStrategy } from './uncertainty.js';

export const ACTIVE_LEARNING_TASK = 'labelling.active-learning';
export const MAX_SAMPLE = 10_000;
export const DEFAULT_BASE_PRIORITY = 1000;
/** Rows scored per runtime call. */
const STEP = 4096;

export interface SampleInput {
  strategy: UncertaintyStrategy;
  /** How many rows (create) or tasks (reprioritise) to pick. */
  k: number;
  mode?: 'create' | 'reprioritise';
  /** create: the dataset (name or id) and version (default: latest). */
  dataset?: string;
  version?: number;
  /** The model to score with (default: the job's). */
  model?: unknown;
  /** The priority of the least uncertain pick; the most uncertain gets base + k − 1 (default 1000). */
  base_priority?: number;
}

interface SamplePayload {
  job_id: string;
  user_id: string;
  strategy: UncertaintyStrategy;
  k: number;
  mode: 'create' | 'reprioritise';
  model: JobModelRef;
  dataset_version_id: string | null;
  base_priority: number;
}

export interface SampleReport {
  mode: 'create' | 'reprioritise';
  strategy: UncertaintyStrategy;
  model: string;
  version: number;
  /** Rows or tasks scored, and those the model could not score (a missing feature). */
  scored: number;
  skipped: number;
  /** Rows already in the job (create). */
  already_tasks: number;
  /** Tasks created or reprioritised. */
  picked: number;
  /** The picks' uncertainty, most uncertain first (the first 20), with their task. */
  top: Array<{ task_id: string; score: number; label: string; confidence: number }>;
}

export interface ActiveLearningDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
  jobs: JobsService;
  labelling: LabellingService;
  models: LabellingModels;
  datasets: DatasetsService;
}

function checkInput(input: SampleInput): { strategy: UncertaintyStrategy; k: number; mode: 'create' | 'reprioritise'; base: number } {
  if (!(UNCERTAINTY_STRATEGIES as readonly string[]).includes(input.strategy)) {
    throw new ValidationError(`body.strategy must be one of ${UNCERTAINTY_STRATEGIES.join(', ')}`, { field: 'body.strategy' });
  }
  if (!Number.isInteger(input.k) || input.k < 1 || input.k > MAX_SAMPLE) throw new ValidationError(`body.k must be an integer from 1 to ${MAX_SAMPLE}`, { field: 'body.k' });
  const mode = input.mode ?? 'create';
  if (mode !== 'create' && mode !== 'reprioritise') throw new ValidationError("body.mode must be 'create' or 'reprioritise'", { field: 'body.mode' });
  const base = input.base_priority ?? DEFAULT_BASE_PRIORITY;
  if (!Number.isInteger(base) || base < -MAX_PRIORITY || base + input.k - 1 > MAX_PRIORITY) {
    throw new ValidationError(`body.base_priority must be an integer with base_priority + k − 1 at most ${MAX_PRIORITY}`, { field: 'body.base_priority' });
  }
  return { strategy: input.strategy, k: input.k, mode, base };
}

/** Run writes in one transaction with the operation's audit event. */
type Audited = (fn: (tx: Repositories, ev: AuditDraft) => Promise<void>) => Promise<void>;
type Scorer = Awaited<ReturnType<LabellingModels['scorer']>>;

const asData = (row: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));

export class ActiveLearningService {
  constructor(private readonly deps: ActiveLearningDeps) {}

  /**
   * Check the request and queue the sampling job. Example:
   *   await al.start(ctx, access, 'round-2', { strategy: 'entropy', k: 200, dataset: 'weather', version: 3 })
   */
  async start(ctx: CallContext, access: ProjectAccess, jobRef: string, input: SampleInput): Promise<Job> {
    const { strategy, k, mode, base } = checkInput(input);
    const job = await this.deps.labelling.job(access, jobRef);
    const ref = input.model !== undefined && input.model !== null ? checkModelRef(input.model, 'body.model') : job.model;
    if (!ref) throw new ValidationError('body.model: name a model, or set the job\'s model first', { field: 'body.model' });
    const model = await this.deps.models.resolve(access, ref, job, 'body.model');
    let versionId: string | null = null;
    if (mode === 'create') {
      if (typeof input.dataset !== 'string' || input.dataset === '') throw new ValidationError('body.dataset: name the dataset whose rows to sample', { field: 'body.dataset' });
      const version = await this.version(access, input.dataset, input.version);
      const columns = new Set(version.schema.map((c) => c.name));
      const missing = model.features.filter((f) => !columns.has(f.name)).map((f) => f.name);
      if (missing.length > 0) {
        throw new ValidationError(`body.dataset: version ${version.version} has no column ${missing.map((m) => `'${m}'`).join(', ')}, which model '${model.model}' needs`, { field: 'body.dataset', missing });
      }
      versionId = version.id;
    }
    const payload: SamplePayload = { job_id: job.id, user_id: ctx.principal.user.id, strategy, k, mode, model: ref, dataset_version_id: versionId, base_priority: base };
    return this.deps.jobs.enqueue({ task: ACTIVE_LEARNING_TASK, payload, project_id: job.project_id, created_by: ctx.principal.user.id, max_attempts: 1 });
  }

  private async version(access: ProjectAccess, dataset: string, version: number | undefined): Promise<DatasetVersion> {
    try {
      return await this.deps.datasets.getVersion(access, dataset, version ?? 'latest');
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      const field = (err.details as { what?: string } | undefined)?.what === 'dataset' ? 'body.dataset' : 'body.version';
      throw new ValidationError(`${field}: ${err.message}`, { field });
    }
  }

  /** The body of the background job. */
  async run(projectId: string, p: SamplePayload, progress: (fraction: number, message?: string) => void = () => undefined): Promise<SampleReport> {
    const { ctx, access } = await jobContext(this.deps.store, p.user_id, projectId);
    const job = await this.deps.labelling.job(access, p.job_id);
    const model = await this.deps.models.resolve(access, p.model, job, 'model');
    const score = await this.deps.models.scorer(access, model);
    const report: SampleReport = { mode: p.mode, strategy: p.strategy, model: model.model, version: model.version, scored: 0, skipped: 0, already_tasks: 0, picked: 0, top: [] };
    const draft: AuditDraft = { action: 'labelling.active-learning', project_id: job.project_id, target_ids: { project: job.project_id, labelling_job: job.id }, details: {} };
    const audited: Audited = (fn) => this.deps.ops.run(ctx, draft, fn);
    if (p.mode === 'create') await this.createTasks(job, model, score, p, report, progress, audited);
    else await this.reprioritise(job, model, score, p, report, progress, audited);
    progress(1, `${report.picked} picked by ${p.strategy}`);
    return report;
  }

  private async createTasks(
    job: LabellingJob,
    model: ResolvedModel,
    score: Scorer,
    p: SamplePayload,
    report: SampleReport,
    progress: (fraction: number, message?: string) => void,
    audited: Audited,
  ): Promise<void> {
    const version = await this.deps.datasets.getVersionById(job.project_id, p.dataset_version_id!);
    const total = Math.max(1, version.report.accepted);
    progress(0.02, `reading ${version.report.accepted} rows of version ${version.version}`);
    // The version streams past in batches; only the k most uncertain new rows are kept.
    const best = new TopK<{ row: Row; score: RowScore }>(p.k);
    let offset = 0;
    for await (const batch of this.deps.datasets.readColumnBatches(version, version.schema.map((c) => c.name), STEP)) {
      const rows = batchRows(batch);
      const keys = rows.map((_, i) => `${version.id}:${offset + i}`);
      const taken = await this.deps.store.labellingTasks.existingSourceRows(job.id, keys);
      const fresh = rows.map((row, i) => ({ row, at: offset + i })).filter((_, i) => !taken.has(keys[i]));
      report.already_tasks += rows.length - fresh.length;
      const out = fresh.length > 0 ? await score(fresh.map((f) => f.row)) : [];
      out.forEach((s, i) => {
        if ('problem' in s) return void report.skipped++;
        report.scored++;
        best.offer(uncertainty(p.strategy, s.probabilities), fresh[i].at, { row: fresh[i].row, score: s });
      });
      offset += rows.length;
      progress(0.05 + 0.85 * Math.min(1, offset / total), `${offset} rows scored`);
    }
    // Most uncertain first: the highest priority.
    const picked = best.sorted();
    const now = this.deps.clock.now();
    const tasks: LabellingTask[] = [];
    picked.forEach(({ index, score: uncertain, item }, rank) => {
      const data = asData(item.row);
      if (Object.keys(data).length === 0 || JSON.stringify(data).length > MAX_ITEM_BYTES) return;
      const s = item.score;
      tasks.push(openTask(job, now, { data, priority: p.base_priority + (picked.length - 1 - rank), suggestion: suggestionOf(s, model), source_row: `${version.id}:${index}` }));
      if (report.top.length < 20) report.top.push({ task_id: tasks[tasks.length - 1].id, score: uncertain, label: s.label, confidence: s.confidence });
    });
    await audited(async (tx, ev) => {
      await tx.labellingTasks.createMany(tasks);
      ev.details = { mode: 'create', strategy: p.strategy, dataset_version_id: version.id, model: model.model, version: model.version, scored: report.scored, created: tasks.length };
    });
    report.picked = tasks.length;
  }

  private async reprioritise(
    job: LabellingJob,
    model: ResolvedModel,
    score: Scorer,
    p: SamplePayload,
    report: SampleReport,
    progress: (fraction: number, message?: string) => void,
    audited: Audited,
  ): Promise<void> {
    const total = Math.max(1, (await this.deps.store.labellingJobs.counts([job.id])).get(job.id)?.open ?? 1);
    // The open tasks are scored page by page; only the k most uncertain are kept.
    const best = new TopK<{ task: LabellingTask; score: RowScore }>(p.k);
    let seen = 0;
    for (let after: string | null = null; ; ) {
      const page: LabellingTask[] = (await this.deps.store.labellingTasks.listOpenAfter(job.id, after, STEP)).filter((t) => t.gold_label === null);
      if (page.length === 0) break;
      after = page[page.length - 1].id;
      const out = await score(page.map((t) => t.data));
      out.forEach((s, i) => {
        if ('problem' in s) return void report.skipped++;
        best.offer(uncertainty(p.strategy, s.probabilities), seen + i, { task: page[i], score: s });
      });
      seen += page.length;
      report.scored = seen - report.skipped;
      progress(Math.min(0.9, seen / total), `${report.scored} tasks scored`);
    }
    const picked = best.sorted();
    await audited(async (tx, ev) => {
      await tx.labellingTasks.setPriorities(job.id, picked.map(({ item }, rank) => ({ task_id: item.task.id, priority: p.base_priority + (picked.length - 1 - rank) })));
      // Picks without a suggestion get the model's (a spot check keeps its own, hidden one).
      const fresh = picked.filter(({ item }) => !item.task.suggestion);
      await tx.labellingTasks.setSuggestions(job.id, fresh.map(({ item }) => ({ task_id: item.task.id, suggestion: suggestionOf(item.score, model), spot_check: false })));
      ev.details = { mode: 'reprioritise', strategy: p.strategy, model: model.model, version: model.version, scored: report.scored, reprioritised: picked.length };
    });
    report.picked = picked.length;
    report.top = picked.slice(0, 20).map(({ score: uncertain, item }) => ({ task_id: item.task.id, score: uncertain, label: item.score.label, confidence: item.score.confidence }));
  }
}
