// Label Studio JSON export and import of a classification job. Export writes each task with its
// labels as annotations and the model's suggestion as a prediction; import matches tasks by id (Flywheel's, or the outside tool's id of an
// earlier import), creates unknown ones, and records new annotations through the same label
// recording as the API (majority vote, feedback), with provenance: provider, outside annotator
// id, time. Imported JSON is kept whole, so export → import → export gives the same JSON.
import type { LabellingJob, LabellingTask, LabellingTaskStatus, TaskLabelView } from '../../domain/annotation.js';
import type { ExchangeTask } from '../../domain/annotation-exchange.js';
import type { Clock } from '../../domain/clock.js';
import { ValidationError } from '../../domain/errors.js';
import { isId, newId } from '../../domain/ids.js';
import { MAX_LIMIT } from '../../domain/pagination.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import type { FeedbackService } from './feedback.service.js';
import { sameAnswer } from './label-answers.js';
import { OutsideAnnotators } from './outside-annotators.js';
import { recordImportedLabel, slotProblem } from './label-recording.js';
import { annotationOf, idString, isObject, nativeTaskOf, parseAnnotation, withPrediction, type LabelStudioTask } from './label-studio-format.js';
import type { LabellingService } from './labelling.service.js';
import { MAX_ITEM_BYTES } from './task-items.js';

export const MAX_IMPORT_TASKS = 10_000;
export const DEFAULT_PROVIDER = 'label-studio';
const PROVIDER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export type AnnotationResult =
  | { index: number; status: 'accepted'; label_id: string; label: string }
  | { index: number; status: 'skipped' | 'rejected'; field: string; reason: string };

export type ImportItemResult =
  | { index: number; status: 'accepted'; task_id: string; task: 'created' | 'matched'; annotations: AnnotationResult[] }
  | { index: number; status: 'rejected'; field: string; reason: string };

export interface ImportReport {
  provider: string;
  received: number;
  accepted: number;
  rejected: number;
  tasks_created: number;
  annotations: { received: number; accepted: number; skipped: number; rejected: number };
  items: ImportItemResult[];
}

type Rejection = { field: string; reason: string };

/** Why a task's JSON cannot be imported (before matching), or undefined. */
function taskProblem(item: unknown, at: string): Rejection | undefined {
  if (!isObject(item)) return { field: at, reason: 'task is not an object like { "data": { ... }, "annotations": [...] }' };
  if ('id' in item && item.id !== null && idString(item.id) === undefined) return { field: `${at}.id`, reason: 'id must be a number or a string of 1-200 characters' };
  if ('annotations' in item && !Array.isArray(item.annotations)) return { field: `${at}.annotations`, reason: 'annotations is not a list' };
  if ('predictions' in item && !Array.isArray(item.predictions)) return { field: `${at}.predictions`, reason: 'predictions is not a list' };
  return undefined;
}

function dataProblem(item: Record<string, unknown>, at: string): Rejection | undefined {
  if (!isObject(item.data)) return { field: `${at}.data`, reason: 'data (the row to label) is missing or not a JSON object' };
  if (Object.keys(item.data).length === 0) return { field: `${at}.data`, reason: 'data is an empty object: nothing to label' };
  if (JSON.stringify(item).length > MAX_ITEM_BYTES * 4) return { field: at, reason: `task is larger than ${MAX_ITEM_BYTES * 4} bytes as JSON` };
  return undefined;
}

