// Contract tests of the dataset repositories on every database target: unique names, the
// latest-version summary in lists, the guarded advance, unique version numbers, newest-first pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import type { Dataset, DatasetVersion } from '../../domain/datasets.js';
import { ConflictError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { openMetadataStore, type KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_123;

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`dataset repositories (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let store: KyselyMetadataStore;
    const userId = newId();
    const projectId = newId();
    const dataset = (name: string): Dataset => ({ id: newId(), project_id: projectId, name, description: '', created_by: userId, created_at: T0, latest_version: 0, updated_at: T0 });
    const version = (d: Dataset, n: number, parent: string | null = null): DatasetVersion => ({
      id: newId(),
      project_id: projectId,
      dataset_id: d.id,
      version: n,
      parent_version_id: parent,
      files: [{ sha256: 'a'.repeat(64), rows: 10, bytes: 100 }],
      quarantine_file: n === 1 ? null : { sha256: 'b'.repeat(64), rows: 1 },
      schema: [{ name: 'x', type: 'double', nullable: true, semantic: 'numeric' }],
      profile: [],
      report: { rows_read: 11, accepted: 10, quarantined: 1, by_rule: { 'x.range': 1 } },
      rules: { columns: { x: { range: { min: 0 } } } },
      source: { kind: 'file', name: 'x.csv', format: 'csv', bytes: 100, sha256: 'c'.repeat(64) },
      created_by: userId,
      created_at: T0 + n,
    });

    beforeAll(async () => {
      store = await openMetadataStore(await target.freshUrl());
      await store.users.create({ id: userId, username: 'owner', display_name: 'Owner', password_hash: 'x', is_admin: false, disabled: false, created_at: T0 });
      await store.projects.create({ id: projectId, name: 'p', description: '', created_by: userId, created_at: T0, updated_at: T0 });
    });
    afterAll(() => store?.close());

    it('creates datasets with unique names per project and finds them by name or id', async () => {
      const d = dataset('weather');
      await store.datasets.create(d);
      await expect(store.datasets.create(dataset('weather'))).rejects.toBeInstanceOf(ConflictError);
      expect(await store.datasets.getByName(projectId, 'weather')).toEqual(d);
      expect(await store.datasets.getById(projectId, d.id)).toEqual(d);
      expect(await store.datasets.getById(newId(), d.id)).toBeUndefined();
    });

    it('stores versions whole, advances only from the expected version, and pages newest first', async () => {
      const d = (await store.datasets.getByName(projectId, 'weather'))!;
      const versions: DatasetVersion[] = [];
      for (let n = 1; n <= 3; n++) {
        const v = version(d, n, versions[n - 2]?.id ?? null);
        await store.transaction(async (tx) => {
          expect(await tx.datasets.advance(d.id, n - 1, n, T0 + n)).toBe(true);
          await tx.datasetVersions.create(v);
        });
        versions.push(v);
      }
      expect(await store.datasets.advance(d.id, 1, 2, T0)).toBe(false);
      await expect(store.datasetVersions.create(version(d, 3))).rejects.toBeInstanceOf(ConflictError);
      expect(await store.datasetVersions.get(d.id, 2)).toEqual(versions[1]);
      expect(await store.datasetVersions.getById(projectId, versions[2].id)).toEqual(versions[2]);

      const first = await store.datasetVersions.list(d.id, { limit: 2 });
      expect(first.items.map((v) => v.version)).toEqual([3, 2]);
      expect(first.items[0]).not.toHaveProperty('profile');
      const second = await store.datasetVersions.list(d.id, { limit: 2, cursor: first.next_cursor });
      expect(second).toMatchObject({ items: [{ version: 1 }], next_cursor: null });

      await store.datasets.create(dataset('empty'));
      const list = await store.datasets.list(projectId, {});
      expect(list.items.map((x) => [x.name, x.latest_version, x.latest?.version ?? null, x.latest?.report.accepted ?? null])).toEqual([
        ['weather', 3, 3, 10],
        ['empty', 0, null, null],
      ]);
      expect(list.items[0].latest?.created_at).toBe(T0 + 3);
    });
  });
}
