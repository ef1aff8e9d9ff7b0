// The per-run artifact index on Kysely: one row per (run, path), replaced on re-upload.
import type { Kysely, Selectable } from 'kysely';
import type { RunArtifactEntry, RunArtifactRepository } from '../../domain/ports/run-artifact-store.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';
import type { RunArtifactsTable } from './schema-run-artifacts.js';

const entryOf = (r: Selectable<RunArtifactsTable>): RunArtifactEntry => ({ run_id: r.run_id, path: r.path, sha256: r.sha256, size: toNum(r.size), created_at: toNum(r.created_at) });

export class KyselyRunArtifactRepository implements RunArtifactRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async put(entry: RunArtifactEntry): Promise<void> {
    await this.db
      .insertInto('run_artifacts')
      .values(entry)
      .onConflict((oc) => oc.columns(['run_id', 'path']).doUpdateSet({ sha256: entry.sha256, size: entry.size, created_at: entry.created_at }))
      .execute();
  }

  async get(runId: string, path: string): Promise<RunArtifactEntry | undefined> {
    const row = await this.db.selectFrom('run_artifacts').selectAll().where('run_id', '=', runId).where('path', '=', path).executeTakeFirst();
    return row ? entryOf(row) : undefined;
  }

  async list(runId: string): Promise<RunArtifactEntry[]> {
    const rows = await this.db.selectFrom('run_artifacts').selectAll().where('run_id', '=', runId).execute();
    return rows.map(entryOf).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
