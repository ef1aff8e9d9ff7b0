// Labelling jobs: create a job with its tasks (and its model and lease settings), add tasks in
// batches, serve each annotator the next task they have not labelled (blind), leased to them for
// the job's lease time so no task goes to more people than its overlap, record labels (a class,
// chosen labels, text spans or image boxes, checked against the job's configuration), let an
// annotator withdraw a label while the task is open, and resolve a task by the consensus of its
// kind once it has `overlap` labels — turning a resolved class into feedback on its prediction.
import type { Clock } from '../../domain/clock.js';
import { kindOf, labelsOf, type LabellingJob, type LabellingKind, type LabellingSource, type LabellingTask, type LabellingTaskStatus, type TaskLabel } from '../../domain/annotation.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { isId, newId } from '../../domain/ids.js';
import { NAME_PATTERN, NAME_RULE } from '../../domain/names.js';
import { MAX_LIMIT, type Page, type PageRequest } from '../../domain/pagination.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import type { FeedbackService } from './feedback.service.js';
import { servesGold } from './gold-mixing.js';
import { jobStats, type JobStats } from './job-stats.js';
import { checkAnswer, type AnswerInput } from './label-answers.js';
import { taskDraft, taskOf } from './task-operation.js';
import { JobCache } from './job-cache.js';
import { recordLabelIn } from './label-recording.js';
import { labelConfigOf, type LabelsInput } from './label-config.js';
import { structuredJobStats, type ResolvedTaskLabels } from './structured-stats.js';
import { seesAllLabels } from './label-visibility.js';
import {
  jobInfo,
  labelView,
  queuedTask,
  taskView,
  type CreatedJob,
  type LabellingJobDetail,
  type LabellingJobInfo,
  type LabelView,
  type QueuedTask,
  type SubmittedLabel,
  type TaskView,
} from './labelling-views.js';
import { predictionIdsOf, tasksOf, type TaskBatchReport } from './task-items.js';
import { checkAutoLabel, checkLeaseSeconds, checkModelRef, checkShowSuggestions, DEFAULT_LEASE_SECONDS, leaseSecondsOf } from './job-settings.js';
import type { ModelChecker } from './labelling-models.js';
import { automationStats } from './automation-stats.js';

export const DEFAULT_OVERLAP = 3;
/** Resolved tasks with agreement below this go to the disputes queue (2 of 3 agreeing does). */
export const DEFAULT_DISPUTE_BELOW = 0.67;
export const MAX_OVERLAP = 50;
/** Task ids the queue may be asked to pass over (the client's preloaded tasks). */
export const MAX_EXCLUDED = 10;
/** Expired leases of a job are given back at most this often by one process. */
export const RECLAIM_EVERY_MS = 1000;
/** Items per request (createJob or addTasks); larger batches must be split. */
export const MAX_ITEMS_PER_BATCH = 10_000;

export interface CreateJobInput {
  name: string;
  /** The labels (of `kind`; classification by default), or a Label Studio configuration kept whole. */
  labels: LabelsInput;
  /** People per task (default 3). */
  overlap?: number;
  kind?: LabellingKind;
  source?: LabellingSource;
  /** Tasks to create with the job: `{ data: {...}, prediction_id?, priority?, gold_label? }` each. */
  items?: readonly unknown[];
  /** Probability (0..1) of serving a gold task the annotator has not answered (default 0). */
  gold_rate?: number;
  /** Agreement (0..1) below which a resolved task is disputed (default 0.67); ties always are. */
  dispute_below?: number;
  /** Seconds a task handed out by the queue stays leased to its annotator (default 600). */
  lease_seconds?: number;
  /** A registry model for suggestions: `{ model, version }` or `{ model, alias }` (alias default 'champion'). */
  model?: unknown;
  /** Whether annotators see the model's suggestions (default true). */
  show_suggestions?: boolean;
  /** Auto-labelling: `{ threshold, spot_check_share?, seed? }` (needs `model`). */
  auto_label?: unknown;
}

