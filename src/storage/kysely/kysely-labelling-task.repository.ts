// Labelling tasks on Kysely: the queue query (open, not labelled by the caller, by priority then
// age) and the label slot taken with one conditional UPDATE, so concurrent submitters on
// PostgreSQL wait on the task's row and SQLite takes its write lock before reading. Leases:
// kysely-task-leases.ts; suggestions, auto-labels and priorities: kysely-task-automation.ts.
// The statements of every label (reading the task, resolving it) are SQL templates with bound
// values, skipping the query builder's cost.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { LabellingTask, LabellingTaskStatus, ResolutionMethod, TaskLabel, TaskSuggestion } from '../../domain/annotation.js';
import type { LabelValue } from '../../domain/label-values.js';
import { type Page, type PageRequest } from '../../domain/pagination.js';
import type { AutomationCounts, LabellingTaskRepository, LeaseRequest } from '../../domain/ports/annotation-store.js';
import { pageById } from './cursor.js';
import { inChunks } from './in-chunks.js';
import { toBool, toFlag, toNum, toNumOrNull } from './row-values.js';
import type { Dialect } from './connect.js';
import type { Database } from './schema.js';
import type { LabellingTasksTable } from './schema-annotation.js';
import { conflictsAs } from './unique-violation.js';
import * as leases from './kysely-task-leases.js';
import * as automation from './kysely-task-automation.js';

const toTask = (r: Selectable<LabellingTasksTable>): LabellingTask => ({
  id: r.id,
  project_id: r.project_id,
  job_id: r.job_id,
  data: JSON.parse(r.data) as Record<string, unknown>,
  prediction_id: r.prediction_id,
  priority: toNum(r.priority),
  status: r.status as LabellingTaskStatus,
  label_count: toNum(r.label_count),
  resolved_label: r.resolved_label,
  agreement: r.agreement === null ? null : Number(r.agreement),
  tie: toBool(r.tie),
  created_at: toNum(r.created_at),
  resolved_at: toNumOrNull(r.resolved_at),
  gold_label: r.gold_label,
  disputed: toBool(r.disputed),
  // Absent for classification tasks (and tasks not resolved yet).
  ...(r.resolved_value === null || r.resolved_value === undefined ? {} : { resolved_value: JSON.parse(r.resolved_value) as LabelValue }),
  taken: toNum(r.taken),
  suggestion: automation.suggestionOf(r.suggestion_label, r.suggestion_confidence, r.suggestion),
  spot_check: toBool(r.spot_check),
  resolved_by: r.resolved_by as ResolutionMethod | null,
  source_row: r.source_row,
});

const valueJson = (v: LabelValue | null | undefined): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

const toRow = ({ suggestion, ...t }: LabellingTask) => ({
  ...t,
  data: JSON.stringify(t.data),
  tie: toFlag(t.tie),
  disputed: toFlag(t.disputed),
  resolved_value: valueJson(t.resolved_value),
  taken: t.taken ?? t.label_count,
  suggestion_label: suggestion?.label ?? null,
  suggestion_confidence: suggestion?.confidence ?? null,
  suggestion: suggestion ? automation.suggestionJson(suggestion) : null,
  spot_check: toFlag(t.spot_check ?? false),
  resolved_by: t.resolved_by ?? null,
  source_row: t.source_row ?? null,
});

