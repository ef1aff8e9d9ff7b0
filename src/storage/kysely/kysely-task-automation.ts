// Automation on labelling tasks in Kysely: the model's suggestions, tasks resolved by the model
// (auto-labelling, their leases ended), priorities set by active learning, the dataset rows a
// job's tasks came from, and the counts job statistics report (kept per job by migration 0021's triggers).
import { sql, type Kysely } from 'kysely';
import type { TaskSuggestion } from '../../domain/annotation.js';
import type { AutomationCounts } from '../../domain/ports/annotation-store.js';
import { inChunks } from './in-chunks.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** The suggestion's JSON column: what is not in its own columns (label, confidence). */
export const suggestionJson = (s: TaskSuggestion): string => JSON.stringify({ scores: s.scores, model_version_id: s.model_version_id, source: s.source });

export function suggestionOf(label: string | null, confidence: number | null, json: string | null): TaskSuggestion | null {
  if (label === null) return null;
  const rest = json ? (JSON.parse(json) as Pick<TaskSuggestion, 'scores' | 'model_version_id' | 'source'>) : { scores: {}, model_version_id: '', source: 'model' as const };
  return { label, confidence: confidence === null ? 0 : Number(confidence), ...rest };
}

export async function setSuggestions(db: Db, jobId: string, rows: ReadonlyArray<{ task_id: string; suggestion: TaskSuggestion; spot_check: boolean }>): Promise<void> {
  // One short statement per task, as an SQL template (no query building per row).
  for (const r of rows) {
    const s = r.suggestion;
    await sql`UPDATE labelling_tasks SET suggestion_label = ${s.label}, suggestion_confidence = ${s.confidence}, suggestion = ${suggestionJson(s)}, spot_check = ${r.spot_check ? 1 : 0}
      WHERE job_id = ${jobId} AND id = ${r.task_id}`.execute(db);
  }
}

export async function resolveByModel(db: Db, jobId: string, rows: ReadonlyArray<{ task_id: string; label: string }>, at: number): Promise<string[]> {
  const byLabel = new Map<string, string[]>();
  for (const r of rows) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r.task_id]);
  const resolved: string[] = [];
  for (const [label, ids] of byLabel) {
    await inChunks(ids, async (slice) => {
      const done = await db
        .updateTable('labelling_tasks')
        .set({ status: 'resolved', resolved_label: label, resolved_by: 'model', resolved_at: at, agreement: null, tie: 0, disputed: 0, taken: 0, spot_check: 0 })
        .where('job_id', '=', jobId)
        .where('id', 'in', slice)
        .where('status', '=', 'open')
        .where('label_count', '=', 0)
        .where('gold_label', 'is', null)
        .returning('id')
        .execute();
      const ids = done.map((d) => d.id);
      if (ids.length > 0) await db.deleteFrom('task_leases').where('task_id', 'in', ids).execute();
      resolved.push(...ids);
    });
  }
  return resolved;
}

export async function setPriorities(db: Db, jobId: string, rows: ReadonlyArray<{ task_id: string; priority: number }>): Promise<number> {
  let changed = 0;
  for (const r of rows) {
    const u = await sql`UPDATE labelling_tasks SET priority = ${r.priority} WHERE job_id = ${jobId} AND id = ${r.task_id}`.execute(db);
    changed += Number(u.numAffectedRows ?? 0);
  }
  return changed;
}

export async function existingSourceRows(db: Db, jobId: string, sourceRows: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  await inChunks(sourceRows, async (slice) => {
    const rows = await db.selectFrom('labelling_tasks').select('source_row').where('job_id', '=', jobId).where('source_row', 'in', slice).execute();
    for (const r of rows) if (r.source_row !== null) found.add(r.source_row);
  });
  return found;
}

const n = (v: unknown): number => Number(v ?? 0);

/** The job's automation counts: its row of labelling_job_counts, kept by the triggers of migration 0021. */
export async function automationCounts(db: Db, jobId: string): Promise<AutomationCounts> {
  const r = await db
    .selectFrom('labelling_job_counts')
    .select(['suggested', 'auto_labelled', 'spot_checks', 'spot_checks_resolved', 'spot_checks_agreeing', 'human_resolved_suggested', 'human_agreeing_with_suggestion'])
    .where('job_id', '=', jobId)
    .executeTakeFirst();
  return {
    suggested: n(r?.suggested),
    auto_labelled: n(r?.auto_labelled),
    spot_checks: n(r?.spot_checks),
    spot_checks_resolved: n(r?.spot_checks_resolved),
    spot_checks_agreeing: n(r?.spot_checks_agreeing),
    human_resolved_suggested: n(r?.human_resolved_suggested),
    human_agreeing_with_suggestion: n(r?.human_agreeing_with_suggestion),
  };
}
