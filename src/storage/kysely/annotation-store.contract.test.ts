// Contract tests of the annotation repositories on every database target: the queue's order and
// exclusions, label slots, unique labels and names, counts, and feedback (latest wins, many ids).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import { openTask, type LabellingJob, type LabellingTask, type TaskLabel } from '../../domain/annotation.js';
import { ConflictError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { openMetadataStore, type KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_123;

for (const target of databaseTargets) {
  const title = target.available ? `annotation repositories on ${target.name}` : `annotation repositories on ${target.name} (skipped: ${target.skipReason})`;
  describe.skipIf(!target.available)(title, () => {
    let store: KyselyMetadataStore;
    let projectId: string;
    const users: string[] = [];

    const job = (o: Partial<LabellingJob> = {}): LabellingJob => ({
      id: newId(),
      project_id: projectId,
      name: `job-${newId().slice(-6)}`,
      kind: 'classification',
      label_config: { type: 'choices', choices: ['a', 'b'], from_name: 'label', to_name: 'data', extra: { kept: true } },
      overlap: 2,
      source: { kind: 'items' },
      status: 'active',
      created_by: users[0],
      created_at: T0,
      gold_rate: 0,
      dispute_below: 0,
      lease_seconds: 600,
      model: null,
      show_suggestions: true,
      auto_label: null,
      ...o,
    });
    const task = (j: LabellingJob, o: Partial<LabellingTask> = {}): LabellingTask =>
      openTask(j, T0, { data: { x: 1, nested: { y: [1, 2] } }, taken: 0, suggestion: null, spot_check: false, resolved_by: null, source_row: null, ...o });
    const label = (t: LabellingTask, annotator: string, value: string): TaskLabel => ({
      id: newId(),
      project_id: projectId,
      job_id: t.job_id,
      task_id: t.id,
      annotator_id: annotator,
      label: value,
      created_at: T0 + 1,
      duration_ms: 1500,
    });

    beforeAll(async () => {
      store = await openMetadataStore(await target.freshUrl());
      for (const name of ['u1', 'u2', 'u3']) {
        const id = newId();
        await store.users.create({ id, username: name, display_name: name, password_hash: 'x', is_admin: false, disabled: false, created_at: T0 });
        users.push(id);
      }
      projectId = newId();
      await store.projects.create({ id: projectId, name: 'p', description: '', created_by: users[0], created_at: T0, updated_at: T0 });
    });
    afterAll(() => store?.close());

    it('stores a job whole (extra label-config keys too) and refuses a second job of the same name', async () => {
      const j = job({ name: 'same' });
      await store.labellingJobs.create(j);
      expect(await store.labellingJobs.get(projectId, j.id)).toEqual(j);
      expect(await store.labellingJobs.getByName(projectId, 'same')).toEqual(j);
      await expect(store.labellingJobs.create(job({ name: 'same' }))).rejects.toBeInstanceOf(ConflictError);
      expect(await store.labellingJobs.get(newId(), j.id)).toBeUndefined();
    });

    it('serves the highest priority then the oldest open task the annotator has not labelled', async () => {
      const j = job();
      await store.labellingJobs.create(j);
      const [old, newer, urgent, done] = [task(j), task(j), task(j, { priority: 5 }), task(j, { status: 'resolved', priority: 9 })];
      await store.labellingTasks.createMany([old, newer, urgent, done]);
      expect((await store.labellingTasks.nextFor(j.id, users[0]))?.id).toBe(urgent.id);
      expect(await store.labellingTasks.get(j.id, urgent.id)).toEqual(urgent);
      await store.labellingTasks.claimSlot(urgent.id, j.overlap);
      await store.taskLabels.create(label(urgent, users[0], 'a'));
      expect((await store.labellingTasks.nextFor(j.id, users[0]))?.id).toBe(old.id);
      expect((await store.labellingTasks.nextFor(j.id, users[1]))?.id).toBe(urgent.id);
      await expect(store.taskLabels.create(label(urgent, users[0], 'b'))).rejects.toBeInstanceOf(ConflictError);
    });

    it('gives out exactly `overlap` label slots, none once resolved', async () => {
      const j = job();
      await store.labellingJobs.create(j);
      const t = task(j);
      await store.labellingTasks.createMany([t]);
      expect(await store.labellingTasks.claimSlot(t.id, 2)).toBe(1);
      expect(await store.labellingTasks.claimSlot(t.id, 2)).toBe(2);
      expect(await store.labellingTasks.claimSlot(t.id, 2)).toBeUndefined();
      const u = task(j);
      await store.labellingTasks.createMany([u]);
      await store.labellingTasks.resolve(u.id, { resolved_label: 'a', agreement: 0.5, tie: true, resolved_at: T0 + 9 });
      expect(await store.labellingTasks.claimSlot(u.id, 2)).toBeUndefined();
      expect(await store.labellingTasks.get(j.id, u.id)).toMatchObject({ status: 'resolved', resolved_label: 'a', agreement: 0.5, tie: true, resolved_at: T0 + 9 });
    });

    it('counts tasks and labels per job, lists by status, and knows taken prediction ids', async () => {
      const j = job();
      const empty = job();
      await store.labellingJobs.create(j);
      await store.labellingJobs.create(empty);
      const tasks = Array.from({ length: 450 }, (_, i) => task(j, { prediction_id: `p${i}` }));
      await store.labellingTasks.createMany(tasks);
      await store.labellingTasks.claimSlot(tasks[0].id, 2);
      await store.taskLabels.create(label(tasks[0], users[0], 'a'));
      await store.labellingTasks.claimSlot(tasks[0].id, 2);
      await store.taskLabels.create(label(tasks[0], users[1], 'b'));
      await store.labellingTasks.resolve(tasks[0].id, { resolved_label: 'a', agreement: 0.5, tie: true, resolved_at: T0 });
      const counts = await store.labellingJobs.counts([j.id, empty.id]);
      expect(counts.get(j.id)).toEqual({ tasks: 450, open: 449, resolved: 1, labels: 2 });
      expect(counts.get(empty.id)).toEqual({ tasks: 0, open: 0, resolved: 0, labels: 0 });
      const resolved = await store.labellingTasks.list(j.id, {}, { status: 'resolved' });
      expect(resolved.items.map((t) => t.id)).toEqual([tasks[0].id]);
      const page = await store.labellingTasks.list(j.id, { limit: 400 });
      expect(page.items).toHaveLength(400);
      expect((await store.labellingTasks.list(j.id, { limit: 400, cursor: page.next_cursor })).items).toHaveLength(50);
      const taken = await store.labellingTasks.existingPredictionIds(j.id, ['p3', 'p449', 'nope']);
      expect([...taken].sort()).toEqual(['p3', 'p449']);
      expect(await store.taskLabels.resolvedLabelCounts(j.id)).toEqual([
        { task_id: tasks[0].id, label: 'a', n: 1 },
        { task_id: tasks[0].id, label: 'b', n: 1 },
      ]);
      const stats = await store.taskLabels.annotatorStats(j.id);
      expect(stats.map((s) => [s.annotator, s.labels, s.on_resolved, s.agreeing, s.mean_duration_ms])).toEqual([
        ['u1', 1, 1, 1, 1500],
        ['u2', 1, 1, 0, 1500],
      ]);
      const views = await store.taskLabels.listForTasks([tasks[0].id], users[1]);
      expect(views.map((v) => [v.annotator, v.label])).toEqual([['u2', 'b']]);
    });

    it('keeps one feedback per prediction (the latest wins) and reads back many ids', async () => {
      const put = (prediction_id: string, value: string, at: number) =>
        store.predictionFeedback.upsert({ id: newId(), project_id: projectId, prediction_id, label: value, source: 'annotation', task_id: null, created_at: at });
      await put('pr-1', 'a', T0);
      await put('pr-1', 'b', T0 + 5);
      for (let i = 0; i < 700; i++) await put(`bulk-${i}`, 'a', T0);
      const got = await store.predictionFeedback.getMany(projectId, ['pr-1', 'missing', ...Array.from({ length: 700 }, (_, i) => `bulk-${i}`)]);
      expect(got).toHaveLength(701);
      expect(got.find((f) => f.prediction_id === 'pr-1')).toMatchObject({ label: 'b', created_at: T0 + 5 });
      expect(await store.predictionFeedback.getMany(newId(), ['pr-1'])).toEqual([]);
    });
  });
}
