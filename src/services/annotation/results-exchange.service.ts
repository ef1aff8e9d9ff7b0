// Exchange of labelling results as JSON Lines or CSV (see results-format.ts for the formats):
// export a batch of a job's tasks with their results, and import results back, matched by task
// id, each recorded through the same label recording as the API (consensus, feedback) with its
// provenance — provider, the provider's annotator id and result id, time — in one transaction.
// Every result is reported accepted, skipped (already recorded: importing the same results
// twice stores them once) or rejected with the reason (an unknown task id, an answer that does
// not fit the job or the task, an annotator who already gave another answer, a full task).
import type { LabellingJob, LabellingTask, LabellingTaskStatus, TaskLabelView } from '../../domain/annotation.js';
import type { Clock } from '../../domain/clock.js';
import { ValidationError } from '../../domain/errors.js';
import { isId } from '../../domain/ids.js';
import { MAX_LIMIT } from '../../domain/pagination.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import { DEFAULT_PROVIDER } from './annotation-exchange.service.js';
import { writeCsv } from './csv-records.js';
import type { FeedbackService } from './feedback.service.js';
import { answerFieldOf, answerOf, inputOf, sameAnswer } from './label-answers.js';
import { recordImportedLabel, slotProblem } from './label-recording.js';
import type { LabellingService } from './labelling.service.js';
import { OutsideAnnotators } from './outside-annotators.js';
import { readCsvResults, readJsonlResults, type ResultFormat, type ResultRecord } from './results-format.js';

const PROVIDER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export type ResultItem =
  | { index: number; line: number; row: number | null; result: number | null; task_id: string; status: 'accepted'; label_id: string; label: string }
  | { index: number; line: number; row: number | null; result: number | null; task_id: string; status: 'skipped' | 'rejected'; field: string; reason: string };

export interface ResultsImportReport {
  format: ResultFormat;
  provider: string;
  received: number;
  accepted: number;
  skipped: number;
  rejected: number;
  items: ResultItem[];
}

const isoOf = (ms: number) => new Date(ms).toISOString();

export class ResultsExchangeService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
    private readonly feedback: FeedbackService,
    private readonly labelling: LabellingService,
  ) {}

  /**
   * A job's tasks (optionally of one status) with their results as JSON Lines (one task per line)
   * or CSV (one result per row; a task without results is one row with empty result cells).
   * Example: const text = await results.export(access, 'ner', 'jsonl')
   */
  async export(access: ProjectAccess, jobRef: string, format: ResultFormat, status?: LabellingTaskStatus): Promise<string> {
    const job = await this.labelling.job(access, jobRef);
    const tasks: LabellingTask[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await this.store.labellingTasks.list(job.id, { limit: MAX_LIMIT, cursor }, { status });
      tasks.push(...page.items);
      cursor = page.next_cursor;
      if (cursor === null) break;
    }
    const labels = await this.store.taskLabels.listForTasks(tasks.map((t) => t.id));
    const provenance = new Map((await this.store.annotationExchange.provenance(labels.map((l) => l.id))).map((p) => [p.label_id, p]));
    const byTask = new Map<string, TaskLabelView[]>();
    for (const l of labels) byTask.set(l.task_id, [...(byTask.get(l.task_id) ?? []), l]);
    const resultOf = (l: TaskLabelView): Record<string, unknown> => {
      const p = provenance.get(l.id);
      return {
        id: p?.external_id ?? l.id,
        annotator: p?.external_annotator ?? l.annotator,
        provider: p?.provider ?? null,
        ...inputOf(l),
        created_at: isoOf(l.created_at),
        duration_ms: l.duration_ms,
      };
    };
    if (format === 'jsonl') {
      return tasks.map((t) => `${JSON.stringify({ task_id: t.id, data: t.data, status: t.status, results: (byTask.get(t.id) ?? []).map(resultOf) })}\n`).join('');
    }
    const field = answerFieldOf(job.label_config);
    const dataKeys = [...new Set(tasks.flatMap((t) => Object.keys(t.data)))];
    const boxes = field === 'boxes' ? ['original_width', 'original_height'] : [];
    const header = ['task_id', 'id', 'annotator', 'provider', field, ...boxes, 'created_at', 'duration_ms', ...dataKeys.map((k) => `data.${k}`)];
    const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
    const rows: Array<Record<string, string>> = [];
    for (const t of tasks) {
      const data = Object.fromEntries(dataKeys.map((k) => [`data.${k}`, cell(t.data[k])]));
      const results = (byTask.get(t.id) ?? []).map(resultOf);
      if (results.length === 0) rows.push({ task_id: t.id, ...data });
      for (const r of results) rows.push({ task_id: t.id, ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(v)])), ...data });
    }
    return writeCsv(header, rows);
  }

  /**
   * Import results (JSON Lines or CSV text) into a job, in one transaction; a file that cannot be
   * read fails whole (400, nothing written). Example:
   *   await results.import(ctx, access, 'ner', 'jsonl', text, 'acme-crowd') // { accepted: 40, skipped: 2, rejected: 1, items }
   */
  async import(ctx: CallContext, access: ProjectAccess, jobRef: string, format: ResultFormat, text: string, provider = DEFAULT_PROVIDER): Promise<ResultsImportReport> {
    if (!PROVIDER_PATTERN.test(provider)) {
      throw new ValidationError('provider must be 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit', { field: 'query.provider' });
    }
    const job = await this.labelling.job(access, jobRef);
    const records = format === 'jsonl' ? readJsonlResults(text, job.label_config) : readCsvResults(text, job.label_config);
    for (const r of records) {
      if (r.provider !== null && !PROVIDER_PATTERN.test(r.provider)) {
        throw new ValidationError(`${r.row === null ? `line ${r.line}` : `row ${r.row} (line ${r.line})`}: provider must be 1-100 letters, digits, dots, dashes or underscores`, { field: 'provider', line: r.line });
      }
    }
    const draft = { action: 'labelling.results.import', project_id: job.project_id, target_ids: { project: job.project_id, labelling_job: job.id }, details: { format, provider } as Record<string, unknown> };
    return this.ops.run(ctx, draft, async (tx, ev) => {
      const run = new ResultsImportRun(tx, this.feedback, job, provider, format, ctx.principal.user.id, this.clock.now());
      const items: ResultItem[] = [];
      for (const r of records) items.push(await run.record(r));
      const count = (s: ResultItem['status']) => items.filter((i) => i.status === s).length;
      const report: ResultsImportReport = { format, provider, received: records.length, accepted: count('accepted'), skipped: count('skipped'), rejected: count('rejected'), items };
      ev.details = { format, provider, received: report.received, accepted: report.accepted, skipped: report.skipped, rejected: report.rejected };
      return report;
    });
  }
}

