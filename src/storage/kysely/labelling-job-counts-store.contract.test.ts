// Contract test of a labelling job's kept counts (migration 0021's triggers) on every database
// target: after every kind of change to tasks — bulk inserts, label slots taken and given back,
// resolution by people and by the model, suggestions and spot checks, reviews, reopening, a
// transaction of many changes and one rolled back — the job's counts and automation counts equal
// a recount of its tasks, gold tasks left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import { openTask, type LabellingJob, type LabellingTask, type TaskSuggestion } from '../../domain/annotation.js';
import { newId } from '../../domain/ids.js';
import type { AutomationCounts } from '../../domain/ports/annotation-store.js';
import { storeWithProject } from '../../../test/support/store-with-project.js';
import type { KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_123;

/** The counts of a job computed from its tasks, as the triggers should keep them. */
function recount(tasks: LabellingTask[]) {
  const regular = tasks.filter((t) => t.gold_label === null);
  const resolved = regular.filter((t) => t.status === 'resolved');
  const suggested = (t: LabellingTask) => Boolean(t.suggestion);
  const human = resolved.filter((t) => suggested(t) && t.resolved_by !== 'model' && t.resolved_by !== null);
  const automation: AutomationCounts = {
    suggested: regular.filter(suggested).length,
    auto_labelled: regular.filter((t) => t.resolved_by === 'model').length,
    spot_checks: regular.filter((t) => t.spot_check).length,
    spot_checks_resolved: resolved.filter((t) => t.spot_check).length,
    spot_checks_agreeing: resolved.filter((t) => t.spot_check && t.resolved_label === t.suggestion?.label).length,
    human_resolved_suggested: human.length,
    human_agreeing_with_suggestion: human.filter((t) => t.resolved_label === t.suggestion?.label).length,
  };
  const counts = { tasks: regular.length, open: regular.length - resolved.length, resolved: resolved.length, labels: regular.reduce((s, t) => s + t.label_count, 0) };
  return { counts, automation };
}

for (const target of databaseTargets) {
  const title = target.available ? `labelling job counts on ${target.name}` : `labelling job counts on ${target.name} (skipped: ${target.skipReason})`;
  describe.skipIf(!target.available)(title, () => {
    let store: KyselyMetadataStore;
    let projectId: string;
    let userId: string;

    const job = (): LabellingJob => ({
      id: newId(),
      project_id: projectId,
      name: `job-${newId().slice(-6)}`,
      kind: 'classification',
      label_config: { type: 'choices', choices: ['a', 'b'], from_name: 'label', to_name: 'data' },
      overlap: 2,
      source: { kind: 'items' },
      status: 'active',
      created_by: userId,
      created_at: T0,
      gold_rate: 0,
      dispute_below: 0.67,
    });
    const task = (j: LabellingJob, o: Partial<LabellingTask> = {}) => openTask(j, T0, { data: { x: 1 }, ...o });
    const suggestion = (label: string): TaskSuggestion => ({ label, confidence: 0.9, scores: { [label]: 0.9 }, model_version_id: 'mv', source: 'model' });

    async function kept(j: LabellingJob) {
      const tasks: LabellingTask[] = [];
      for (let cursor: string | null = null; ; ) {
        const page: { items: LabellingTask[]; next_cursor: string | null } = await store.labellingTasks.list(j.id, { limit: 1000, cursor });
        tasks.push(...page.items);
        cursor = page.next_cursor;
        if (cursor === null) break;
      }
      const counts = (await store.labellingJobs.counts([j.id])).get(j.id);
      const automation = await store.labellingTasks.automationCounts(j.id);
      return { kept: { counts, automation }, recounted: recount(tasks) };
    }

    beforeAll(async () => {
      ({ store, userId, projectId } = await storeWithProject(target, T0));
    });
    afterAll(() => store?.close());

    it('keeps counts equal to a recount of the tasks through every kind of change', async () => {
      const j = job();
      const other = job();
      await store.labellingJobs.create(j);
      await store.labellingJobs.create(other);
      expect((await store.labellingJobs.counts([j.id])).get(j.id)).toEqual({ tasks: 0, open: 0, resolved: 0, labels: 0 });

      // A bulk insert (more rows than one INSERT holds), gold tasks and a task created resolved.
      const tasks = Array.from({ length: 450 }, () => task(j));
      const gold = [task(j, { gold_label: 'a' }), task(j, { gold_label: 'b' })];
      await store.labellingTasks.createMany([...tasks, ...gold, task(j, { status: 'resolved', label_count: 2, resolved_label: 'b', resolved_by: 'consensus' })]);
      await store.labellingTasks.createMany([task(other), task(other)]);
      let r = await kept(j);
      expect(r.kept.counts).toEqual({ tasks: 451, open: 450, resolved: 1, labels: 2 });
      expect(r.kept).toEqual(r.recounted);

      // Slots: taken, given back, leased (a lease counts nothing), gold answered.
      await store.labellingTasks.claimSlot(tasks[0].id, 2);
      await store.labellingTasks.claimSlot(tasks[0].id, 2);
      await store.labellingTasks.claimSlot(tasks[1].id, 2);
      await store.labellingTasks.releaseSlot(tasks[1].id);
      await store.labellingTasks.claimSlot(tasks[2].id, 2);
      await store.transaction((tx) => tx.labellingTasks.lease(j.id, userId, { overlap: 2, now: T0, expiresAt: T0 + 60_000 }));
      r = await kept(j);
      expect(r.kept.counts).toEqual({ tasks: 451, open: 450, resolved: 1, labels: 5 });
      expect(r.kept).toEqual(r.recounted);

      // Suggestions and spot checks, resolution by people and by the model, a review's fix, a reopening.
      await store.labellingTasks.setSuggestions(j.id, [
        { task_id: tasks[0].id, suggestion: suggestion('a'), spot_check: true },
        { task_id: tasks[3].id, suggestion: suggestion('b'), spot_check: false },
        { task_id: tasks[4].id, suggestion: suggestion('a'), spot_check: false },
        { task_id: tasks[5].id, suggestion: suggestion('b'), spot_check: false },
        { task_id: gold[0].id, suggestion: suggestion('a'), spot_check: false },
      ]);
      await store.labellingTasks.resolve(tasks[0].id, { resolved_label: 'a', agreement: 1, tie: false, resolved_at: T0 });
      expect(await store.labellingTasks.resolveByModel(j.id, [{ task_id: tasks[3].id, label: 'b' }, { task_id: tasks[4].id, label: 'a' }], T0)).toHaveLength(2);
      r = await kept(j);
      expect(r.kept.automation).toEqual({ suggested: 4, auto_labelled: 2, spot_checks: 1, spot_checks_resolved: 1, spot_checks_agreeing: 1, human_resolved_suggested: 1, human_agreeing_with_suggestion: 1 });
      expect(r.kept).toEqual(r.recounted);
      await store.labellingTasks.setReviewed(tasks[0].id, 'b');
      await store.labellingTasks.reopen(tasks[3].id);
      r = await kept(j);
      expect(r.kept.automation).toMatchObject({ auto_labelled: 1, spot_checks_agreeing: 0, human_agreeing_with_suggestion: 0 });
      expect(r.kept).toEqual(r.recounted);

      // Many changes in one transaction, and a transaction rolled back changes nothing.
      await store.transaction(async (tx) => {
        for (const t of tasks.slice(10, 40)) {
          await tx.labellingTasks.claimSlot(t.id, 2);
          await tx.labellingTasks.claimSlot(t.id, 2);
          await tx.labellingTasks.resolve(t.id, { resolved_label: 'a', agreement: 1, tie: false, resolved_at: T0 });
        }
        await tx.labellingTasks.createMany([task(j), task(j, { gold_label: 'a' })]);
      });
      const before = await kept(j);
      await expect(
        store.transaction(async (tx) => {
          await tx.labellingTasks.createMany(Array.from({ length: 5 }, () => task(j)));
          await tx.labellingTasks.resolve(tasks[50].id, { resolved_label: 'a', agreement: 1, tie: false, resolved_at: T0 });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      r = await kept(j);
      expect(r.kept).toEqual(before.kept);
      expect(r.kept.counts).toEqual({ tasks: 452, open: 419, resolved: 33, labels: 65 });
      expect(r.kept).toEqual(r.recounted);
      expect((await store.labellingJobs.counts([other.id])).get(other.id)).toEqual({ tasks: 2, open: 2, resolved: 0, labels: 0 });
    });
  });
}
