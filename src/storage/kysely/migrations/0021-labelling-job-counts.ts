// Migration 21: a labelling job's counts (tasks, open, resolved, labels, and the automation
// counts of the job page) kept in labelling_job_counts, one row per job, maintained by triggers
// in the transaction of every change to a task, so the job page and the job list read one row
// instead of scanning a job's tasks (1M tasks: seconds). Gold tasks are left out, as before.
// - SQLite: row triggers add a task's share on insert, take it away on delete, and on an update of
//   a counted column add (new share − old share); SQLite has one writer, so the row is no hot spot.
// - PostgreSQL: statement triggers (transition tables) sum a statement's change per job into one
//   row of labelling_job_count_deltas (a bulk insert of 100,000 tasks is one row), and a deferred
//   trigger folds each delta into the job's row at commit: the row is locked only while the
//   transaction commits, so transactions that change many tasks (imports, auto-labelling) never
//   wait on it while holding task rows (no deadlock with annotators submitting meanwhile).
// Existing jobs get their counts from their tasks; tasks are read by status with a new index.
import { SqliteAdapter, sql, type Kysely } from 'kysely';

/** Each counter and a task's share of it (`r` the task row); gold tasks count nowhere. */
const SHARES: Array<[string, string]> = [
  ['tasks', '1'],
  ['open_tasks', "CASE WHEN r.status = 'open' THEN 1 ELSE 0 END"],
  ['resolved_tasks', "CASE WHEN r.status = 'resolved' THEN 1 ELSE 0 END"],
  ['labels', 'r.label_count'],
  ['suggested', 'CASE WHEN r.suggestion_label IS NOT NULL THEN 1 ELSE 0 END'],
  ['auto_labelled', "CASE WHEN r.resolved_by = 'model' THEN 1 ELSE 0 END"],
  ['spot_checks', 'CASE WHEN r.spot_check = 1 THEN 1 ELSE 0 END'],
  ['spot_checks_resolved', "CASE WHEN r.spot_check = 1 AND r.status = 'resolved' THEN 1 ELSE 0 END"],
  ['spot_checks_agreeing', "CASE WHEN r.spot_check = 1 AND r.status = 'resolved' AND r.resolved_label = r.suggestion_label THEN 1 ELSE 0 END"],
  ['human_resolved_suggested', "CASE WHEN r.suggestion_label IS NOT NULL AND r.status = 'resolved' AND r.resolved_by <> 'model' THEN 1 ELSE 0 END"],
  [
    'human_agreeing_with_suggestion',
    "CASE WHEN r.suggestion_label IS NOT NULL AND r.status = 'resolved' AND r.resolved_by <> 'model' AND r.resolved_label = r.suggestion_label THEN 1 ELSE 0 END",
  ],
];
const COLUMNS = SHARES.map(([c]) => c);
/** The columns whose change can change a count (an UPDATE of others, e.g. a lease's `taken`, counts nothing). */
const COUNTED = ['job_id', 'gold_label', 'status', 'label_count', 'suggestion_label', 'resolved_by', 'spot_check', 'resolved_label'];

/** A task's share of `column`, as SQL over the row named `alias` (0 for gold tasks). */
const share = (column: string, alias: string): string => {
  const expr = SHARES.find(([c]) => c === column)![1].replace(/\br\./g, `${alias}.`);
  return `(CASE WHEN ${alias}.gold_label IS NULL THEN ${expr} ELSE 0 END)`;
};

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  let table = db.schema.createTable('labelling_job_counts').addColumn('job_id', 'varchar(36)', (c) => c.primaryKey().references('labelling_jobs.id').onDelete('cascade'));
  for (const c of COLUMNS) table = table.addColumn(c, 'bigint', (col) => col.notNull().defaultTo(0));
  await table.execute();
  await db
    .insertInto('labelling_job_counts')
    .columns(['job_id', ...COLUMNS])
    .expression(
      db
        .selectFrom('labelling_jobs as j')
        .leftJoin('labelling_tasks as t', 't.job_id', 'j.id')
        .select('j.id')
        .select(COLUMNS.map((c) => sql<number>`COALESCE(SUM(CASE WHEN t.id IS NULL THEN 0 ELSE ${sql.raw(share(c, 't'))} END), 0)`.as(c)))
        .groupBy('j.id'),
    )
    .execute();
  // Listing a job's tasks by status (resolved ones for statistics and output) reads an index range.
  await db.schema.createIndex('labelling_tasks_job_status').on('labelling_tasks').columns(['job_id', 'status', 'id']).execute();
  if (sqlite) await sqliteTriggers(db);
  else await postgresTriggers(db);
}