/** One results import inside its transaction. */
class ResultsImportRun {
  private readonly people = new Map<string, OutsideAnnotators>();

  constructor(
    private readonly tx: Repositories,
    private readonly feedback: FeedbackService,
    private readonly job: LabellingJob,
    private readonly provider: string,
    private readonly format: ResultFormat,
    private readonly importer: string,
    private readonly now: number,
  ) {}

  private annotators(provider: string): OutsideAnnotators {
    let p = this.people.get(provider);
    if (!p) this.people.set(provider, (p = new OutsideAnnotators(this.tx, this.job.project_id, provider, this.now)));
    return p;
  }

  /** The job's task with this id: a Flywheel task id, or the outside id of an imported task. */
  private async task(id: string): Promise<LabellingTask | undefined> {
    if (isId(id)) {
      const own = await this.tx.labellingTasks.get(this.job.id, id);
      if (own) return own;
    }
    const imported = await this.tx.annotationExchange.taskByExternalId(this.job.id, id);
    return imported && this.tx.labellingTasks.get(this.job.id, imported.task_id);
  }

  async record(r: ResultRecord): Promise<ResultItem> {
    const where = { index: r.index, line: r.line, row: r.row, result: r.result, task_id: r.task_id };
    const no = (status: 'skipped' | 'rejected', field: string, reason: string): ResultItem => ({ ...where, status, field, reason });
    const task = await this.task(r.task_id);
    if (!task) return no('rejected', 'task_id', `no task '${r.task_id}' in job '${this.job.name}'`);
    const answer = answerOf(this.job.label_config, task.data, r.answer, '@');
    if ('reason' in answer) return no('rejected', answer.field.replace(/^@\./, ''), answer.reason);
    const provider = r.provider ?? this.provider;
    if (r.id !== null) {
      const own = isId(r.id) && (await this.tx.taskLabels.listForTasks([task.id])).some((l) => l.id === r.id);
      if (own || (await this.tx.annotationExchange.hasAnnotation(task.id, provider, r.id))) return no('skipped', 'id', `result ${r.id} is already recorded on this task`);
    }
    const userId = await this.annotators(provider).userFor(r.annotator);
    const earlier = await this.tx.taskLabels.get(task.id, userId);
    if (earlier && sameAnswer(earlier, answer)) return no('skipped', 'annotator', `annotator '${r.annotator}' of '${provider}' already gave this answer on this task`);
    if (earlier) return no('rejected', 'annotator', `annotator '${r.annotator}' of '${provider}' has already labelled this task with another answer`);
    const full = task.gold_label === null ? slotProblem(this.job, task) : undefined;
    if (full) {
      return no('rejected', 'task_id', full);
    }
    const label = await recordImportedLabel(this.tx, this.feedback, this.job, task, {
      annotatorId: userId,
      answer,
      createdAt: r.created_at ?? this.now,
      durationMs: r.duration_ms,
      provenance: { provider, external_annotator: r.annotator, external_id: r.id, original: r.original, imported_by: this.importer, imported_at: this.now, format: this.format },
    });
    return { ...where, status: 'accepted', label_id: label.id, label: label.label };
  }
}
