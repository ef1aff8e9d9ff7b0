// Contract tests of the queue's leases and of automation on every database target: a task is
// handed to at most `overlap` people at once, asking again answers the same task, expired leases
// come back, labels take their lease's slot, skips and withdrawals give slots back or keep them;
// suggestions, auto-labels, priorities and source rows; concurrent callers never exceed overlap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import { openTask, type LabellingJob, type LabellingTask } from '../../domain/annotation.js';
import { newId } from '../../domain/ids.js';
import { openMetadataStore, type KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_000;
const MIN = 60_000;

for (const target of databaseTargets) {
  const title = target.available ? `labelling leases and automation on ${target.name}` : `labelling leases and automation on ${target.name} (skipped: ${target.skipReason})`;
  describe.skipIf(!target.available)(title, () => {
    let store: KyselyMetadataStore;
    let projectId: string;
    const users: string[] = [];

    const job = async (overlap = 2): Promise<LabellingJob> => {
      const j: LabellingJob = {
        id: newId(),
        project_id: projectId,
        name: `job-${newId().slice(-8)}`,
        kind: 'classification',
        label_config: { type: 'choices', choices: ['a', 'b'], from_name: 'label', to_name: 'data' },
        overlap,
        source: { kind: 'items' },
        status: 'active',
        created_by: users[0],
        created_at: T0,
        gold_rate: 0,
        dispute_below: 0,
      };
      await store.labellingJobs.create(j);
      return j;
    };
    const tasks = async (j: LabellingJob, n: number, o: Partial<LabellingTask> = {}): Promise<LabellingTask[]> => {
      const made = Array.from({ length: n }, () => openTask(j, T0, { data: { x: 1 }, ...o }));
      await store.labellingTasks.createMany(made);
      return made;
    };
    const lease = (j: LabellingJob, who: string, now = T0, exclude: string[] = []) =>
      store.transaction((tx) => tx.labellingTasks.lease(j.id, who, { overlap: j.overlap, now, expiresAt: now + 10 * MIN, exclude }));
    const taken = async (j: LabellingJob, id: string) => (await store.labellingTasks.get(j.id, id))?.taken;

    beforeAll(async () => {
      store = await openMetadataStore(await target.freshUrl());
      for (let i = 0; i < 6; i++) {
        const id = newId();
        await store.users.create({ id, username: `u${i}`, display_name: `u${i}`, password_hash: 'x', is_admin: false, disabled: false, created_at: T0 });
        users.push(id);
      }
      projectId = newId();
      await store.projects.create({ id: projectId, name: 'p', description: '', created_by: users[0], created_at: T0, updated_at: T0 });
    });
    afterAll(() => store?.close());

    it('passes over a task another transaction holds (PostgreSQL) and waits for it only when nothing else is free', async () => {
      const j = await job(1);
      const [first, second] = await tasks(j, 2);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      // Another transaction (a label being committed, say) holds the first task's row.
      const holder = store.transaction(async (tx) => {
        await tx.labellingTasks.lease(j.id, users[5], { overlap: 1, now: T0, expiresAt: T0 + 10 * MIN, exclude: [second.id] });
        locked();
        await held;
      });
      await isLocked;
      if (target.name === 'postgres') {
        // The caller gets the second task at once instead of waiting for the first.
        expect((await lease(j, users[1]))?.id).toBe(second.id);
        // With nothing else free it waits for the held task, and finds its one slot taken.
        const waiting = lease(j, users[2]);
        release();
        await holder;
        expect(await waiting).toBeUndefined();
      } else {
        release();
        await holder;
        expect((await lease(j, users[1]))?.id).toBe(second.id);
      }
      expect(await taken(j, first.id)).toBe(1);
    });

    it('hands a task to at most overlap people, by priority then age, and the same task again to whoever asks again', async () => {
      const j = await job(2);
      const [first, second] = await tasks(j, 2);
      const [urgent] = await tasks(j, 1, { priority: 3 });
      expect((await lease(j, users[0]))?.id).toBe(urgent.id);
      expect((await lease(j, users[0]))?.id).toBe(urgent.id); // renewed, not a second slot
      expect(await taken(j, urgent.id)).toBe(1);
      expect((await lease(j, users[1]))?.id).toBe(urgent.id);
      expect((await lease(j, users[2]))?.id).toBe(first.id); // urgent's two slots are leased
      expect((await lease(j, users[0], T0, [urgent.id]))?.id).toBe(first.id); // the preload passes over the task on screen
      expect((await lease(j, users[3], T0))?.id).toBe(second.id);
      expect(await taken(j, first.id)).toBe(2);
    });

    it('turns a lease into a label; a label without a lease needs a slot nobody holds', async () => {
      const j = await job(2);
      const [t] = await tasks(j, 1);
      await lease(j, users[0]);
      await lease(j, users[1]);
      expect(await store.labellingTasks.claimSlot(t.id, 2, users[2])).toBeUndefined(); // both slots are leased
      expect(await store.labellingTasks.claimSlot(t.id, 2, users[0])).toBe(1);
      expect(await taken(j, t.id)).toBe(2);
      expect(await store.labellingTasks.claimSlot(t.id, 2, users[1])).toBe(2);
      expect(await lease(j, users[3])).toBeUndefined();
    });

    it('takes a slot and stores the label as one step: their lease or a free slot, nothing when none is left, never twice', async () => {
      const j = await job(3);
      const [t] = await tasks(j, 1);
      const labelOf = (who: string) => ({ id: newId(), project_id: projectId, job_id: j.id, task_id: t.id, annotator_id: who, label: 'a', created_at: T0, duration_ms: 5 });
      for (const u of users.slice(0, 3)) await lease(j, u);
      expect(await store.labellingTasks.claimSlotWithLabel(labelOf(users[3]), 3)).toBeUndefined(); // every slot is leased
      expect(await store.taskLabels.get(t.id, users[3])).toBeUndefined();
      const first = labelOf(users[0]);
      expect(await store.labellingTasks.claimSlotWithLabel(first, 3)).toBe(1); // their lease's slot
      expect(await store.taskLabels.get(t.id, users[0])).toMatchObject({ id: first.id, label: 'a', duration_ms: 5 });
      expect(await store.labellingTasks.get(j.id, t.id)).toMatchObject({ label_count: 1, taken: 3 });
      expect(await store.labellingTasks.releaseLease(t.id, users[2])).toBe(true); // a free slot again
      const again = store.transaction((tx) => tx.labellingTasks.claimSlotWithLabel(labelOf(users[0]), 3));
      await expect(again).rejects.toMatchObject({ code: 'conflict' }); // a second label of theirs
      expect(await store.labellingTasks.get(j.id, t.id)).toMatchObject({ label_count: 1, taken: 2 }); // rolled back with it
      expect(await store.labellingTasks.claimSlotWithLabel(labelOf(users[3]), 3)).toBe(2); // the free slot
      expect(await store.labellingTasks.claimSlotWithLabel(labelOf(users[1]), 3)).toBe(3);
      expect((await store.taskLabels.listForTasks([t.id])).map((l) => l.annotator_id).sort()).toEqual([users[0], users[1], users[3]].sort());
    });

    it('gives the slot of an expired lease back to the queue, and a late label of its holder takes a free slot', async () => {
      const j = await job(1);
      const [t] = await tasks(j, 1);
      expect((await lease(j, users[0], T0))?.id).toBe(t.id);
      expect(await lease(j, users[1], T0 + 5 * MIN)).toBeUndefined();
      expect((await lease(j, users[1], T0 + 11 * MIN))?.id).toBe(t.id); // users[0]'s lease ran out
      expect(await taken(j, t.id)).toBe(1);
      expect(await store.labellingTasks.claimSlot(t.id, 1, users[0])).toBeUndefined(); // too late: the slot is users[1]'s now
    });

    it('renews a lease its holder asks for again after it ran out, until its slot was given back', async () => {
      const j = await job(1);
      const [t] = await tasks(j, 1);
      expect((await lease(j, users[0], T0))?.id).toBe(t.id);
      const late = T0 + 11 * MIN;
      const again = await store.transaction((tx) => tx.labellingTasks.lease(j.id, users[0], { overlap: 1, now: late, expiresAt: late + 10 * MIN, reclaim: false }));
      expect(again?.id).toBe(t.id);
      expect(await taken(j, t.id)).toBe(1);
      expect(await lease(j, users[1], late + MIN)).toBeUndefined(); // renewed: still theirs
    });

    it('skipping gives the slot back; withdrawing a label keeps it as a lease of its annotator', async () => {
      const j = await job(1);
      const [t] = await tasks(j, 1);
      await lease(j, users[0]);
      expect(await store.labellingTasks.releaseLease(t.id, users[0])).toBe(true);
      expect(await store.labellingTasks.releaseLease(t.id, users[0])).toBe(false);
      expect(await taken(j, t.id)).toBe(0);
      await lease(j, users[1]);
      expect(await store.labellingTasks.claimSlot(t.id, 1, users[1])).toBe(1);
      expect(await store.labellingTasks.releaseSlot(t.id, { annotatorId: users[1], expiresAt: T0 + 10 * MIN })).toBe(true);
      expect(await store.labellingTasks.get(j.id, t.id)).toMatchObject({ label_count: 0, taken: 1 });
      expect(await lease(j, users[2])).toBeUndefined(); // the slot is still users[1]'s
      expect((await lease(j, users[1]))?.id).toBe(t.id);
    });

    it('never hands out more than overlap slots to concurrent callers', async () => {
      const j = await job(2);
      const made = await tasks(j, 2);
      const got = await Promise.all(users.map((u) => lease(j, u)));
      expect(got.filter((t) => t !== undefined)).toHaveLength(4);
      for (const t of made) expect(await taken(j, t.id)).toBe(2);
      const counts = new Map<string, number>();
      for (const t of got) if (t) counts.set(t.id, (counts.get(t.id) ?? 0) + 1);
      expect([...counts.values()]).toEqual([2, 2]);
    });

    it('leases outside a transaction too: atomic on its own, same answers, never beyond overlap', async () => {
      const j = await job(2);
      const made = await tasks(j, 3);
      const [urgent] = await tasks(j, 1, { priority: 5 });
      const bare = (who: string, now = T0, exclude: string[] = []) => store.labellingTasks.lease(j.id, who, { overlap: 2, now, expiresAt: now + 10 * MIN, exclude });
      expect((await bare(users[0]))?.id).toBe(urgent.id);
      expect((await bare(users[0]))?.id).toBe(urgent.id); // renewed, not a second slot
      expect((await bare(users[0], T0, [urgent.id]))?.id).toBe(made[0].id); // passing over the one on screen takes the next
      expect(await taken(j, urgent.id)).toBe(1);
      const got = await Promise.all(users.slice(1).map((u) => bare(u)));
      const counts = new Map<string, number>();
      for (const t of [urgent, made[0], ...got.filter((g) => g !== undefined)]) counts.set(t.id, (counts.get(t.id) ?? 0) + 1);
      for (const t of [urgent, ...made]) expect(await taken(j, t.id)).toBe(counts.get(t.id) ?? 0);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
      expect(got.filter((g) => g !== undefined)).toHaveLength(5); // the 6 slots users[0] left, one for each
      // Later, asking again renews one's own ended leases while the others' give their slots back.
      const late = T0 + 11 * MIN;
      expect((await bare(users[0], late, [urgent.id]))?.id).toBe(made[0].id);
      expect(await taken(j, urgent.id)).toBe(1);
      expect(await taken(j, made[0].id)).toBe(1);
      expect(await taken(j, made[1].id)).toBe(0);
    });

    it('stores suggestions, resolves by the model, counts what automation did, and sets priorities', async () => {
      const j = await job(1);
      const [a, b, c, d] = await tasks(j, 4, { source_row: null });
      const s = (label: string, confidence: number) => ({ label, confidence, scores: { a: confidence, b: 1 - confidence }, model_version_id: 'mv-1', source: 'model' as const });
      await store.labellingTasks.setSuggestions(j.id, [
        { task_id: a.id, suggestion: s('a', 0.97), spot_check: false },
        { task_id: b.id, suggestion: s('a', 0.95), spot_check: true },
        { task_id: c.id, suggestion: s('b', 0.6), spot_check: false },
      ]);
      await lease(j, users[0]);
      expect(await store.labellingTasks.resolveByModel(j.id, [{ task_id: a.id, label: 'a' }], T0 + 1)).toEqual([a.id]);
      expect(await store.labellingTasks.resolveByModel(j.id, [{ task_id: a.id, label: 'a' }], T0 + 2)).toEqual([]); // resolved already
      expect(await store.labellingTasks.get(j.id, a.id)).toMatchObject({ status: 'resolved', resolved_label: 'a', resolved_by: 'model', taken: 0, suggestion: s('a', 0.97) });
      // The spot check resolved by people, agreeing with the model; the other resolved against it.
      await store.labellingTasks.resolve(b.id, { resolved_label: 'a', agreement: 1, tie: false, resolved_at: T0 + 3 });
      await store.labellingTasks.resolve(c.id, { resolved_label: 'a', agreement: 1, tie: false, resolved_at: T0 + 3 });
      expect(await store.labellingTasks.automationCounts(j.id)).toEqual({
        suggested: 3,
        auto_labelled: 1,
        spot_checks: 1,
        spot_checks_resolved: 1,
        spot_checks_agreeing: 1,
        human_resolved_suggested: 2,
        human_agreeing_with_suggestion: 1,
      });
      expect(await store.labellingTasks.setPriorities(j.id, [{ task_id: d.id, priority: 9 }])).toBe(1);
      expect((await store.labellingTasks.listOpenAfter(j.id, null, 10)).map((t) => [t.id, t.priority])).toEqual([[d.id, 9]]);
      expect((await store.labellingTasks.listResolvedAfter(j.id, a.id, 10)).map((t) => t.id)).toEqual([b.id, c.id]);
    });

    it('keeps one task per dataset row and job', async () => {
      const j = await job(1);
      await tasks(j, 1, { source_row: 'dv-1:7' });
      expect(await store.labellingTasks.existingSourceRows(j.id, ['dv-1:7', 'dv-1:8'])).toEqual(new Set(['dv-1:7']));
      await expect(tasks(j, 1, { source_row: 'dv-1:7' })).rejects.toThrow(/row/);
    });

    it('reopening a task clears its leases and slots', async () => {
      const j = await job(2);
      const [t] = await tasks(j, 1);
      await lease(j, users[0]);
      await store.labellingTasks.claimSlot(t.id, 2, users[0]);
      await store.labellingTasks.resolve(t.id, { resolved_label: 'a', agreement: 1, tie: false, resolved_at: T0 });
      expect(await store.labellingTasks.reopen(t.id)).toBe(true);
      expect(await store.labellingTasks.get(j.id, t.id)).toMatchObject({ status: 'open', label_count: 0, taken: 0, resolved_by: null });
    });
  });
}
