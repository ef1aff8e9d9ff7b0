// Contract tests of the search trial repository on every database target: trials of a parent run
// are listed by trial number with their params as written (numbers, strings, booleans, null),
// updated by their child run's id, and other parents' trials stay apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../../test/support/databases.js';
import { newId } from '../../domain/ids.js';
import type { SearchTrial } from '../../domain/search.js';
import { openMetadataStore, type KyselyMetadataStore } from './kysely-metadata-store.js';

const T0 = 1_700_000_000_123;

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`search trial repository (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let store: KyselyMetadataStore;
    const userId = newId();
    const projectId = newId();
    const run = (id: string, experimentId: string) => ({
      id,
      project_id: projectId,
      experiment_id: experimentId,
      name: `run-${id.slice(-4)}`,
      status: 'queued' as const,
      spec: {},
      dataset_version_id: null,
      seed: 0,
      code_version: null,
      job_id: null,
      model_artifact_sha256: null,
      model_version_id: null,
      gate: null,
      error: null,
      created_by: userId,
      created_at: T0,
      start_time: null,
      end_time: null,
    });
    const parents = [newId(), newId()];
    const children = Array.from({ length: 4 }, () => newId());
    const trial = (parent: string, i: number, runId: string, params: SearchTrial['params']): SearchTrial => ({
      parent_run_id: parent,
      trial: i,
      run_id: runId,
      project_id: projectId,
      params,
      status: 'queued',
      value: null,
      error: null,
      created_at: T0,
      updated_at: T0,
    });

    beforeAll(async () => {
      store = await openMetadataStore(await target.freshUrl());
      await store.users.create({ id: userId, username: 'owner', display_name: 'Owner', password_hash: 'x', is_admin: false, disabled: false, created_at: T0 });
      await store.projects.create({ id: projectId, name: 'p', description: '', created_by: userId, created_at: T0, updated_at: T0 });
      const e = await store.tracking.ensureExperiment(projectId, 'tuning', T0);
      for (const id of [...parents, ...children]) await store.tracking.createRun(run(id, e.id));
    });
    afterAll(() => store?.close());

    it('lists a parent’s trials by number with their params, and updates one by its run', async () => {
      await store.searchTrials.createMany([
        trial(parents[0], 2, children[2], { l2: 10, solver: 'lbfgs' }),
        trial(parents[0], 0, children[0], { l2: 0.1, early_stopping: true }),
        trial(parents[0], 1, children[1], { l2: 1, max_depth: null }),
        trial(parents[1], 0, children[3], { l2: 5 }),
      ]);
      const listed = await store.searchTrials.list(parents[0]);
      expect(listed.map((t) => t.trial)).toEqual([0, 1, 2]);
      expect(listed.map((t) => t.params)).toEqual([{ l2: 0.1, early_stopping: true }, { l2: 1, max_depth: null }, { l2: 10, solver: 'lbfgs' }]);
      await store.searchTrials.update(children[1], { status: 'finished', value: 0.8125, updated_at: T0 + 5 });
      await store.searchTrials.update(children[2], { status: 'failed', error: 'boom', updated_at: T0 + 6 });
      const after = await store.searchTrials.list(parents[0]);
      expect(after[1]).toMatchObject({ status: 'finished', value: 0.8125, error: null, updated_at: T0 + 5, created_at: T0 });
      expect(after[2]).toMatchObject({ status: 'failed', value: null, error: 'boom' });
      expect((await store.searchTrials.list(parents[1])).map((t) => t.run_id)).toEqual([children[3]]);
      expect(await store.searchTrials.list(children[0])).toEqual([]);
    });
  });
}
