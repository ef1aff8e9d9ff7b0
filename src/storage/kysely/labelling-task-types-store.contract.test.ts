// Contract tests of the repository parts for structured task types on every database target:
// labels and consensus values stored whole, a slot given back and a label removed (undo), the
// annotator × consensus table, the queue passing over excluded tasks, and uploaded images.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import { openTask, type LabellingJob, type LabellingTask, type TaskLabel } from '../../domain/annotation.js';
import { ConflictError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { LabelValue } from '../../domain/label-values.js';
import { openMetadataStore, type KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_123;

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`labelling task-type repositories on ${target.name}${target.skipReason ? ` (skipped: ${target.skipReason})` : ''}`, () => {
    let store: KyselyMetadataStore;
    let projectId = '';
    const users: string[] = [];

    const job = (): LabellingJob => ({
      id: newId(),
      project_id: projectId,
      name: `job-${newId().slice(-6)}`,
      kind: 'text-spans',
      label_config: { type: 'labels', labels: ['PER', 'LOC'], from_name: 'label', to_name: 'text', field: 'text' },
      overlap: 2,
      source: { kind: 'items' },
      status: 'active',
      created_by: users[0],
      created_at: T0,
      gold_rate: 0,
      dispute_below: 0.5,
    });
    const task = (j: LabellingJob): LabellingTask => openTask(j, T0, { data: { text: 'Anna in Oslo' } });
    const spans: LabelValue = { type: 'labels', spans: [{ start: 0, end: 4, text: 'Anna', labels: ['PER'] }] };
    const label = (t: LabellingTask, annotator: string, l = 'PER: Anna', value: LabelValue | undefined = spans): TaskLabel => ({
      id: newId(),
      project_id: projectId,
      job_id: t.job_id,
      task_id: t.id,
      annotator_id: annotator,
      label: l,
      created_at: T0 + 1,
      duration_ms: null,
      ...(value ? { value } : {}),
    });

    beforeAll(async () => {
      store = await openMetadataStore(await target.freshUrl());
      for (const name of ['u1', 'u2']) {
        const id = newId();
        await store.users.create({ id, username: name, display_name: name, password_hash: 'x', is_admin: false, disabled: false, created_at: T0 });
        users.push(id);
      }
      projectId = newId();
      await store.projects.create({ id: projectId, name: 'p', description: '', created_by: users[0], created_at: T0, updated_at: T0 });
    });
    afterAll(() => store?.close());

    it('stores label values and the consensus value whole; a classification label has none', async () => {
      const j = job();
      await store.labellingJobs.create(j);
      const t = task(j);
      await store.labellingTasks.createMany([t]);
      const l = label(t, users[0]);
      await store.taskLabels.create(l);
      expect(await store.taskLabels.get(t.id, users[0])).toEqual(l);
      expect((await store.taskLabels.listForTasks([t.id]))[0]).toEqual({ ...l, annotator: 'u1' });
      const plain = label(t, users[1], 'rain', undefined);
      await store.taskLabels.create(plain);
      expect(await store.taskLabels.get(t.id, users[1])).toEqual(plain);
      await store.labellingTasks.resolve(t.id, { resolved_label: 'PER: Anna', agreement: 1, tie: false, resolved_at: T0 + 2, resolved_value: spans });
      expect(await store.labellingTasks.get(j.id, t.id)).toMatchObject({ status: 'resolved', resolved_value: spans });
      const fixed: LabelValue = { type: 'labels', spans: [] };
      expect(await store.labellingTasks.setReviewed(t.id, '(no spans)', fixed)).toBe(true);
      expect(await store.labellingTasks.get(j.id, t.id)).toMatchObject({ resolved_label: '(no spans)', resolved_value: fixed });
      expect(await store.labellingTasks.reopen(t.id)).toBe(true);
      expect(await store.labellingTasks.get(j.id, t.id)).not.toHaveProperty('resolved_value');
    });

    it('gives a slot back while the task is open, removes one label, and passes over excluded tasks', async () => {
      const j = job();
      await store.labellingJobs.create(j);
      const [a, b] = [task(j), task(j)];
      await store.labellingTasks.createMany([a, b]);
      expect((await store.labellingTasks.nextFor(j.id, users[0], [a.id]))?.id).toBe(b.id);
      expect(await store.labellingTasks.nextFor(j.id, users[0], [a.id, b.id])).toBeUndefined();
      expect(await store.labellingTasks.releaseSlot(a.id)).toBe(false); // no label yet
      expect(await store.labellingTasks.claimSlot(a.id, 2)).toBe(1);
      const l = label(a, users[0]);
      await store.taskLabels.create(l);
      expect(await store.labellingTasks.releaseSlot(a.id)).toBe(true);
      expect(await store.taskLabels.delete(l.id)).toBe(true);
      expect(await store.taskLabels.delete(l.id)).toBe(false);
      expect(await store.labellingTasks.get(j.id, a.id)).toMatchObject({ label_count: 0 });
      await store.labellingTasks.resolve(b.id, { resolved_label: 'x', agreement: 1, tie: false, resolved_at: T0 });
      expect(await store.labellingTasks.releaseSlot(b.id)).toBe(false); // resolved: final
    });

    it('answers the annotator × consensus table of resolved tasks', async () => {
      const j = job();
      await store.labellingJobs.create(j);
      const ts = [task(j), task(j), task(j)];
      await store.labellingTasks.createMany(ts);
      const given: Array<[number, number, string]> = [
        [0, 0, 'a'],
        [0, 1, 'a'],
        [1, 0, 'b'],
        [1, 1, 'a'],
        [2, 0, 'a'],
      ];
      for (const [k, u, l] of given) await store.taskLabels.create(label(ts[k], users[u], l, undefined));
      await store.labellingTasks.resolve(ts[0].id, { resolved_label: 'a', agreement: 1, tie: false, resolved_at: T0 });
      await store.labellingTasks.resolve(ts[1].id, { resolved_label: 'b', agreement: 0.5, tie: true, resolved_at: T0 });
      expect(await store.taskLabels.annotatorConfusion(j.id)).toEqual(
        [
          { annotator_id: users[0], label: 'a', resolved_label: 'a', n: 1 },
          { annotator_id: users[0], label: 'b', resolved_label: 'b', n: 1 },
          { annotator_id: users[1], label: 'a', resolved_label: 'a', n: 1 },
          { annotator_id: users[1], label: 'a', resolved_label: 'b', n: 1 },
        ].sort((x, y) => (x.annotator_id < y.annotator_id ? -1 : x.annotator_id > y.annotator_id ? 1 : 0)),
      );
    });

    it('records uploaded images once per job and sha256', async () => {
      const j = job();
      await store.labellingJobs.create(j);
      const t = task(j);
      await store.labellingTasks.createMany([t]);
      const image = { project_id: projectId, job_id: j.id, sha256: 'a'.repeat(64), content_type: 'image/png', size: 120, width: 8, height: 6, task_id: t.id, name: 'x.png', created_by: users[0], created_at: T0 };
      await store.labellingImages.create(image);
      expect(await store.labellingImages.get(j.id, image.sha256)).toEqual(image);
      expect(await store.labellingImages.get(j.id, 'b'.repeat(64))).toBeUndefined();
      await expect(store.labellingImages.create({ ...image, task_id: t.id })).rejects.toBeInstanceOf(ConflictError);
    });
  });
}
