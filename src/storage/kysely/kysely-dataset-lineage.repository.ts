// Lineage lookups on Kysely: by a dataset version's id, the versions made from it, the pushed
// batches committed into it, and the labelling jobs, runs, model versions and monitors that used it.
import type { Kysely } from 'kysely';
import type { VersionLineage, VersionRef } from '../../domain/dataset-curation.js';
import type { DatasetLineageRepository } from '../../domain/ports/dataset-curation-store.js';
import { toNum } from './row-values.js';
import type { Database } from './schema.js';

/** Most items of each list (a version used by more is rare; the newest are kept). */
const MAX_ITEMS = 1000;

export class KyselyDatasetLineageRepository implements DatasetLineageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async children(projectId: string, versionId: string): Promise<VersionRef[]> {
    const rows = await this.db
      .selectFrom('dataset_versions')
      .select(['id', 'version', 'source', 'created_at'])
      .where('project_id', '=', projectId)
      .where('parent_version_id', '=', versionId)
      .orderBy('version')
      .limit(MAX_ITEMS)
      .execute();
    return rows.map((r) => ({ id: r.id, version: toNum(r.version), source_kind: JSON.parse(r.source).kind, created_at: toNum(r.created_at) }));
  }

  async committedBatches(projectId: string, versionId: string): Promise<VersionLineage['came_from']['batches']> {
    const rows = await this.db
      .selectFrom('dataset_staged_batches')
      .select(['id', 'idempotency_key', 'file', 'created_at'])
      .where('project_id', '=', projectId)
      .where('committed_version_id', '=', versionId)
      .orderBy('id')
      .limit(MAX_ITEMS)
      .execute();
    return rows.map((r) => ({ id: r.id, idempotency_key: r.idempotency_key, rows: JSON.parse(r.file).rows, created_at: toNum(r.created_at) }));
  }

  async labellingJobs(projectId: string, versionId: string): Promise<VersionLineage['used_by']['labelling_jobs']> {
    // The source is JSON text: narrow with LIKE (the id is bound), then check the parsed source.
    const rows = await this.db
      .selectFrom('labelling_jobs')
      .select(['id', 'name', 'status', 'source', 'created_at'])
      .where('project_id', '=', projectId)
      .where('source', 'like', `%${versionId}%`)
      .orderBy('id', 'desc')
      .limit(MAX_ITEMS)
      .execute();
    return rows
      .filter((r) => {
        const source = JSON.parse(r.source) as { kind?: string; dataset_version_id?: string };
        return source.kind === 'dataset' && source.dataset_version_id === versionId;
      })
      .map((r) => ({ id: r.id, name: r.name, status: r.status, created_at: toNum(r.created_at) }));
  }

  async runs(projectId: string, versionId: string): Promise<VersionLineage['used_by']['runs']> {
    const rows = await this.db
      .selectFrom('runs')
      .select(['id', 'name', 'status', 'experiment_id', 'created_at'])
      .where('project_id', '=', projectId)
      .where('dataset_version_id', '=', versionId)
      .where('lifecycle_stage', '!=', 'deleted')
      .orderBy('id', 'desc')
      .limit(MAX_ITEMS)
      .execute();
    return rows.map((r) => ({ ...r, created_at: toNum(r.created_at) }));
  }

  async models(projectId: string, versionId: string): Promise<VersionLineage['used_by']['models']> {
    const rows = await this.db
      .selectFrom('model_versions as mv')
      .innerJoin('registered_models as m', 'm.id', 'mv.model_id')
      .select(['mv.id', 'mv.model_id', 'm.name', 'mv.version', 'mv.run_id', 'mv.created_at'])
      .where('mv.project_id', '=', projectId)
      .where((eb) =>
        eb.or([
          eb('mv.dataset_version_id', '=', versionId),
          eb('mv.run_id', 'in', eb.selectFrom('runs').select('runs.id').where('runs.project_id', '=', projectId).where('runs.dataset_version_id', '=', versionId)),
        ]),
      )
      .orderBy('mv.created_at', 'desc')
      .limit(MAX_ITEMS)
      .execute();
    return rows.map((r) => ({ id: r.id, model_id: r.model_id, model: r.name, version: toNum(r.version), run_id: r.run_id, created_at: toNum(r.created_at) }));
  }

  async monitors(projectId: string, versionId: string): Promise<VersionLineage['used_by']['monitors']> {
    const rows = await this.db
      .selectFrom('monitors')
      .select(['id', 'name', 'deployment', 'created_at'])
      .where('project_id', '=', projectId)
      .where('reference_dataset_version_id', '=', versionId)
      .orderBy('id')
      .limit(MAX_ITEMS)
      .execute();
    return rows.map((r) => ({ ...r, created_at: toNum(r.created_at) }));
  }
}
