// Annotators' labels on Kysely: one per (task, annotator), joined to users for display, and the
// per-annotator and per-task counts the job statistics are computed from. The statements of every
// label (storing it, reading a task's labels to resolve it) are SQL templates with bound values,
// skipping the query builder's cost.
import { sql, type Kysely } from 'kysely';
import type { AnnotatorStats, TaskLabel, TaskLabelView } from '../../domain/annotation.js';
import type { LabelValue } from '../../domain/label-values.js';
import type { TaskLabelRepository } from '../../domain/ports/annotation-store.js';
import { inChunks } from './in-chunks.js';
import { toNum, toNumOrNull } from './row-values.js';
import type { Database } from './schema.js';
import { conflictsAs } from './unique-violation.js';

const LABEL_COLUMNS = ['l.id', 'l.project_id', 'l.job_id', 'l.task_id', 'l.annotator_id', 'l.label', 'l.created_at', 'l.duration_ms', 'l.value'] as const;

type LabelRow = Omit<TaskLabel, 'created_at' | 'duration_ms' | 'value'> & { created_at: number | string; duration_ms: number | string | null; value: string | null };
/** A label as stored; `value` is present only for structured kinds (absent for classification). */
const toLabel = ({ value, ...r }: LabelRow): TaskLabel => ({
  ...r,
  created_at: toNum(r.created_at),
  duration_ms: toNumOrNull(r.duration_ms),
  ...(value === null ? {} : { value: JSON.parse(value) as LabelValue }),
});

/** A label's stored value column: JSON of a structured answer, or null. */
export const storedValue = (label: TaskLabel): string | null => (label.value === null || label.value === undefined ? null : JSON.stringify(label.value));

/** Unique violations of a label's insert, as the messages of their ConflictError. */
export const labelConflicts = (label: TaskLabel) => ({
  annotator_id: 'you have already labelled this task',
  task_id: 'you have already labelled this task',
  id: `a label with id '${label.id}' already exists`,
});

