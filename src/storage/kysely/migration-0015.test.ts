// Migration 0015 on every target: a 0014 database keeps its jobs, tasks, labels and provenance
// (labels without a structured value, tasks without a consensus value, provenance marked as
// Label Studio JSON), and gains the table of images uploaded to jobs.
import { expect, it } from 'vitest';
import { describeMigration, insertRows, ownerRows } from '../../../test/support/migration-targets.js';
import { newId } from '../../domain/ids.js';
import { migrate } from './migrate.js';

const T0 = 1_700_000_000_123;

describeMigration('0015', (before) => {
  it('keeps labelling work and adds structured values and images', async () => {
    const conn = await before('0014-serving-traffic');
    const db = conn.db;
    const any = db as unknown as import('kysely').Kysely<any>;
    const { user, project } = ownerRows(T0, { project: 'news' });
    const job = {
      id: newId(), project_id: project.id, name: 'topics', kind: 'classification', label_config: '{"type":"choices","choices":["a","b"],"from_name":"label","to_name":"data"}',
      overlap: 1, source: '{"kind":"items"}', status: 'active', created_by: user.id, created_at: T0, gold_rate: 0, dispute_below: 0.5,
    };
    const task = {
      id: newId(), project_id: project.id, job_id: job.id, data: '{"x":1}', prediction_id: null, priority: 0, status: 'resolved', label_count: 1, resolved_label: 'a',
      agreement: 1, tie: 0, created_at: T0, resolved_at: T0, gold_label: null, disputed: 0,
    };
    const label = { id: newId(), project_id: project.id, job_id: job.id, task_id: task.id, annotator_id: user.id, label: 'a', created_at: T0, duration_ms: 900 };
    const provenance = { label_id: label.id, task_id: task.id, job_id: job.id, provider: 'label-studio', external_annotator: '7', external_id: '1', original: '{}', imported_by: user.id, imported_at: T0 };
    await insertRows(any, {
      users: user,
      projects: project,
      labelling_jobs: job,
      labelling_tasks: task,
      task_labels: label,
      label_provenance: provenance,
    });

    expect(await migrate(db)).toContain('0015-labelling-task-types');
    expect(await any.selectFrom('task_labels').selectAll().execute()).toEqual([{ ...label, value: null }]);
    expect(await any.selectFrom('labelling_tasks').select(['id', 'resolved_label', 'resolved_value']).execute()).toEqual([{ id: task.id, resolved_label: 'a', resolved_value: null }]);
    expect(await any.selectFrom('label_provenance').select(['label_id', 'format']).execute()).toEqual([{ label_id: label.id, format: 'label-studio' }]);
    const image = { job_id: job.id, sha256: 'f'.repeat(64), project_id: project.id, content_type: 'image/png', size: 10, width: 2, height: 3, task_id: task.id, name: null, created_by: user.id, created_at: T0 };
    await any.insertInto('labelling_images').values(image).execute();
    expect(await any.selectFrom('labelling_images').selectAll().execute()).toEqual([image]);
  });
});
