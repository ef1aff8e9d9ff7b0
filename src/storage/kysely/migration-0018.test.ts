// Migration 0018 on every target: deployments made before it keep everything and are
// micro-batched with the defaults (64 rows, 2 ms); the settings read back through the repository.
import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeMigration, insertRows, ownerRows } from '../../../test/support/migration-targets.js';
import { newId } from '../../domain/ids.js';
import { DEFAULT_BATCHING } from '../../domain/serving.js';
import { KyselyDeploymentRepository } from './kysely-deployment.repository.js';
import { migrate } from './migrate.js';

const T0 = 1_700_000_000_123;

describeMigration('0018', (before) => {
  it('gives existing deployments the default micro-batching, which the repository reads and changes', async () => {
    const conn = await before('0017-run-search');
    const db = conn.db as unknown as Kysely<any>;
    const { user, project } = ownerRows(T0, { admin: true, project: 'churn' });
    const model = { id: newId(), project_id: project.id, name: 'm', latest_version: 1, created_by: user.id, created_at: T0 };
    const deployment = { id: newId(), project_id: project.id, name: 'm-prod', model_id: model.id, alias: 'champion', version: null, canary: null, shadow: null, created_by: user.id, created_at: T0, updated_at: T0 };
    await insertRows(db, { users: user, projects: project, registered_models: model, deployments: deployment });

    expect(await migrate(conn.db)).toContain('0018-serving-batching');
    const repo = new KyselyDeploymentRepository(conn.db);
    expect(await repo.getByName('m-prod')).toMatchObject({ ...deployment, batching: DEFAULT_BATCHING });
    await repo.setBatching(deployment.id, { max_rows: 1, max_delay_ms: 0 }, T0 + 5);
    expect(await repo.getById(deployment.id)).toMatchObject({ batching: { max_rows: 1, max_delay_ms: 0 }, updated_at: T0 + 5, alias: 'champion' });
  });
});
