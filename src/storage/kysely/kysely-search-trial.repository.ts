// The trials of hyper-parameter searches on Kysely: one row per child run, params as JSON text.
import type { Kysely, Selectable } from 'kysely';
import type { SearchTrialPatch, SearchTrialRepository } from '../../domain/ports/search-trial-store.js';
import type { SearchTrial } from '../../domain/search.js';
import type { RunStatus } from '../../domain/tracking.js';
import { inChunks } from './in-chunks.js';
import { toNum, toNumOrNull } from './row-values.js';
import type { Database } from './schema.js';
import type { SearchTrialsTable } from './schema-search-trials.js';

const trialOf = (r: Selectable<SearchTrialsTable>): SearchTrial => ({
  parent_run_id: r.parent_run_id,
  trial: toNum(r.trial),
  run_id: r.run_id,
  project_id: r.project_id,
  params: JSON.parse(r.params) as SearchTrial['params'],
  status: r.status as RunStatus,
  value: toNumOrNull(r.value),
  error: r.error,
  created_at: toNum(r.created_at),
  updated_at: toNum(r.updated_at),
});

export class KyselySearchTrialRepository implements SearchTrialRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async createMany(trials: SearchTrial[]): Promise<void> {
    // 10 columns a row: 50 rows a statement stays far under SQLite's and pg's parameter limits.
    await inChunks(
      trials,
      async (chunk) => {
        await this.db
          .insertInto('search_trials')
          .values(chunk.map((t) => ({ ...t, params: JSON.stringify(t.params) })))
          .execute();
      },
      50,
    );
  }

  async list(parentRunId: string): Promise<SearchTrial[]> {
    const rows = await this.db.selectFrom('search_trials').selectAll().where('parent_run_id', '=', parentRunId).orderBy('trial').execute();
    return rows.map(trialOf);
  }

  async update(runId: string, patch: SearchTrialPatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('search_trials').set(patch).where('run_id', '=', runId).execute();
  }
}
