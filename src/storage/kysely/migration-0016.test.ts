// Migration 0016 on every target: a 0015 database keeps its labelling work — labels already given
// hold their slots (`taken`), resolved tasks are marked as decided by their annotators, jobs get
// the default lease time and show suggestions — and gains leases and the open-task queue index.
import { expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { describeMigration, insertRows, ownerRows } from '../../../test/support/migration-targets.js';
import { newId } from '../../domain/ids.js';
import { migrate } from './migrate.js';

const T0 = 1_700_000_000_123;

describeMigration('0016', (before) => {
  it('keeps labelling work, counts given labels as taken slots, and adds leases', async () => {
    const conn = await before('0015-labelling-task-types');
    const db = conn.db as unknown as Kysely<any>;
    const { user, project } = ownerRows(T0, { project: 'news' });
    const job = {
      id: newId(), project_id: project.id, name: 'topics', kind: 'classification', label_config: '{"type":"choices","choices":["a","b"],"from_name":"label","to_name":"data"}',
      overlap: 3, source: '{"kind":"items"}', status: 'active', created_by: user.id, created_at: T0, gold_rate: 0, dispute_below: 0.5,
    };
    const base = { project_id: project.id, job_id: job.id, data: '{"x":1}', prediction_id: null, priority: 0, resolved_label: null, agreement: null, tie: 0, created_at: T0, resolved_at: null, gold_label: null, disputed: 0 };
    const open = { ...base, id: newId(), status: 'open', label_count: 2 };
    const done = { ...base, id: newId(), status: 'resolved', label_count: 3, resolved_label: 'a', agreement: 1, resolved_at: T0 };
    await insertRows(db, { users: user, projects: project, labelling_jobs: job, labelling_tasks: [open, done] });

    expect(await migrate(conn.db)).toContain('0016-labelling-automation');
    const tasks = await db.selectFrom('labelling_tasks').select(['id', 'taken', 'resolved_by', 'suggestion_label', 'spot_check']).orderBy('id').execute();
    expect(tasks.map((t) => ({ ...t, taken: Number(t.taken), spot_check: Number(t.spot_check) }))).toEqual(
      [
        { id: open.id, taken: 2, resolved_by: null, suggestion_label: null, spot_check: 0 },
        { id: done.id, taken: 3, resolved_by: 'consensus', suggestion_label: null, spot_check: 0 },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    const j = await db.selectFrom('labelling_jobs').select(['lease_seconds', 'show_suggestions', 'model', 'auto_label']).executeTakeFirstOrThrow();
    expect({ ...j, lease_seconds: Number(j.lease_seconds), show_suggestions: Number(j.show_suggestions) }).toEqual({ lease_seconds: 600, show_suggestions: 1, model: null, auto_label: null });
    const lease = { task_id: open.id, annotator_id: user.id, project_id: project.id, job_id: job.id, expires_at: T0 + 600_000 };
    await db.insertInto('task_leases').values(lease).execute();
    expect((await db.selectFrom('task_leases').selectAll().execute()).map((l) => ({ ...l, expires_at: Number(l.expires_at) }))).toEqual([lease]);
    // Deleting a task ends its leases.
    await db.deleteFrom('labelling_tasks').where('id', '=', open.id).execute();
    expect(await db.selectFrom('task_leases').selectAll().execute()).toEqual([]);
    if (conn.dialect === 'sqlite') {
      const idx = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'labelling_tasks_open_queue'`.execute(db);
      expect(idx.rows).toHaveLength(1);
    } else {
      const idx = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE indexname = 'labelling_tasks_open_queue'`.execute(db);
      expect(idx.rows[0].indexdef).toMatch(/WHERE .*status.*'open'.*gold_label IS NULL/);
    }
  });
});
