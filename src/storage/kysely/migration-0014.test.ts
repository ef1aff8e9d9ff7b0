// Migration 0014 on every target: a 0013 database keeps its alerts (now with nullable monitor and
// a deployment column wide enough for serving alerts), its deployments gain empty canary and
// shadow targets, and each deployment's binding history starts with its current binding.
import { expect, it } from 'vitest';
import { describeMigration, insertRows, ownerRows } from '../../../test/support/migration-targets.js';
import { newId } from '../../domain/ids.js';
import { migrate } from './migrate.js';

const T0 = 1_700_000_000_123;

describeMigration('0014', (before) => {
  it('keeps alerts and deployments, and seeds the binding history', async () => {
    const conn = await before('0013-dataset-curation');
    const db = conn.db;
    const { user, project } = ownerRows(T0, { admin: true, project: 'churn' });
    const model = { id: newId(), project_id: project.id, name: 'm', latest_version: 1, created_by: user.id, created_at: T0 };
    const deployment = { id: newId(), project_id: project.id, name: 'm-prod', model_id: model.id, alias: 'champion', version: null, created_by: user.id, created_at: T0, updated_at: T0 };
    const monitor = {
      id: newId(), project_id: project.id, name: 'mon', deployment: 'm-prod', reference_dataset_version_id: newId(), features: '[]', psi_threshold: 0.2, tolerance: 0.05,
      baseline: '{}', window: 'month', created_at: T0, updated_at: T0,
    };
    const alert = { id: newId(), project_id: project.id, monitor_id: monitor.id, kind: 'drift', window_start: T0, window_end: T0 + 1, metric: 'psi.x', value: 0.3, threshold: 0.2, message: 'drift', status: 'open', created_at: T0 };
    const any = db as unknown as import('kysely').Kysely<any>;
    await insertRows(any, { users: user, projects: project, registered_models: model, deployments: deployment, monitors: monitor, alerts: alert });

    expect((await migrate(db))[0]).toBe('0014-serving-traffic'); // later migrations follow it
    expect(await db.selectFrom('alerts').selectAll().execute()).toEqual([{ ...alert, deployment: null }]);
    const serving = { ...alert, id: newId(), monitor_id: null, deployment: 'm-prod', kind: 'serving.load_failed', metric: 'model_version', value: 2, threshold: 1 };
    await db.insertInto('alerts').values(serving).execute();
    expect(await db.selectFrom('alerts').select(['kind', 'monitor_id']).where('id', '=', serving.id).execute()).toEqual([{ kind: 'serving.load_failed', monitor_id: null }]);
    expect(await db.selectFrom('deployments').select(['canary', 'shadow']).execute()).toEqual([{ canary: null, shadow: null }]);
    expect(await db.selectFrom('deployment_bindings').selectAll().execute()).toEqual([
      {
        id: deployment.id, project_id: project.id, deployment_id: deployment.id, change: 'create', model_id: model.id, alias: 'champion', version: null, canary: null, shadow: null,
        serving_version: null, canary_version: null, shadow_version: null, who: user.id, who_name: 'migration', at: T0, reason: 'binding when the history began',
      },
    ]);
    expect(await db.selectFrom('validation_policies').selectAll().execute()).toEqual([]);
  });
});
