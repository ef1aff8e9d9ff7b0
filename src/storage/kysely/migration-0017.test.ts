// Migration 0017 on every target: a database from before it keeps its metric points (a point
// stored twice kept once, none flagged NaN), params and tags (one value per key still), and each
// run's latest point per metric (greatest step, then timestamp, then value) is filled in with the
// run's experiment.
import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeMigration, insertRows, ownerRows } from '../../../test/support/migration-targets.js';
import { newId } from '../../domain/ids.js';
import { migrate } from './migrate.js';

const T0 = 1_700_000_000_123;

describeMigration('0017', (before) => {
  it('keeps metric points once each and fills in every run’s latest points', async () => {
    const conn = await before('0015-labelling-task-types');
    const db = conn.db as unknown as Kysely<any>;
    const { user, project } = ownerRows(T0, { username: 'dana', project: 'ml' });
    const experiment = { id: newId(), project_id: project.id, name: 'e', created_at: T0 };
    const run = { id: newId(), project_id: project.id, experiment_id: experiment.id, name: 'r', status: 'finished', spec: '{}', created_at: T0 };
    await insertRows(db, { users: user, projects: project, experiments: experiment, runs: run });
    const point = (key: string, value: number, step: number, timestamp = T0) => ({ run_id: run.id, key, value, step, timestamp });
    await db
      .insertInto('run_metrics')
      .values([point('loss', 0.9, 0), point('loss', 0.5, 2), point('loss', 0.5, 2), point('loss', 0.4, 1, T0 + 5), point('acc', 0.7, 3, T0), point('acc', 0.8, 3, T0)])
      .execute();

    await db.insertInto('run_params').values({ run_id: run.id, key: 'lr', value: '0.1' }).execute();
    await db.insertInto('run_tags').values({ run_id: run.id, key: 'team', value: 'x' }).execute();

    expect(await migrate(conn.db)).toContain('0017-run-search');
    expect(await db.selectFrom('run_params').selectAll().execute()).toEqual([{ run_id: run.id, key: 'lr', value: '0.1' }]);
    expect(await db.selectFrom('run_tags').selectAll().execute()).toEqual([{ run_id: run.id, key: 'team', value: 'x' }]);
    await expect(db.insertInto('run_params').values({ run_id: run.id, key: 'lr', value: '0.2' }).execute()).rejects.toThrow();
    const points = await db.selectFrom('run_metrics').select(['key', 'value', 'step', 'is_nan']).orderBy('key').orderBy('step').orderBy('value').execute();
    expect(points.map((p) => [p.key, Number(p.value), Number(p.step), Number(p.is_nan)])).toEqual([
      ['acc', 0.7, 3, 0],
      ['acc', 0.8, 3, 0],
      ['loss', 0.9, 0, 0],
      ['loss', 0.4, 1, 0],
      ['loss', 0.5, 2, 0],
    ]);
    const latest = await db.selectFrom('run_latest_metrics').selectAll().orderBy('key').execute();
    expect(latest.map((l) => [l.run_id, l.experiment_id, l.key, Number(l.value), Number(l.step), Number(l.is_nan)])).toEqual([
      [run.id, experiment.id, 'acc', 0.8, 3, 0],
      [run.id, experiment.id, 'loss', 0.5, 2, 0],
    ]);
    // The point's key now refuses a second copy.
    await db.insertInto('run_metrics').values({ ...point('loss', 0.5, 2), is_nan: 0 }).onConflict((oc) => oc.doNothing()).execute();
    expect(Number((await db.selectFrom('run_metrics').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(5);
  });
});
