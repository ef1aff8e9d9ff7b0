// Contract test of the staging repository on every database target: the kept counts of a staging
// area equal a recount of its staged batches after batches stored (alone, in a transaction, and
// concurrently), a key stored twice (refused, nothing counted), a transaction rolled back, and
// commits (only the committed batches taken away); the commit setting keeps the counts; and a
// push's one read answers the dataset, the counts, the declared schema, the oldest staged schema
// while no version exists, and whether the key is taken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import type { StagedBatch } from '../../domain/dataset-staging.js';
import type { Dataset } from '../../domain/datasets.js';
import { ConflictError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { storeWithProject } from '../../../test/support/store-with-project.js';
import type { KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_123;
const SCHEMA = [{ name: 'a', type: 'integer' as const, nullable: true, semantic: 'numeric' as const }];

for (const target of databaseTargets) {
  const title = target.available ? `staging repository on ${target.name}` : `staging repository on ${target.name} (skipped: ${target.skipReason})`;
  describe.skipIf(!target.available)(title, () => {
    let store: KyselyMetadataStore;
    let projectId: string;
    let userId: string;

    const dataset = async (name: string): Promise<Dataset> => {
      const d = { id: newId(), project_id: projectId, name, description: '', created_by: userId, created_at: T0, latest_version: 0, updated_at: T0 };
      await store.datasets.create(d);
      return d;
    };
    const batch = (d: Dataset, key: string, rows: number): Omit<StagedBatch, 'staged_rows'> => ({
      id: newId(),
      project_id: projectId,
      dataset_id: d.id,
      idempotency_key: key,
      body_sha256: 'f'.repeat(64),
      body_bytes: 10,
      file: { sha256: 'a'.repeat(64), rows, bytes: 100 },
      quarantine_file: null,
      schema: SCHEMA,
      report: { rows_read: rows, accepted: rows, quarantined: 0, by_rule: {} },
      committed_version_id: null,
      created_by: userId,
      created_at: T0,
    });
    /** The counts kept, beside a recount of the staged batches. */
    async function counts(d: Dataset) {
      const staged = await store.stagedBatches.listStaged(d.id);
      return { kept: await store.stagedBatches.stagedSize(d.id), recount: { batches: staged.length, rows: staged.reduce((n, b) => n + b.file.rows, 0) } };
    }
    const expectCounts = async (d: Dataset, batches: number, rows: number) => expect(await counts(d)).toEqual({ kept: { batches, rows }, recount: { batches, rows } });

    beforeAll(async () => {
      ({ store, userId, projectId } = await storeWithProject(target, T0));
    });
    afterAll(() => store?.close());

    it('keeps the counts through batches stored, a key stored twice, a rollback and commits', async () => {
      const d = await dataset('counted');
      await expectCounts(d, 0, 0);
      const first = await store.stagedBatches.create(batch(d, 'k1', 3));
      expect(first).toMatchObject({ batch: { staged_rows: 3 }, staged: { rows: 3, batches: 1, commit_at_rows: null } });
      await store.transaction(async (tx) => {
        expect((await tx.stagedBatches.create(batch(d, 'k2', 4))).staged).toEqual({ rows: 7, batches: 2, commit_at_rows: null });
      });
      await expect(store.stagedBatches.create(batch(d, 'k1', 100))).rejects.toBeInstanceOf(ConflictError);
      await expect(store.transaction((tx) => tx.stagedBatches.create(batch(d, 'k2', 100)))).rejects.toBeInstanceOf(ConflictError);
      await expect(
        store.transaction(async (tx) => {
          await tx.stagedBatches.create(batch(d, 'k3', 50));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await expectCounts(d, 2, 7);
      expect((await store.stagedBatches.getByKey(d.id, 'k2'))?.staged_rows).toBe(7);

      // Concurrent batches each see the rows staged with them; together, every one is counted once.
      const many = await Promise.all(Array.from({ length: 8 }, (_, i) => store.stagedBatches.create(batch(d, `m${i}`, i + 1))));
      expect(new Set(many.map((m) => m.batch.staged_rows)).size).toBe(8);
      expect(Math.max(...many.map((m) => m.batch.staged_rows))).toBe(7 + 36);
      await expectCounts(d, 10, 43);

      // A commit takes away exactly the batches it marks; one staged meanwhile stays counted.
      const listed = await store.stagedBatches.listStaged(d.id);
      const late = await store.stagedBatches.create(batch(d, 'late', 5));
      expect(late.staged).toMatchObject({ rows: 48, batches: 11 });
      const versionId = newId();
      expect(await store.transaction((tx) => tx.stagedBatches.markCommitted(d.id, listed.map((b) => b.id), versionId))).toBe(10);
      await expectCounts(d, 1, 5);
      // Marking them again marks and takes nothing.
      expect(await store.stagedBatches.markCommitted(d.id, listed.map((b) => b.id), newId())).toBe(0);
      await expectCounts(d, 1, 5);
    });

    it('counts every one of the first batches of a staging area stored at once', async () => {
      const d = await dataset('fresh');
      const all = await Promise.all(Array.from({ length: 6 }, (_, i) => store.stagedBatches.create(batch(d, `f${i}`, 2))));
      expect(all.map((a) => a.batch.staged_rows).sort((x, y) => x - y)).toEqual([2, 4, 6, 8, 10, 12]);
      await expectCounts(d, 6, 12);
    });

    it('keeps the counts when the commit setting changes, and answers it with them', async () => {
      const d = await dataset('setting');
      await store.stagedBatches.setCommitAt(projectId, d.id, 10, T0); // the settings row made here
      expect((await store.stagedBatches.create(batch(d, 'k1', 4))).staged).toEqual({ rows: 4, batches: 1, commit_at_rows: 10 });
      await store.stagedBatches.setCommitAt(projectId, d.id, null, T0 + 1);
      await store.stagedBatches.setCommitAt(projectId, d.id, 6, T0 + 2);
      expect(await store.stagedBatches.getCommitAt(d.id)).toBe(6);
      expect((await store.stagedBatches.create(batch(d, 'k2', 2))).staged).toEqual({ rows: 6, batches: 2, commit_at_rows: 6 });
      await expectCounts(d, 2, 6);
    });

    it("answers a push's target in one read: dataset, counts, declared schema, oldest staged schema and the key", async () => {
      const d = await dataset('target');
      expect(await store.stagedBatches.pushTarget(projectId, 'nope', 'k', false)).toBeUndefined();
      expect(await store.stagedBatches.pushTarget(newId(), 'target', 'k', false)).toBeUndefined();
      const empty = await store.stagedBatches.pushTarget(projectId, 'target', 'k1', false);
      expect(empty).toEqual({ dataset: d, staged: { rows: 0, batches: 0, commit_at_rows: null }, declared: undefined, first_staged_schema: null, key_taken: false });
      expect(await store.stagedBatches.pushTarget(projectId, d.id, 'k1', true)).toEqual(empty);

      await store.stagedBatches.create(batch(d, 'k1', 3));
      const other = [{ ...SCHEMA[0], name: 'b' }];
      await store.stagedBatches.create({ ...batch(d, 'k2', 2), schema: other });
      const declared = { dataset_id: d.id, project_id: projectId, columns: SCHEMA, key: ['a'], updated_by: userId, updated_at: T0 + 5 };
      await store.datasetSchemas.put(declared);
      const staged = await store.stagedBatches.pushTarget(projectId, 'target', 'k1', false);
      expect(staged).toEqual({ dataset: d, staged: { rows: 5, batches: 2, commit_at_rows: null }, declared, first_staged_schema: SCHEMA, key_taken: true });
      expect((await store.stagedBatches.pushTarget(projectId, 'target', 'k3', false))?.key_taken).toBe(false);

      // Once a version exists the oldest staged schema no longer binds, and is not read.
      await store.transaction((tx) => tx.datasets.advance(d.id, 0, 1, T0 + 9));
      expect(await store.stagedBatches.pushTarget(projectId, 'target', 'k1', false)).toMatchObject({ dataset: { latest_version: 1 }, first_staged_schema: null });
    });
  });
}
