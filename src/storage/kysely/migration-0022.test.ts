// Migration 0022 on every target: staging areas with batches staged before it get their kept
// counts from them (committed batches left out; a settings row made where there was none, its
// commit setting kept where there was one), and the repository keeps the counts from then on.
import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeMigration, insertRows, ownerRows } from '../../../test/support/migration-targets.js';
import { newId } from '../../domain/ids.js';
import { KyselyStagedBatchRepository } from './kysely-staged-batch.repository.js';
import { migrate } from './migrate.js';

const T0 = 1_700_000_000_123;

describeMigration('0022', (before) => {
  it('counts the batches staged before it, then keeps the counts', async () => {
    const conn = await before('0021-labelling-job-counts');
    const db = conn.db as unknown as Kysely<any>;
    const { user, project } = ownerRows(T0, { admin: true });
    const datasetOf = (name: string) => ({ id: newId(), project_id: project.id, name, description: '', created_by: user.id, created_at: T0, latest_version: 0, updated_at: T0 });
    const [withSetting, without, idle] = [datasetOf('with-setting'), datasetOf('without'), datasetOf('idle')];
    await insertRows(db, { users: user, projects: project, datasets: [withSetting, without, idle] });
    await db.insertInto('dataset_staging_settings').values([
      { dataset_id: withSetting.id, project_id: project.id, commit_at_rows: 100, updated_at: T0 },
      { dataset_id: idle.id, project_id: project.id, commit_at_rows: null, updated_at: T0 },
    ]).execute();
    const batchOf = (datasetId: string, key: string, rows: number, committed: string | null = null) => ({
      id: newId(),
      project_id: project.id,
      dataset_id: datasetId,
      idempotency_key: key,
      body_sha256: 'f'.repeat(64),
      body_bytes: 1,
      file: JSON.stringify({ sha256: 'a'.repeat(64), rows, bytes: 1 }),
      quarantine_file: null,
      schema: '[]',
      report: '{}',
      staged_rows: rows,
      accepted_rows: rows,
      committed_version_id: committed,
      created_by: user.id,
      created_at: T0 + rows,
    });
    await db
      .insertInto('dataset_staged_batches')
      .values([
        batchOf(withSetting.id, 'a', 3),
        batchOf(withSetting.id, 'b', 4),
        batchOf(withSetting.id, 'old', 50, newId()),
        batchOf(without.id, 'a', 7),
        batchOf(idle.id, 'old', 9, newId()),
      ])
      .execute();

    expect(await migrate(conn.db)).toContain('0022-staging-counts');
    const repo = new KyselyStagedBatchRepository(conn.db);
    expect(await repo.stagedSize(withSetting.id)).toEqual({ batches: 2, rows: 7 });
    expect(await repo.getCommitAt(withSetting.id)).toBe(100);
    expect(await repo.stagedSize(without.id)).toEqual({ batches: 1, rows: 7 });
    expect(await repo.getCommitAt(without.id)).toBeNull();
    expect(await repo.stagedSize(idle.id)).toEqual({ batches: 0, rows: 0 });
    const next = await repo.create({ ...batchOf(without.id, 'c', 2), file: { sha256: 'a'.repeat(64), rows: 2, bytes: 1 }, schema: [], report: { rows_read: 2, accepted: 2, quarantined: 0, by_rule: {} } });
    expect(next.staged).toEqual({ rows: 9, batches: 2, commit_at_rows: null });
  });
});
