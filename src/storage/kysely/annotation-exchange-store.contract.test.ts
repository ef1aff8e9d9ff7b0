// Contract tests of the annotation exchange repository on every database target: outside
// annotators (unique per project, provider and id), imported tasks' JSON kept whole and found by
// outside id, and provenance read back by label id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import type { LabellingJob, LabellingTask } from '../../domain/annotation.js';
import { ConflictError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { openMetadataStore, type KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_123;

for (const target of databaseTargets) {
  const title = target.available ? `annotation exchange repository on ${target.name}` : `annotation exchange repository on ${target.name} (skipped: ${target.skipReason})`;
  describe.skipIf(!target.available)(title, () => {
    let store: KyselyMetadataStore;
    const projectId = newId();
    const userId = newId();
    const job: LabellingJob = {
      id: newId(),
      project_id: projectId,
      name: 'j',
      kind: 'classification',
      label_config: { type: 'choices', choices: ['a', 'b'], from_name: 'label', to_name: 'data' },
      overlap: 2,
      source: { kind: 'items' },
      status: 'active',
      created_by: userId,
      created_at: T0,
      gold_rate: 0,
      dispute_below: 0,
    };
    const task: LabellingTask = {
      id: newId(),
      project_id: projectId,
      job_id: job.id,
      data: { x: 1 },
      prediction_id: null,
      priority: 0,
      status: 'open',
      label_count: 1,
      resolved_label: null,
      agreement: null,
      tie: false,
      created_at: T0,
      resolved_at: null,
      gold_label: null,
      disputed: false,
    };

    beforeAll(async () => {
      store = await openMetadataStore(await target.freshUrl());
      await store.users.create({ id: userId, username: 'ext/1~x', display_name: '1 (ext)', password_hash: '!', is_admin: false, disabled: true, created_at: T0 });
      await store.projects.create({ id: projectId, name: 'p', description: '', created_by: userId, created_at: T0, updated_at: T0 });
      await store.labellingJobs.create(job);
      await store.labellingTasks.createMany([task]);
    });
    afterAll(() => store?.close());

    it('knows an outside annotator once per project, provider and id', async () => {
      const a = { id: newId(), project_id: projectId, provider: 'ext', external_id: '1', user_id: userId, created_at: T0 };
      await store.annotationExchange.createAnnotator(a);
      expect(await store.annotationExchange.getAnnotator(projectId, 'ext', '1')).toEqual(a);
      expect(await store.annotationExchange.getAnnotator(projectId, 'other', '1')).toBeUndefined();
      await expect(store.annotationExchange.createAnnotator({ ...a, id: newId() })).rejects.toBeInstanceOf(ConflictError);
    });

    it('keeps an imported task and its annotation whole, found by outside id and label id', async () => {
      const original = { id: 101, data: { x: 1 }, annotations: [], predictions: [{ model_version: 'm', result: [] }], meta: { deep: [1, { y: null }] } };
      await store.annotationExchange.createTask({ task_id: task.id, job_id: job.id, external_id: '101', original });
      expect(await store.annotationExchange.taskByExternalId(job.id, '101')).toEqual({ task_id: task.id, job_id: job.id, external_id: '101', original });
      expect(await store.annotationExchange.taskByExternalId(job.id, '102')).toBeUndefined();
      expect(await store.annotationExchange.tasks([task.id, newId()])).toHaveLength(1);

      const labelId = newId();
      await store.taskLabels.create({ id: labelId, project_id: projectId, job_id: job.id, task_id: task.id, annotator_id: userId, label: 'a', created_at: T0, duration_ms: null });
      const p = { label_id: labelId, task_id: task.id, job_id: job.id, provider: 'ext', external_annotator: '1', external_id: '1001', original: { id: 1001, lead_time: 4.288 }, imported_by: userId, imported_at: T0 };
      await store.annotationExchange.createProvenance(p);
      expect(await store.annotationExchange.provenance([labelId])).toEqual([p]);
      expect(await store.annotationExchange.hasAnnotation(task.id, 'ext', '1001')).toBe(true);
      expect(await store.annotationExchange.hasAnnotation(task.id, 'other', '1001')).toBe(false);
    });
  });
}
