// Migration 0021 on every target: jobs made before it get their kept counts from their tasks
// (gold tasks left out; a job without tasks counts zeros), and the triggers keep them from then on.
import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeMigration, insertRows, ownerRows } from '../../../test/support/migration-targets.js';
import { newId } from '../../domain/ids.js';
import { KyselyLabellingJobRepository } from './kysely-labelling-job.repository.js';
import { KyselyLabellingTaskRepository } from './kysely-labelling-task.repository.js';
import { migrate } from './migrate.js';

const T0 = 1_700_000_000_123;

describeMigration('0021', (before) => {
  it('counts the tasks of existing jobs, then keeps the counts as tasks change', async () => {
    const conn = await before('0020-staged-rows');
    const db = conn.db as unknown as Kysely<any>;
    const { user, project } = ownerRows(T0, { admin: true });
    const jobOf = (name: string) => ({
      id: newId(),
      project_id: project.id,
      name,
      kind: 'classification',
      label_config: '{"type":"choices","choices":["a","b"],"from_name":"label","to_name":"data"}',
      overlap: 2,
      source: '{"kind":"items"}',
      status: 'active',
      created_by: user.id,
      created_at: T0,
      gold_rate: 0,
      dispute_below: 0.67,
    });
    const [busy, idle] = [jobOf('busy'), jobOf('idle')];
    await insertRows(db, { users: user, projects: project, labelling_jobs: [busy, idle] });
    const taskOf = (o: Record<string, unknown>) => ({
      id: newId(), project_id: project.id, job_id: busy.id, data: '{}', prediction_id: null, priority: 0, status: 'open', label_count: 0,
      resolved_label: null, agreement: null, tie: 0, created_at: T0, resolved_at: null, gold_label: null, disputed: 0,
      taken: 0, suggestion_label: null, spot_check: 0, resolved_by: null, ...o,
    });
    const open = taskOf({ label_count: 1, taken: 1 });
    await db
      .insertInto('labelling_tasks')
      .values([
        open,
        taskOf({}),
        taskOf({ status: 'resolved', label_count: 2, resolved_label: 'a', resolved_by: 'consensus', suggestion_label: 'a', spot_check: 1 }),
        taskOf({ status: 'resolved', resolved_label: 'b', resolved_by: 'model', suggestion_label: 'b' }),
        taskOf({ gold_label: 'a', label_count: 1 }),
      ])
      .execute();

    expect(await migrate(conn.db)).toContain('0021-labelling-job-counts');
    const jobs = new KyselyLabellingJobRepository(conn.db);
    const tasks = new KyselyLabellingTaskRepository(conn.db);
    const counts = await jobs.counts([busy.id, idle.id]);
    expect(counts.get(busy.id)).toEqual({ tasks: 4, open: 2, resolved: 2, labels: 3 });
    expect(counts.get(idle.id)).toEqual({ tasks: 0, open: 0, resolved: 0, labels: 0 });
    expect(await tasks.automationCounts(busy.id)).toEqual({
      suggested: 2,
      auto_labelled: 1,
      spot_checks: 1,
      spot_checks_resolved: 1,
      spot_checks_agreeing: 1,
      human_resolved_suggested: 1,
      human_agreeing_with_suggestion: 1,
    });
    await tasks.claimSlot(open.id, 2);
    await tasks.resolve(open.id, { resolved_label: 'a', agreement: 1, tie: false, resolved_at: T0 + 1 });
    expect((await jobs.counts([busy.id])).get(busy.id)).toEqual({ tasks: 4, open: 1, resolved: 3, labels: 4 });
  });
});