function checkShare(v: number | undefined, fallback: number, field: string): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new ValidationError(`${field} must be a number from 0 to 1`, { field });
  return v;
}

/** An answer (`label`, `choices`, `spans` or `boxes`, by the job's kind) and the time it took. */
export interface LabelInput extends AnswerInput {
  duration_ms?: number | null;
}

function checkBatch(items: readonly unknown[] | undefined, field: string): readonly unknown[] {
  if (items === undefined) return [];
  if (!Array.isArray(items)) throw new ValidationError(`${field} must be a list of items`, { field });
  if (items.length > MAX_ITEMS_PER_BATCH) {
    throw new ValidationError(`${field} has ${items.length} items; send at most ${MAX_ITEMS_PER_BATCH} per request`, { field });
  }
  return items;
}

function checkSource(source: LabellingSource | undefined): LabellingSource {
  if (source === undefined) return { kind: 'items' };
  if (!source || !['predictions', 'dataset', 'items'].includes((source as { kind?: string }).kind ?? '')) {
    throw new ValidationError("body.source.kind must be 'predictions', 'dataset' or 'items'", { field: 'body.source.kind' });
  }
  return source;
}

export class LabellingService {
  private models?: ModelChecker;
  private readonly reclaimedAt = new Map<string, number>();
  /** Jobs as next, label and skip see them (dropped when a job's settings change). */
  private readonly jobs: JobCache;

  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
    private readonly feedback: FeedbackService,
  ) {
    this.jobs = new JobCache(clock);
    ops.onCommit((action) => this.jobs.afterOperation(action));
  }

  /** Check the registry models jobs name with `models` (wired once when the services are built). */
  useModels(models: ModelChecker): void {
    this.models = models;
  }

  /** The job's model settings from a create or update body, checked (the model against the registry and the job's labels). */
  async modelSettings(access: ProjectAccess, job: Pick<LabellingJob, 'kind' | 'label_config' | 'model'>, input: { model?: unknown; auto_label?: unknown }) {
    const out: { model?: LabellingJob['model']; auto_label?: LabellingJob['auto_label'] } = {};
    if (input.model !== undefined) {
      out.model = input.model === null ? null : checkModelRef(input.model, 'body.model');
      if (out.model) {
        if (!this.models) throw new ValidationError('body.model: this server has no model registry to check the model against', { field: 'body.model' });
        await this.models.resolve(access, out.model, job, 'body.model');
      }
    }
    if (input.auto_label !== undefined) {
      out.auto_label = input.auto_label === null ? null : checkAutoLabel(input.auto_label, 'body.auto_label');
      const model = out.model !== undefined ? out.model : job.model;
      if (out.auto_label && !model) throw new ValidationError('body.auto_label: auto-labelling needs a model: set body.model too', { field: 'body.auto_label' });
    }
    return out;
  }

  /** A job of the project by id or name; NotFoundError otherwise. */
  async job(access: ProjectAccess, ref: string, repos: Repositories = this.store): Promise<LabellingJob> {
    const projectId = access.project.id;
    const job = (isId(ref) ? await repos.labellingJobs.get(projectId, ref) : undefined) ?? (await repos.labellingJobs.getByName(projectId, ref));
    if (!job) throw new NotFoundError('labelling job', ref, { project: access.project.name });
    return job;
  }

  /** The job as `job`, kept for a couple of seconds: the annotators' hot calls (next, label, skip). */
  private hotJob(access: ProjectAccess, ref: string): Promise<LabellingJob> {
    return this.jobs.get(access.project.id, ref, () => this.job(access, ref));
  }

  /**
   * Create a job and its tasks in one transaction; bad items are rejected one by one (reported),
   * bad job settings fail the whole call. Example:
   *   await labelling.createJob(ctx, access, { name: 'jan-2014', labels: ['rain', 'sun'], overlap: 3,
   *     items: [{ data: { temp_max: 11.2 }, prediction_id: 'p-1' }] })
   */
  async createJob(ctx: CallContext, access: ProjectAccess, input: CreateJobInput): Promise<CreatedJob> {
    if (typeof input.name !== 'string' || !NAME_PATTERN.test(input.name)) {
      throw new ValidationError(`body.name ${NAME_RULE}`, { field: 'body.name' });
    }
    const overlap = input.overlap ?? DEFAULT_OVERLAP;
    if (!Number.isInteger(overlap) || overlap < 1 || overlap > MAX_OVERLAP) {
      throw new ValidationError(`body.overlap must be an integer from 1 to ${MAX_OVERLAP}`, { field: 'body.overlap' });
    }
    const labelConfig = labelConfigOf(input.labels, input.kind);
    const items = checkBatch(input.items, 'body.items');
    const goldRate = checkShare(input.gold_rate, 0, 'body.gold_rate');
    const disputeBelow = checkShare(input.dispute_below, DEFAULT_DISPUTE_BELOW, 'body.dispute_below');
    const leaseSeconds = input.lease_seconds === undefined ? DEFAULT_LEASE_SECONDS : checkLeaseSeconds(input.lease_seconds, 'body.lease_seconds');
    const showSuggestions = input.show_suggestions === undefined ? true : checkShowSuggestions(input.show_suggestions, 'body.show_suggestions');
    const kind = kindOf(labelConfig);
    const automation = await this.modelSettings(access, { kind, label_config: labelConfig, model: null }, input);
    const now = this.clock.now();
    const job: LabellingJob = {
      id: newId(),
      project_id: access.project.id,
      name: input.name,
      kind,
      label_config: labelConfig,
      overlap,
      source: checkSource(input.source),
      status: 'active',
      created_by: ctx.principal.user.id,
      created_at: now,
      gold_rate: goldRate,
      dispute_below: disputeBelow,
      lease_seconds: leaseSeconds,
      model: automation.model ?? null,
      show_suggestions: showSuggestions,
      auto_label: automation.auto_label ?? null,
    };
    const { tasks, report } = tasksOf(job, items, new Set(), now);
    const draft = {
      action: 'labelling.job.create',
      project_id: job.project_id,
      target_ids: { project: job.project_id, labelling_job: job.id },
      details: { name: job.name, kind: job.kind, overlap, labels: labelsOf(job.label_config).length, accepted: report.accepted, rejected: report.rejected },
    };
    await this.ops.run(ctx, draft, async (tx) => {
      await tx.labellingJobs.create(job);
      await tx.labellingTasks.createMany(tasks);
    });
    const regular = tasks.filter((t) => t.gold_label === null).length;
    const counts = { tasks: regular, open: regular, resolved: 0, labels: 0 };
    return { job: jobInfo(job, counts), tasks: report };
  }

  /** Add tasks to a job; each item is accepted or rejected with its reason. */
  async addTasks(ctx: CallContext, access: ProjectAccess, jobRef: string, items: readonly unknown[]): Promise<TaskBatchReport> {
    const batch = checkBatch(items, 'body.items');
    const job = await this.job(access, jobRef);
    const draft = { action: 'labelling.tasks.add', project_id: job.project_id, target_ids: { project: job.project_id, labelling_job: job.id }, details: {} as Record<string, unknown> };
    return this.ops.run(ctx, draft, async (tx, ev) => {
      const taken = await tx.labellingTasks.existingPredictionIds(job.id, predictionIdsOf(batch));
      const { tasks, report } = tasksOf(job, batch, taken, this.clock.now());
      await tx.labellingTasks.createMany(tasks);
      ev.details = { accepted: report.accepted, rejected: report.rejected };
      return report;
    });
  }

  /** The project's jobs with task and label counts, oldest first. */
  async listJobs(access: ProjectAccess, page: PageRequest): Promise<Page<LabellingJobInfo>> {
    const jobs = await this.store.labellingJobs.list(access.project.id, page);
    const counts = await this.store.labellingJobs.counts(jobs.items.map((j) => j.id));
    return { items: jobs.items.map((j) => jobInfo(j, counts.get(j.id))), next_cursor: jobs.next_cursor };
  }

  /** One job with its counts and statistics (agreement, Fleiss' κ, Krippendorff's α, per label and per annotator). */
  async getJob(ctx: CallContext, access: ProjectAccess, jobRef: string): Promise<LabellingJobDetail> {
    const job = await this.job(access, jobRef);
    const [counts, annotators, skips, automation] = await Promise.all([
      this.store.labellingJobs.counts([job.id]),
      this.store.taskLabels.annotatorStats(job.id),
      this.store.taskSkips.countsByAnnotator(job.id),
      this.store.labellingTasks.automationCounts(job.id),
    ]);
    let stats: JobStats;
    if (job.kind === 'classification') {
      const [resolved, confusion] = await Promise.all([this.store.taskLabels.resolvedLabelCounts(job.id), this.store.taskLabels.annotatorConfusion(job.id)]);
      stats = jobStats(job, resolved, annotators, skips, confusion);
    } else {
      stats = structuredJobStats(job, await this.resolvedTaskLabels(job), annotators, skips);
    }
    const mine = annotators.find((a) => a.annotator_id === ctx.principal.user.id)?.labels ?? 0;
    return { ...jobInfo(job, counts.get(job.id)), stats: { ...stats, automation: automationStats(automation) }, my_labels: mine };
  }

  /** The resolved (non-gold) tasks of a job with their labels' values, page by page. */
  private async resolvedTaskLabels(job: LabellingJob): Promise<ResolvedTaskLabels[]> {
    const out: ResolvedTaskLabels[] = [];
    for (let cursor: string | null = null; ; ) {
      const page: Page<LabellingTask> = await this.store.labellingTasks.list(job.id, { limit: MAX_LIMIT, cursor }, { status: 'resolved' });
      const tasks = page.items.filter((t) => t.gold_label === null);
      const labels = await this.store.taskLabels.listForTasks(tasks.map((t) => t.id));
      const byTask = new Map<string, ResolvedTaskLabels['labels']>();
      for (const l of labels) byTask.set(l.task_id, [...(byTask.get(l.task_id) ?? []), { annotator_id: l.annotator_id, value: l.value ?? null }]);
      for (const t of tasks) out.push({ task_id: t.id, agreement: t.agreement, tie: t.tie, resolved_value: t.resolved_value ?? null, labels: byTask.get(t.id) ?? [] });
      cursor = page.next_cursor;
      if (cursor === null) break;
    }
    return out;
  }

  /** A job's tasks, oldest first, with their labels: all of them for managers, own ones for blind annotators. */
  async listTasks(ctx: CallContext, access: ProjectAccess, jobRef: string, page: PageRequest, status?: LabellingTaskStatus): Promise<Page<TaskView>> {
    const job = await this.job(access, jobRef);
    const tasks = await this.store.labellingTasks.list(job.id, page, { status });
    const blind = !seesAllLabels(ctx, access);
    const labels = await this.store.taskLabels.listForTasks(
      tasks.items.map((t) => t.id),
      blind ? ctx.principal.user.id : undefined,
    );
    const byTask = new Map<string, typeof labels>();
    for (const l of labels) byTask.set(l.task_id, [...(byTask.get(l.task_id) ?? []), l]);
    return { items: tasks.items.map((t) => taskView(t, byTask.get(t.id) ?? [], blind, job)), next_cursor: tasks.next_cursor };
  }

  /**
   * The caller's next task: open, not labelled or skipped by them yet, with a free slot, highest
   * priority then oldest; null when nothing is left for them. The task is leased to them for the
   * job's lease time (one of its `overlap` slots), so the queue never hands a task to more people
   * than its overlap; asking again answers the same task (its lease renewed), and an expired
   * lease gives its slot back. With the job's gold rate a gold task they have not answered comes
   * instead (a deterministic draw per job, annotator and labels given so far), and gold is served
   * once no regular task is left; gold tasks look like any other and take no slot. Blind: the
   * answer holds the data (and the model's suggestion when the job shows them), never labels.
   * `exclude` passes over tasks the client holds (the workbench preloads the task after the one on screen).
   */
  async next(ctx: CallContext, access: ProjectAccess, jobRef: string, exclude: readonly string[] = []): Promise<{ task: QueuedTask | null }> {
    const job = await this.hotJob(access, jobRef);
    const userId = ctx.principal.user.id;
    // `exclude`: tasks the client holds already (the one on screen, when it preloads the next).
    const skip = exclude.filter(isId).slice(0, MAX_EXCLUDED);
    const now = this.clock.now();
    const expiresAt = now + leaseSecondsOf(job) * 1000;
    // Gold tasks take no slot, but show a lease time like any task (so they look like any other).
    if (job.gold_rate > 0) {
      const given = await this.store.taskLabels.countFor(job.id, userId);
      if (servesGold(job.id, userId, given + skip.length, job.gold_rate)) {
        const gold = await this.store.labellingTasks.nextGoldFor(job.id, userId, skip);
        if (gold) return { task: queuedTask(gold, job, expiresAt) };
      }
    }
    const reclaim = this.reclaimDue(job.id, now);
    // Atomic on its own (on PostgreSQL one statement when a task is free).
    const task = await this.store.labellingTasks.lease(job.id, userId, { overlap: job.overlap, now, expiresAt, exclude: skip, reclaim });
    if (task) return { task: queuedTask(task, job, expiresAt) };
    // With no regular task left, the gold tasks they have not answered still come.
    const gold = await this.store.labellingTasks.nextGoldFor(job.id, userId, skip);
    return { task: gold ? queuedTask(gold, job, expiresAt) : null };
  }

  /** Whether this call gives expired leases back: at most once a second per job in this process. */
  private reclaimDue(jobId: string, now: number): boolean {
    const last = this.reclaimedAt.get(jobId) ?? -Infinity;
    if (now >= last && now - last < RECLAIM_EVERY_MS) return false;
    if (this.reclaimedAt.size > 10_000) this.reclaimedAt.clear();
    this.reclaimedAt.set(jobId, now);
    return true;
  }

  /**
   * The caller passes on a task: it is not served to them again and counts towards their skip
   * rate. ConflictError when they have labelled it already; skipping twice is a no-op.
   */
  async skip(ctx: CallContext, access: ProjectAccess, jobRef: string, taskId: string): Promise<{ task_id: string; skipped: boolean }> {
    const job = await this.hotJob(access, jobRef);
    const user = ctx.principal.user;
    const draft = taskDraft(job, 'labelling.skip', taskId);
    return this.ops.run(ctx, draft, async (tx, ev) => {
      const task = await taskOf(tx.labellingTasks, job, taskId);
      if (await tx.taskLabels.get(task.id, user.id)) throw new ConflictError('you have already labelled this task', { field: 'task', task: task.id });
      const skipped = await tx.taskSkips.create({ task_id: task.id, annotator_id: user.id, project_id: job.project_id, job_id: job.id, created_at: this.clock.now() });
      // The slot they held goes back to the queue for others.
      const released = await tx.labellingTasks.releaseLease(task.id, user.id);
      ev.details = { first: skipped, lease_released: released };
      return { task_id: task.id, skipped: true };
    });
  }

  /**
   * Record the caller's label on a task. The answer is checked against the job's configuration
   * (labels it names; spans inside the task's text with the text they select; boxes inside the
   * image); each person labels a task once; a task takes `overlap` labels, then it is resolved
   * by the consensus of its kind (majority vote for classification, ties to the label listed
   * first) in the same transaction, and a classification task made from a prediction gives that
   * prediction its ground-truth feedback. Example:
   *   await labelling.submitLabel(ctx, access, 'ner', taskId, { spans: [{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }] })
   */
  async submitLabel(ctx: CallContext, access: ProjectAccess, jobRef: string, taskId: string, input: LabelInput): Promise<SubmittedLabel> {
    const job = await this.hotJob(access, jobRef);
    const known = await this.store.labellingTasks.get(job.id, taskId);
    if (!known) throw new NotFoundError('labelling task', taskId, { job: job.name });
    const answer = checkAnswer(job.label_config, known.data, input);
    const duration = input.duration_ms ?? null;
    if (duration !== null && (!Number.isInteger(duration) || duration < 0)) {
      throw new ValidationError('body.duration_ms must be a non-negative integer', { field: 'body.duration_ms' });
    }
    const user = ctx.principal.user;
    const draft = taskDraft(job, 'labelling.label', taskId, { label: answer.label });
    return this.ops.run(ctx, draft, async (tx, ev) => {
      const at = this.clock.now();
      const label: TaskLabel = { id: newId(), project_id: job.project_id, job_id: job.id, task_id: known.id, annotator_id: user.id, label: answer.label, created_at: at, duration_ms: duration };
      if (answer.value !== null) label.value = answer.value;
      // The task as read above: its slot, the label (refused when they labelled it already) and
      // the outcome are decided by the writes themselves, which see the task as it is now.
      const recorded = await recordLabelIn(tx, this.feedback, job, known, label);
      const status = recorded.status;
      if (recorded.resolved) {
        const r = recorded.resolved;
        ev.details = { ...ev.details, resolved_label: r.label, agreement: r.agreement, tie: r.tie, disputed: r.disputed };
      }
      if (recorded.gold) ev.details = { ...ev.details, gold: true, correct: recorded.gold.correct };
      return { label: labelView({ ...label, annotator: user.username }), task: { id: known.id, status } };
    });
  }

  /**
   * Withdraw the caller's label from a task that is still open (the workbench's undo): the label
   * is removed and its slot given back, so the task comes back to their queue. ConflictError once
   * the task is resolved (its labels are final); NotFoundError when they have not labelled it.
   */
  async withdrawLabel(ctx: CallContext, access: ProjectAccess, jobRef: string, taskId: string): Promise<{ task_id: string; withdrawn: LabelView }> {
    const job = await this.job(access, jobRef);
    const user = ctx.principal.user;
    const draft = taskDraft(job, 'labelling.label.withdraw', taskId);
    return this.ops.run(ctx, draft, async (tx, ev) => {
      const task = await taskOf(tx.labellingTasks, job, taskId);
      const mine = await tx.taskLabels.get(task.id, user.id);
      if (!mine) throw new NotFoundError('label of yours on task', taskId, { job: job.name });
      if (task.status !== 'open') throw new ConflictError('the task is resolved: its labels are final and cannot be withdrawn', { field: 'task', task: task.id });
      // A gold answer took no slot; a regular label's slot stays theirs as a lease (the task comes
      // back to them, not to someone else; the row is locked first).
      const leaseTo = { annotatorId: user.id, expiresAt: this.clock.now() + leaseSecondsOf(job) * 1000 };
      if (task.gold_label === null && !(await tx.labellingTasks.releaseSlot(task.id, leaseTo))) {
        throw new ConflictError('the task was resolved meanwhile: its labels are final', { field: 'task', task: task.id });
      }
      await tx.taskLabels.delete(mine.id);
      ev.details = { label: mine.label, label_id: mine.id };
      return { task_id: task.id, withdrawn: labelView({ ...mine, annotator: user.username }) };
    });
  }
}
