// Contract tests of run search and metric writes on every database target: each key's latest
// point kept on write (an older step logged later leaves it), a repeated point stored once, NaN
// round trips, and search pages that walk values, NaN and missing metrics in MLflow's order, in
// either direction and in small pages, with filters on metrics, params, tags and attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import { newId } from '../../domain/ids.js';
import type { Clause, OrderTerm, RunSearchQuery } from '../../domain/run-search.js';
import type { Run } from '../../domain/tracking.js';
import { openMetadataStore, type KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_000;

for (const target of databaseTargets) {
  const title = target.available ? `run search on ${target.name}` : `run search on ${target.name} (skipped: ${target.skipReason})`;
  describe.skipIf(!target.available)(title, () => {
    let store: KyselyMetadataStore;
    let projectId: string;
    let experimentId: string;
    const ids: Record<string, string> = {};

    const newRun = async (name: string, start: number, experiment = experimentId): Promise<string> => {
      const id = newId();
      const run: Omit<Run, 'params' | 'metrics' | 'tags'> = {
        id, project_id: projectId, experiment_id: experiment, name, status: 'finished', spec: {}, dataset_version_id: null, seed: null, code_version: null,
        job_id: null, model_artifact_sha256: null, model_version_id: null, gate: null, error: null, created_by: null, created_at: start, start_time: start, end_time: null,
      };
      await store.tracking.createRun(run);
      return id;
    };

    const search = async (o: Partial<RunSearchQuery> & { clauses?: Clause[]; order?: OrderTerm[] }, pageSize = 100): Promise<string[]> => {
      const names: string[] = [];
      let after: RunSearchQuery['after'];
      for (let pages = 0; pages < 50; pages++) {
        const page = await store.mlflowTracking.searchRuns({ projectId, experimentIds: [experimentId], stages: ['active'], clauses: [], order: [], limit: pageSize, ...o, ...(after ? { after } : {}) });
        names.push(...page.runs.map((r) => r.name));
        if (!page.next) return names;
        after = page.next;
      }
      throw new Error('too many pages');
    };

    beforeAll(async () => {
      store = await openMetadataStore(await target.freshUrl());
      const user = newId();
      await store.users.create({ id: user, username: 'u', display_name: 'u', password_hash: 'x', is_admin: false, disabled: false, created_at: T0 });
      projectId = newId();
      await store.projects.create({ id: projectId, name: 'p', description: '', created_by: user, created_at: T0, updated_at: T0 });
      experimentId = (await store.tracking.ensureExperiment(projectId, 'e', T0)).id;
      // a..f: auc 0.9, 0.7, NaN, (none), 0.7, 0.95; algo gbdt/lr; team tag on some.
      const spec: Array<[string, number | null | 'nan', string | null, string | null]> = [
        ['a', 0.9, 'gbdt', 'Vision'],
        ['b', 0.7, 'lr', 'vision'],
        ['c', 'nan', 'gbdt', null],
        ['d', null, 'gbdt', 'tab*ular'],
        ['e', 0.7, null, 'vision'],
        ['f', 0.95, 'lr', null],
      ];
      for (const [i, [name, auc, algo, team]] of spec.entries()) {
        const id = (ids[name] = await newRun(name, T0 + i * 1000));
        if (auc !== null) await store.tracking.logMetrics(id, [{ key: 'auc', value: auc === 'nan' ? NaN : auc, step: 1, timestamp: T0 }]);
        if (algo) await store.tracking.logParams(id, { algo });
        if (team) await store.tracking.setTags(id, { team });
      }
      await store.mlflowTracking.updateRun(ids.e, { user_id: 'erin' });
    });
    afterAll(() => store?.close());

    it('keeps each key’s latest point by step, then timestamp, then value, and stores a repeated point once', async () => {
      const id = await newRun('latest', T0, (await store.tracking.ensureExperiment(projectId, 'other', T0)).id);
      const p = (value: number, step: number, timestamp = T0) => ({ key: 'loss', value, step, timestamp });
      await store.tracking.logMetrics(id, [p(0.5, 2), p(0.9, 1), p(0.5, 2)]);
      await store.tracking.logMetrics(id, [p(0.1, 1, T0 + 9)]);
      await store.tracking.logMetrics(id, [p(0.6, 2)]);
      const run = await store.mlflowTracking.getRun(projectId, id);
      expect(run?.metrics).toEqual([{ key: 'loss', value: 0.6, step: 2, timestamp: T0 }]);
      expect((await store.tracking.metricHistory(id, 'loss')).map((m) => [m.step, m.value])).toEqual([
        [1, 0.9],
        [1, 0.1],
        [2, 0.5],
        [2, 0.6],
      ]);
      await store.tracking.logMetrics(id, [p(NaN, 3), p(Infinity, 4)]);
      const history = await store.mlflowTracking.metricHistories(id, ['loss']);
      expect(history.slice(-2).map((m) => m.value)).toEqual([NaN, Infinity]);
      expect((await store.mlflowTracking.getRun(projectId, id))?.metrics[0]).toEqual({ key: 'loss', value: Infinity, step: 4, timestamp: T0 });
      // The built-in view of the run leaves out values JSON cannot carry.
      expect((await store.tracking.getRun(id))?.metrics).toEqual({});
    });

    it('orders by a metric: values, then NaN, then runs without it, in both directions and across small pages', async () => {
      const desc = { order: [{ entity: 'metric' as const, key: 'auc', ascending: false }] };
      const asc = { order: [{ entity: 'metric' as const, key: 'auc', ascending: true }] };
      // Ties (b, e at 0.7) go newest first.
      expect(await search(desc)).toEqual(['f', 'a', 'e', 'b', 'c', 'd']);
      expect(await search(asc)).toEqual(['e', 'b', 'a', 'f', 'c', 'd']);
      for (const size of [1, 2, 4]) {
        expect(await search(desc, size)).toEqual(['f', 'a', 'e', 'b', 'c', 'd']);
        expect(await search(asc, size)).toEqual(['e', 'b', 'a', 'f', 'c', 'd']);
      }
      expect(await search({ order: [{ entity: 'param', key: 'algo', ascending: true }] }, 2)).toEqual(['d', 'c', 'a', 'f', 'b', 'e']);
      expect(await search({ order: [{ entity: 'attribute', key: 'user_id', ascending: true }] }, 4)).toEqual(['e', 'f', 'd', 'c', 'b', 'a']);
      expect(await search({}, 4)).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
    });

    it('filters on metrics (NaN never matches), params, tags (LIKE is case-sensitive, ILIKE is not) and attributes', async () => {
      const m = (op: Clause['op'], value: number): Clause => ({ entity: 'metric', key: 'auc', op, value });
      expect(await search({ clauses: [m('>=', 0.7)] })).toEqual(['f', 'e', 'b', 'a']);
      expect(await search({ clauses: [m('!=', 0.7)] })).toEqual(['f', 'a']);
      expect(await search({ clauses: [m('>', 0.8), { entity: 'param', key: 'algo', op: '=', value: 'gbdt' }], order: [{ entity: 'metric', key: 'auc', ascending: false }] })).toEqual(['a']);
      expect(await search({ clauses: [{ entity: 'param', key: 'algo', op: 'NOT IN', value: ['gbdt'] }] })).toEqual(['f', 'b']);
      expect(await search({ clauses: [{ entity: 'tag', key: 'team', op: 'LIKE', value: 'v%' }] })).toEqual(['e', 'b']);
      expect(await search({ clauses: [{ entity: 'tag', key: 'team', op: 'ILIKE', value: 'v%' }] })).toEqual(['e', 'b', 'a']);
      expect(await search({ clauses: [{ entity: 'tag', key: 'team', op: 'LIKE', value: 'tab*%' }] })).toEqual(['d']);
      expect(await search({ clauses: [{ entity: 'attribute', key: 'run_name', op: 'IN', value: ['a', 'c'] }] })).toEqual(['c', 'a']);
      expect(await search({ clauses: [{ entity: 'attribute', key: 'start_time', op: '>=', value: T0 + 4000 }] })).toEqual(['f', 'e']);
      expect(await search({ clauses: [{ entity: 'attribute', key: 'user_id', op: '=', value: 'erin' }] })).toEqual(['e']);
      const count = await store.mlflowTracking.countRuns({ projectId, experimentIds: [experimentId], stages: ['active'], clauses: [m('>=', 0.7)] });
      expect(count).toBe(4);
    });

    it('keeps deleted runs out of the active stage and lists the keys of an experiment', async () => {
      await store.mlflowTracking.updateRun(ids.b, { lifecycle_stage: 'deleted' });
      expect(await search({ order: [{ entity: 'metric', key: 'auc', ascending: false }] }, 2)).toEqual(['f', 'a', 'e', 'c', 'd']);
      expect(await search({ stages: ['deleted'] })).toEqual(['b']);
      await store.mlflowTracking.updateRun(ids.b, { lifecycle_stage: 'active' });
      expect(await store.mlflowTracking.runKeys(projectId, [experimentId], 1000)).toEqual({ metrics: ['auc'], params: ['algo'], tags: ['team'] });
    });
  });
}