/** Rows per INSERT: 16 columns each, well under SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 200;

export class KyselyLabellingTaskRepository implements LabellingTaskRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect = 'sqlite',
  ) {}

  async createMany(tasks: LabellingTask[]): Promise<void> {
    const messages = {
      prediction_id: 'a prediction in this batch got a task in this job meanwhile: send the batch again',
      source_row: 'a row in this batch got a task in this job meanwhile: send the batch again',
      id: 'a task id is taken',
    };
    await inChunks(
      tasks,
      async (slice) => void (await conflictsAs(() => this.db.insertInto('labelling_tasks').values(slice.map(toRow)).execute(), messages)),
      INSERT_CHUNK,
    );
  }

  async get(jobId: string, taskId: string): Promise<LabellingTask | undefined> {
    const row = (await sql<Selectable<LabellingTasksTable>>`SELECT * FROM labelling_tasks WHERE id = ${taskId} AND job_id = ${jobId}`.execute(this.db)).rows[0];
    return row && toTask(row);
  }

  async existingPredictionIds(jobId: string, predictionIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    await inChunks(predictionIds, async (ids) => {
      const rows = await this.db
        .selectFrom('labelling_tasks')
        .select('prediction_id')
        .where('job_id', '=', jobId)
        .where('prediction_id', 'in', ids)
        .execute();
      for (const r of rows) if (r.prediction_id !== null) found.add(r.prediction_id);
    });
    return found;
  }

  async list(jobId: string, page: PageRequest, filter: { status?: LabellingTaskStatus } = {}): Promise<Page<LabellingTask>> {
    return pageById(
      this.db
        .selectFrom('labelling_tasks')
        .selectAll()
        .where('job_id', '=', jobId)
        .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!)),
      page,
      toTask,
      'asc',
    );
  }

  /** The job's tasks the annotator has neither labelled nor skipped. */
  private untouchedBy(jobId: string, annotatorId: string) {
    return this.db
      .selectFrom('labelling_tasks as t')
      .selectAll('t')
      .where('t.job_id', '=', jobId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('task_labels as l')
              .select(sql<number>`1`.as('one'))
              .whereRef('l.task_id', '=', 't.id')
              .where('l.annotator_id', '=', annotatorId),
          ),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('task_skips as k')
              .select(sql<number>`1`.as('one'))
              .whereRef('k.task_id', '=', 't.id')
              .where('k.annotator_id', '=', annotatorId),
          ),
        ),
      );
  }

  async nextFor(jobId: string, annotatorId: string, exclude: readonly string[] = []): Promise<LabellingTask | undefined> {
    const row = await this.untouchedBy(jobId, annotatorId)
      .$if(exclude.length > 0, (q) => q.where('t.id', 'not in', [...exclude]))
      .where('t.status', '=', 'open')
      .where('t.gold_label', 'is', null)
      .orderBy('t.priority', 'desc')
      .orderBy('t.id')
      .limit(1)
      .executeTakeFirst();
    return row && toTask(row);
  }

  async nextGoldFor(jobId: string, annotatorId: string, exclude: readonly string[] = []): Promise<LabellingTask | undefined> {
    const row = await this.untouchedBy(jobId, annotatorId)
      .$if(exclude.length > 0, (q) => q.where('t.id', 'not in', [...exclude]))
      .where('t.gold_label', 'is not', null)
      .orderBy('t.id')
      .limit(1)
      .executeTakeFirst();
    return row && toTask(row);
  }

  async listDisputed(jobId: string, page: PageRequest): Promise<Page<LabellingTask>> {
    return pageById(
      this.db.selectFrom('labelling_tasks').selectAll().where('job_id', '=', jobId).where('disputed', '=', 1),
      page,
      toTask,
      'asc',
    );
  }

  async setReviewed(taskId: string, resolvedLabel: string, resolvedValue?: LabelValue | null): Promise<boolean> {
    const r = await this.db
      .updateTable('labelling_tasks')
      .set({ resolved_label: resolvedLabel, disputed: 0, resolved_by: 'review', ...(resolvedValue === undefined ? {} : { resolved_value: valueJson(resolvedValue) }) })
      .where('id', '=', taskId)
      .where('status', '=', 'resolved')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async reopen(taskId: string): Promise<boolean> {
    const r = await this.db
      .updateTable('labelling_tasks')
      .set({ status: 'open', label_count: 0, taken: 0, resolved_label: null, agreement: null, tie: 0, resolved_at: null, disputed: 0, resolved_value: null, resolved_by: null })
      .where('id', '=', taskId)
      .where('status', '=', 'resolved')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await this.db.deleteFrom('task_leases').where('task_id', '=', taskId).execute();
    return true;
  }

  async lease(jobId: string, annotatorId: string, request: LeaseRequest): Promise<LabellingTask | undefined> {
    const row = await leases.lease(this.db, this.dialect, jobId, annotatorId, request);
    return row && toTask(row);
  }

  releaseLease(taskId: string, annotatorId: string): Promise<boolean> {
    return leases.releaseLease(this.db, taskId, annotatorId);
  }

  claimSlot(taskId: string, overlap: number, annotatorId?: string): Promise<number | undefined> {
    return leases.claimSlot(this.db, this.dialect, taskId, overlap, annotatorId);
  }

  claimSlotWithLabel(label: TaskLabel, overlap: number): Promise<number | undefined> {
    return leases.claimSlotWithLabel(this.db, this.dialect, label, overlap);
  }

  async resolve(
    taskId: string,
    o: { resolved_label: string; agreement: number; tie: boolean; resolved_at: number; disputed?: boolean; resolved_value?: LabelValue | null },
  ): Promise<void> {
    await sql`UPDATE labelling_tasks SET status = 'resolved', resolved_label = ${o.resolved_label}, agreement = ${o.agreement}, tie = ${toFlag(o.tie)},
        resolved_at = ${o.resolved_at}, disputed = ${toFlag(o.disputed ?? false)}, resolved_value = ${valueJson(o.resolved_value)}, resolved_by = 'consensus'
      WHERE id = ${taskId}`.execute(this.db);
  }

  releaseSlot(taskId: string, leaseTo?: { annotatorId: string; expiresAt: number }): Promise<boolean> {
    return leases.releaseSlot(this.db, taskId, leaseTo);
  }

  setSuggestions(jobId: string, rows: ReadonlyArray<{ task_id: string; suggestion: TaskSuggestion; spot_check: boolean }>): Promise<void> {
    return automation.setSuggestions(this.db, jobId, rows);
  }

  resolveByModel(jobId: string, rows: ReadonlyArray<{ task_id: string; label: string }>, at: number): Promise<string[]> {
    return automation.resolveByModel(this.db, jobId, rows, at);
  }

  setPriorities(jobId: string, rows: ReadonlyArray<{ task_id: string; priority: number }>): Promise<number> {
    return automation.setPriorities(this.db, jobId, rows);
  }

  existingSourceRows(jobId: string, sourceRows: string[]): Promise<Set<string>> {
    return automation.existingSourceRows(this.db, jobId, sourceRows);
  }

  automationCounts(jobId: string): Promise<AutomationCounts> {
    return automation.automationCounts(this.db, jobId);
  }

  async listOpenAfter(jobId: string, afterId: string | null, limit: number): Promise<LabellingTask[]> {
    return this.pageAfter(jobId, 'open', afterId, limit);
  }

  async listResolvedAfter(jobId: string, afterId: string | null, limit: number): Promise<LabellingTask[]> {
    return (await this.pageAfter(jobId, 'resolved', afterId, limit, false)).filter((t) => t.gold_label === null);
  }

  private async pageAfter(jobId: string, status: LabellingTaskStatus, afterId: string | null, limit: number, gold = true): Promise<LabellingTask[]> {
    const rows = await this.db
      .selectFrom('labelling_tasks')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('status', '=', status)
      .$if(!gold, (q) => q.where('gold_label', 'is', null))
      .$if(afterId !== null, (q) => q.where('id', '>', afterId!))
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toTask);
  }
}
