// Contract tests of the curation repositories on every database target: a declared schema put
// twice is replaced; a quarantine line is re-admitted once (a second mark is a ConflictError on
// `line`, and the transaction writes nothing); marks counted per rule and per version; the
// children of a version for lineage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import type { ReadmitMark } from '../../domain/dataset-curation.js';
import type { Dataset, DatasetVersion } from '../../domain/datasets.js';
import { ConflictError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { openMetadataStore, type KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_123;

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`dataset curation repositories (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let store: KyselyMetadataStore;
    const userId = newId();
    const projectId = newId();
    const d: Dataset = { id: newId(), project_id: projectId, name: 'weather', description: '', created_by: userId, created_at: T0, latest_version: 0, updated_at: T0 };
    const version = (n: number, parent: string | null, kind: 'file' | 'readmit'): DatasetVersion => ({
      id: newId(),
      project_id: projectId,
      dataset_id: d.id,
      version: n,
      parent_version_id: parent,
      files: [{ sha256: 'a'.repeat(64), rows: 10, bytes: 100 }],
      quarantine_file: null,
      schema: [{ name: 'x', type: 'double', nullable: true, semantic: 'numeric' }],
      profile: [],
      report: { rows_read: 10, accepted: 10, quarantined: 0, by_rule: {} },
      rules: null,
      source: { kind, name: 'x', format: 'csv', bytes: 100, sha256: 'c'.repeat(64) },
      created_by: userId,
      created_at: T0 + n,
    });
    const v1 = version(1, null, 'file');
    const v2 = version(2, v1.id, 'readmit');
    const mark = (line: number, rule: string, into = v2): ReadmitMark => ({
      project_id: projectId,
      dataset_id: d.id,
      origin_version_id: v1.id,
      line,
      rule,
      version_id: into.id,
      version: into.version,
      created_by: userId,
      created_at: T0,
    });

    beforeAll(async () => {
      store = await openMetadataStore(await target.freshUrl());
      await store.users.create({ id: userId, username: 'owner', display_name: 'Owner', password_hash: 'x', is_admin: false, disabled: false, created_at: T0 });
      await store.projects.create({ id: projectId, name: 'p', description: '', created_by: userId, created_at: T0, updated_at: T0 });
      await store.datasets.create(d);
      await store.datasetVersions.create(v1);
      await store.datasetVersions.create(v2);
    });
    afterAll(() => store?.close());

    it('puts and replaces a declared schema', async () => {
      const schema = { dataset_id: d.id, project_id: projectId, columns: v1.schema, key: null, updated_by: userId, updated_at: T0 };
      await store.datasetSchemas.put(schema);
      expect(await store.datasetSchemas.get(d.id)).toEqual(schema);
      const next = { ...schema, columns: [{ ...v1.schema[0], semantic: 'label' as const }], key: ['x'], updated_at: T0 + 1 };
      await store.datasetSchemas.put(next);
      expect(await store.datasetSchemas.get(d.id)).toEqual(next);
      expect(await store.datasetSchemas.get(newId())).toBeUndefined();
    });

    it('marks a line once: a second mark is a ConflictError on line and its transaction writes nothing', async () => {
      await store.datasetReadmits.createMany([mark(5, 'x.range'), mark(9, 'x.type'), mark(12, 'x.range')]);
      const again = store.transaction(async (tx) => tx.datasetReadmits.createMany([mark(20, 'x.type'), mark(9, 'x.type')]));
      await expect(again).rejects.toBeInstanceOf(ConflictError);
      await expect(again).rejects.toMatchObject({ details: { field: 'line' } });
      expect((await store.datasetReadmits.getLines(v1.id, [5, 9, 20, 99])).map((m) => m.line)).toEqual([5, 9]);
      expect(await store.datasetReadmits.getLines(v1.id, [5])).toEqual([mark(5, 'x.range')]);
      expect(await store.datasetReadmits.countByRule(v1.id)).toEqual({ 'x.range': 2, 'x.type': 1 });
      expect(await store.datasetReadmits.linesOf(v2.id)).toEqual({ origin_version_id: v1.id, lines: [5, 9, 12] });
      expect(await store.datasetReadmits.linesOf(v1.id)).toBeUndefined();
      expect(await store.datasetReadmits.intoVersions(v1.id)).toEqual([{ version_id: v2.id, version: 2, rows: 3 }]);
    });

    it('finds the children of a version, and nothing that used it yet', async () => {
      expect(await store.datasetLineage.children(projectId, v1.id)).toEqual([{ id: v2.id, version: 2, source_kind: 'readmit', created_at: T0 + 2 }]);
      expect(await store.datasetLineage.children(newId(), v1.id)).toEqual([]);
      expect(await store.datasetLineage.runs(projectId, v1.id)).toEqual([]);
      expect(await store.datasetLineage.models(projectId, v1.id)).toEqual([]);
      expect(await store.datasetLineage.labellingJobs(projectId, v1.id)).toEqual([]);
      expect(await store.datasetLineage.monitors(projectId, v1.id)).toEqual([]);
      expect(await store.datasetLineage.committedBatches(projectId, v1.id)).toEqual([]);
    });
  });
}