async function sqliteTriggers(db: Kysely<any>): Promise<void> {
  const add = (alias: 'NEW' | 'OLD', sign: '+' | '-') => COLUMNS.map((c) => `${c} = ${c} ${sign} ${share(c, alias)}`).join(', ');
  await sql.raw(`CREATE TRIGGER labelling_job_counts_job AFTER INSERT ON labelling_jobs BEGIN INSERT INTO labelling_job_counts (job_id) VALUES (NEW.id); END`).execute(db);
  await sql.raw(`CREATE TRIGGER labelling_job_counts_task_insert AFTER INSERT ON labelling_tasks WHEN NEW.gold_label IS NULL BEGIN
    UPDATE labelling_job_counts SET ${add('NEW', '+')} WHERE job_id = NEW.job_id; END`).execute(db);
  await sql.raw(`CREATE TRIGGER labelling_job_counts_task_delete AFTER DELETE ON labelling_tasks WHEN OLD.gold_label IS NULL BEGIN
    UPDATE labelling_job_counts SET ${add('OLD', '-')} WHERE job_id = OLD.job_id; END`).execute(db);
  const changed = COUNTED.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  await sql.raw(`CREATE TRIGGER labelling_job_counts_task_update AFTER UPDATE OF ${COUNTED.join(', ')} ON labelling_tasks WHEN ${changed} BEGIN
    UPDATE labelling_job_counts SET ${add('OLD', '-')} WHERE job_id = OLD.job_id;
    UPDATE labelling_job_counts SET ${add('NEW', '+')} WHERE job_id = NEW.job_id; END`).execute(db);
}

async function postgresTriggers(db: Kysely<any>): Promise<void> {
  let deltas = db.schema.createTable('labelling_job_count_deltas').addColumn('id', 'bigserial', (c) => c.primaryKey()).addColumn('job_id', 'varchar(36)', (c) => c.notNull());
  for (const c of COLUMNS) deltas = deltas.addColumn(c, 'bigint', (col) => col.notNull());
  await deltas.execute();
  const cols = COLUMNS.join(', ');
  const sums = COLUMNS.map((c) => `SUM(${c})`).join(', ');
  const nonZero = COLUMNS.map((c) => `SUM(${c}) <> 0`).join(' OR ');
  const sharesOf = (alias: string, sign: '' | '-') => COLUMNS.map((c) => `${sign}${share(c, alias)} AS ${c}`).join(', ');
  /** One delta row per job a statement changed (none when its changes cancel out, e.g. a lease's `taken`). */
  const deltaFrom = (parts: string[]) =>
    `INSERT INTO labelling_job_count_deltas (job_id, ${cols}) SELECT job_id, ${sums} FROM (${parts.join(' UNION ALL ')}) d GROUP BY job_id HAVING ${nonZero};`;
  const fn = async (name: string, body: string) =>
    sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fw$ BEGIN ${body} RETURN NULL; END $fw$`).execute(db);
  await fn('labelling_job_counts_insert_fn', deltaFrom([`SELECT r.job_id, ${sharesOf('r', '')} FROM new_rows r`]));
  await fn('labelling_job_counts_delete_fn', deltaFrom([`SELECT r.job_id, ${sharesOf('r', '-')} FROM old_rows r`]));
  await fn('labelling_job_counts_update_fn', deltaFrom([`SELECT r.job_id, ${sharesOf('r', '')} FROM new_rows r`, `SELECT r.job_id, ${sharesOf('r', '-')} FROM old_rows r`]));
  const folds = COLUMNS.map((c) => `${c} = labelling_job_counts.${c} + NEW.${c}`).join(', ');
  await fn('labelling_job_counts_fold_fn', `UPDATE labelling_job_counts SET ${folds} WHERE job_id = NEW.job_id; DELETE FROM labelling_job_count_deltas WHERE id = NEW.id;`);
  await fn('labelling_job_counts_job_fn', 'INSERT INTO labelling_job_counts (job_id) VALUES (NEW.id);');
  await sql.raw(`CREATE TRIGGER labelling_job_counts_job AFTER INSERT ON labelling_jobs FOR EACH ROW EXECUTE FUNCTION labelling_job_counts_job_fn()`).execute(db);
  for (const [op, ref] of [['insert', 'NEW TABLE AS new_rows'], ['delete', 'OLD TABLE AS old_rows'], ['update', 'OLD TABLE AS old_rows NEW TABLE AS new_rows']]) {
    await sql
      .raw(`CREATE TRIGGER labelling_job_counts_task_${op} AFTER ${op.toUpperCase()} ON labelling_tasks REFERENCING ${ref} FOR EACH STATEMENT EXECUTE FUNCTION labelling_job_counts_${op}_fn()`)
      .execute(db);
  }
  await sql
    .raw(`CREATE CONSTRAINT TRIGGER labelling_job_counts_fold AFTER INSERT ON labelling_job_count_deltas DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION labelling_job_counts_fold_fn()`)
    .execute(db);
}