export class AnnotationExchangeService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
    private readonly feedback: FeedbackService,
    private readonly labelling: LabellingService,
  ) {}

  /**
   * The job's tasks (optionally of one status) as Label Studio JSON, oldest first. Imported tasks
   * and annotations are written as they were imported. Example:
   *   const tasks = await exchange.exportLabelStudio(access, 'jan-2014'); tasks[0].annotations
   */
  async exportLabelStudio(access: ProjectAccess, jobRef: string, status?: LabellingTaskStatus): Promise<LabelStudioTask[]> {
    const job = await this.labelling.job(access, jobRef);
    const tasks: LabellingTask[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await this.store.labellingTasks.list(job.id, { limit: MAX_LIMIT, cursor }, { status });
      tasks.push(...page.items);
      cursor = page.next_cursor;
      if (cursor === null) break;
    }
    const ids = tasks.map((t) => t.id);
    const [labels, originals] = await Promise.all([this.store.taskLabels.listForTasks(ids), this.store.annotationExchange.tasks(ids)]);
    const provenance = new Map((await this.store.annotationExchange.provenance(labels.map((l) => l.id))).map((p) => [p.label_id, p]));
    const originalOf = new Map(originals.map((o) => [o.task_id, o.original]));
    const labelsOf = new Map<string, TaskLabelView[]>();
    for (const l of labels) labelsOf.set(l.task_id, [...(labelsOf.get(l.task_id) ?? []), l]);
    return tasks.map((t) => {
      const own = labelsOf.get(t.id) ?? [];
      // Labels imported from Label Studio come back as imported; others are written afresh.
      const annotations = own.map((l) => {
        const p = provenance.get(l.id);
        return p && p.format === undefined ? p.original : annotationOf(l, job.label_config);
      });
      const imported = originalOf.get(t.id);
      if (!imported) return { ...nativeTaskOf(t, job.label_config), annotations };
      // The model's suggestion joins the imported predictions (an import's own stay as they were).
      const original = withPrediction(imported, t, job.label_config);
      if (!('annotations' in original) && annotations.length === 0) return { ...original };
      return { ...original, annotations };
    });
  }

  /**
   * Import Label Studio tasks into a job, each accepted or rejected with its reason (and each of
   * its annotations accepted, skipped as already recorded, or rejected), in one transaction.
   */
  async importLabelStudio(ctx: CallContext, access: ProjectAccess, jobRef: string, items: readonly unknown[], provider = DEFAULT_PROVIDER): Promise<ImportReport> {
    if (!Array.isArray(items)) throw new ValidationError('body must be a list of Label Studio tasks', { field: 'body' });
    if (items.length > MAX_IMPORT_TASKS) throw new ValidationError(`body has ${items.length} tasks; send at most ${MAX_IMPORT_TASKS} per request`, { field: 'body' });
    if (!PROVIDER_PATTERN.test(provider)) {
      throw new ValidationError('provider must be 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit', { field: 'query.provider' });
    }
    const job = await this.labelling.job(access, jobRef);
    const draft = { action: 'labelling.import', project_id: job.project_id, target_ids: { project: job.project_id, labelling_job: job.id }, details: { provider } as Record<string, unknown> };
    return this.ops.run(ctx, draft, async (tx, ev) => {
      const run = new ImportRun(tx, this.feedback, job, provider, ctx.principal.user.id, this.clock.now());
      const results: ImportItemResult[] = [];
      for (const [index, item] of items.entries()) results.push(await run.task(item, index));
      const report = run.report(results, items.length);
      ev.details = { provider, tasks: report.accepted, rejected: report.rejected, created: report.tasks_created, annotations: report.annotations };
      return report;
    });
  }
}

/** One import, inside its transaction: caches the outside annotators' users. */
class ImportRun {
  private readonly people: OutsideAnnotators;
  private created = 0;
  private readonly counts = { received: 0, accepted: 0, skipped: 0, rejected: 0 };
  private readonly predictionIds = new Set<string>();

  constructor(
    private readonly tx: Repositories,
    private readonly feedback: FeedbackService,
    private readonly job: LabellingJob,
    private readonly provider: string,
    private readonly importer: string,
    private readonly now: number,
  ) {
    this.people = new OutsideAnnotators(tx, job.project_id, provider, now);
  }

  report(items: ImportItemResult[], received: number): ImportReport {
    const accepted = items.filter((i) => i.status === 'accepted').length;
    return { provider: this.provider, received, accepted, rejected: received - accepted, tasks_created: this.created, annotations: { ...this.counts }, items };
  }

  async task(item: unknown, index: number): Promise<ImportItemResult> {
    const at = `body[${index}]`;
    const problem = taskProblem(item, at);
    if (problem) return { index, status: 'rejected', ...problem };
    const t = item as Record<string, unknown>;
    const externalId = t.id === undefined || t.id === null ? null : idString(t.id)!;
    let task = await this.match(externalId);
    let how: 'created' | 'matched' = 'matched';
    if (!task) {
      const made = await this.create(t, externalId, at);
      if ('reason' in made) return { index, status: 'rejected', ...made };
      task = made;
      how = 'created';
    }
    const annotations = Array.isArray(t.annotations) ? t.annotations : [];
    const results: AnnotationResult[] = [];
    for (const [i, a] of annotations.entries()) {
      const r = await this.annotation(task, a, i, `${at}.annotations[${i}]`);
      this.counts.received++;
      this.counts[r.status]++;
      results.push(r);
      if (r.status === 'accepted') task = (await this.tx.labellingTasks.get(this.job.id, task.id))!;
    }
    return { index, status: 'accepted', task_id: task.id, task: how, annotations: results };
  }