export class KyselyTaskLabelRepository implements TaskLabelRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(label: TaskLabel): Promise<void> {
    const l = label;
    const insert = sql`INSERT INTO task_labels (id, project_id, job_id, task_id, annotator_id, label, created_at, duration_ms, value)
      VALUES (${l.id}, ${l.project_id}, ${l.job_id}, ${l.task_id}, ${l.annotator_id}, ${l.label}, ${l.created_at}, ${l.duration_ms ?? null}, ${storedValue(l)})`;
    await conflictsAs(() => insert.execute(this.db), labelConflicts(label));
  }

  async get(taskId: string, annotatorId: string): Promise<TaskLabel | undefined> {
    const row = await this.db
      .selectFrom('task_labels as l')
      .select(LABEL_COLUMNS)
      .where('l.task_id', '=', taskId)
      .where('l.annotator_id', '=', annotatorId)
      .executeTakeFirst();
    return row && toLabel(row);
  }

  async listForTasks(taskIds: string[], annotatorId?: string): Promise<TaskLabelView[]> {
    const out: TaskLabelView[] = [];
    await inChunks(taskIds, async (ids) => {
      const mine = annotatorId !== undefined ? sql`AND l.annotator_id = ${annotatorId}` : sql``;
      const rows = (
        await sql<LabelRow & { annotator: string }>`SELECT l.id, l.project_id, l.job_id, l.task_id, l.annotator_id, l.label, l.created_at, l.duration_ms, l.value, u.username AS annotator
          FROM task_labels l INNER JOIN users u ON u.id = l.annotator_id
          WHERE l.task_id IN (${sql.join(ids)}) ${mine} ORDER BY l.id`.execute(this.db)
      ).rows;
      for (const { annotator, ...r } of rows) out.push({ ...toLabel(r), annotator });
    });
    return out;
  }

  async annotatorStats(jobId: string): Promise<AnnotatorStats[]> {
    const rows = await this.db
      .selectFrom('task_labels as l')
      .innerJoin('labelling_tasks as t', 't.id', 'l.task_id')
      .innerJoin('users as u', 'u.id', 'l.annotator_id')
      .select((eb) => [
        'l.annotator_id',
        'u.username',
        eb.fn.countAll().as('labels'),
        eb.fn.sum<number | string>(eb.case().when('t.status', '=', 'resolved').then(1).else(0).end()).as('on_resolved'),
        eb.fn
          .sum<number | string>(
            eb
              .case()
              .when(eb.and([eb('t.status', '=', 'resolved'), eb('l.label', '=', eb.ref('t.resolved_label'))]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('agreeing'),
        eb.fn.avg<number | string | null>('l.duration_ms').as('mean_duration_ms'),
        eb.fn.sum<number | string>(eb.case().when('t.gold_label', 'is not', null).then(1).else(0).end()).as('gold_answered'),
        eb.fn.sum<number | string>(eb.case().when('l.label', '=', eb.ref('t.gold_label')).then(1).else(0).end()).as('gold_correct'),
      ])
      .where('l.job_id', '=', jobId)
      .groupBy(['l.annotator_id', 'u.username'])
      .execute();
    return rows
      .map((r) => ({
        annotator_id: r.annotator_id,
        annotator: r.username,
        labels: Number(r.labels),
        on_resolved: Number(r.on_resolved ?? 0),
        agreeing: Number(r.agreeing ?? 0),
        mean_duration_ms: r.mean_duration_ms === null ? null : Number(r.mean_duration_ms),
        gold_answered: Number(r.gold_answered ?? 0),
        gold_correct: Number(r.gold_correct ?? 0),
      }))
      .sort((a, b) => b.labels - a.labels || (a.annotator < b.annotator ? -1 : 1));
  }

  async resolvedLabelCounts(jobId: string): Promise<Array<{ task_id: string; label: string; n: number }>> {
    const rows = await this.db
      .selectFrom('task_labels as l')
      .innerJoin('labelling_tasks as t', 't.id', 'l.task_id')
      .select((eb) => ['l.task_id', 'l.label', eb.fn.countAll().as('n')])
      .where('t.job_id', '=', jobId)
      .where('t.status', '=', 'resolved')
      .groupBy(['l.task_id', 'l.label'])
      .orderBy('l.task_id')
      .orderBy('l.label')
      .execute();
    return rows.map((r) => ({ task_id: r.task_id, label: r.label, n: Number(r.n) }));
  }

  async countFor(jobId: string, annotatorId: string): Promise<number> {
    const row = await this.db
      .selectFrom('task_labels')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('job_id', '=', jobId)
      .where('annotator_id', '=', annotatorId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async deleteForTask(taskId: string): Promise<void> {
    await this.db.deleteFrom('task_labels').where('task_id', '=', taskId).execute();
  }

  async delete(labelId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('task_labels').where('id', '=', labelId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async annotatorConfusion(jobId: string): Promise<Array<{ annotator_id: string; label: string; resolved_label: string; n: number }>> {
    const rows = await this.db
      .selectFrom('task_labels as l')
      .innerJoin('labelling_tasks as t', 't.id', 'l.task_id')
      .select((eb) => ['l.annotator_id', 'l.label', 't.resolved_label', eb.fn.countAll().as('n')])
      .where('t.job_id', '=', jobId)
      .where('t.status', '=', 'resolved')
      .where('t.resolved_label', 'is not', null)
      .groupBy(['l.annotator_id', 'l.label', 't.resolved_label'])
      .orderBy('l.annotator_id')
      .orderBy('l.label')
      .orderBy('t.resolved_label')
      .execute();
    return rows.map((r) => ({ annotator_id: r.annotator_id, label: r.label, resolved_label: r.resolved_label!, n: Number(r.n) }));
  }
}