  /** The job's task with this id: a Flywheel task id, or the outside id of an imported task. */
  private async match(externalId: string | null): Promise<LabellingTask | undefined> {
    if (externalId === null) return undefined;
    if (isId(externalId)) {
      const own = await this.tx.labellingTasks.get(this.job.id, externalId);
      if (own) return own;
    }
    const imported = await this.tx.annotationExchange.taskByExternalId(this.job.id, externalId);
    return imported && this.tx.labellingTasks.get(this.job.id, imported.task_id);
  }

  private async create(t: Record<string, unknown>, externalId: string | null, at: string): Promise<LabellingTask | Rejection> {
    const problem = dataProblem(t, at);
    if (problem) return problem;
    const meta = t.meta;
    const predictionId = isObject(meta) && typeof meta.prediction_id === 'string' && meta.prediction_id !== '' && meta.prediction_id.length <= 200 ? meta.prediction_id : null;
    if (predictionId !== null) {
      const taken = this.predictionIds.has(predictionId) || (await this.tx.labellingTasks.existingPredictionIds(this.job.id, [predictionId])).size > 0;
      if (taken) return { field: `${at}.meta.prediction_id`, reason: `prediction '${predictionId}' already has a task in this job` };
      this.predictionIds.add(predictionId);
    }
    const task: LabellingTask = {
      id: newId(),
      project_id: this.job.project_id,
      job_id: this.job.id,
      data: t.data as Record<string, unknown>,
      prediction_id: predictionId,
      priority: 0,
      status: 'open',
      label_count: 0,
      resolved_label: null,
      agreement: null,
      tie: false,
      created_at: this.now,
      resolved_at: null,
      gold_label: null,
      disputed: false,
    };
    await this.tx.labellingTasks.createMany([task]);
    const original: Record<string, unknown> = { ...t };
    if ('annotations' in original) original.annotations = [];
    const exchange: ExchangeTask = { task_id: task.id, job_id: this.job.id, external_id: externalId, original };
    await this.tx.annotationExchange.createTask(exchange);
    this.created++;
    return task;
  }

  private async annotation(task: LabellingTask, a: unknown, index: number, at: string): Promise<AnnotationResult> {
    const parsed = parseAnnotation(a, this.job.label_config, task.data);
    if ('reason' in parsed) return { index, status: 'rejected', field: `${at}${parsed.field}`, reason: parsed.reason };
    const ext = parsed.external_id;
    if (ext !== null) {
      const existing = isId(ext) ? (await this.tx.taskLabels.listForTasks([task.id])).some((l) => l.id === ext) : false;
      if (existing || (await this.tx.annotationExchange.hasAnnotation(task.id, this.provider, ext))) {
        return { index, status: 'skipped', field: `${at}.id`, reason: `annotation ${ext} is already recorded on this task` };
      }
    }
    const userId = await this.people.userFor(parsed.annotator);
    const earlier = await this.tx.taskLabels.get(task.id, userId);
    if (earlier && sameAnswer(earlier, parsed)) {
      return { index, status: 'skipped', field: at, reason: `annotator '${parsed.annotator}' of '${this.provider}' already gave this answer on this task` };
    }
    if (earlier) {
      return { index, status: 'rejected', field: `${at}.completed_by`, reason: `annotator '${parsed.annotator}' of '${this.provider}' has already labelled this task` };
    }
    const full = slotProblem(this.job, task);
    if (full) return { index, status: 'rejected', field: at, reason: full };
    const label = await recordImportedLabel(this.tx, this.feedback, this.job, task, {
      annotatorId: userId,
      answer: parsed,
      createdAt: parsed.created_at ?? this.now,
      durationMs: parsed.duration_ms,
      provenance: { provider: this.provider, external_annotator: parsed.annotator, external_id: ext, original: a as Record<string, unknown>, imported_by: this.importer, imported_at: this.now },
    });
    return { index, status: 'accepted', label_id: label.id, label: label.label };
  }
}
