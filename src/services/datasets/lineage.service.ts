// The lineage of a dataset version: what it came from (parent, source, the pushed batches or the
// re-admitted lines behind it) and what used it (labelling jobs, training runs, the model versions
// trained on it, monitors comparing against it). The model card walks the same chain upwards from
// a model (serving/model-card.service.ts); this walks it both ways from a version. Lists the
// caller's role may not read are left out and named.
import type { ProjectAction } from '../../domain/actions.js';
import type { VersionLineage, VersionRef, VersionUsers } from '../../domain/dataset-curation.js';
import type { DatasetVersion } from '../../domain/datasets.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import { allowedActions, type ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { DatasetsService } from './datasets.service.js';

/** The action that lets a caller see each list. */
const NEEDS: Record<keyof VersionUsers, ProjectAction> = {
  labelling_jobs: 'labelling.read',
  runs: 'experiment.read',
  models: 'model.read',
  monitors: 'monitor.read',
};

const refOf = (v: Pick<DatasetVersion, 'id' | 'version' | 'source' | 'created_at'>): VersionRef => ({ id: v.id, version: v.version, source_kind: v.source.kind, created_at: v.created_at });

export class DatasetLineageService {
  constructor(
    private readonly store: MetadataStore,
    private readonly datasets: DatasetsService,
  ) {}

  /** @example await lineage.lineage(ctx, access, 'weather', 2) // { came_from: { parent, source, … }, used_by: { runs: [...], … } } */
  async lineage(ctx: CallContext, access: ProjectAccess, ref: string, version: number | 'latest'): Promise<VersionLineage> {
    const dataset = await this.datasets.get(access, ref);
    const v = await this.datasets.getVersion(access, dataset.id, version);
    const projectId = access.project.id;
    const repo = this.store.datasetLineage;
    const parent = v.parent_version_id ? await this.store.datasetVersions.getById(projectId, v.parent_version_id) : undefined;
    const lines = v.source.kind === 'readmit' ? await this.store.datasetReadmits.linesOf(v.id) : undefined;
    const origin = v.source.origin;

    const may = new Set(allowedActions(ctx.principal, access.role));
    const hidden = (Object.keys(NEEDS) as Array<keyof VersionUsers>).filter((k) => !may.has(NEEDS[k]));
    const shown = (k: keyof VersionUsers) => !hidden.includes(k);
    const [labelling_jobs, runs, models, monitors] = await Promise.all([
      shown('labelling_jobs') ? repo.labellingJobs(projectId, v.id) : [],
      shown('runs') ? repo.runs(projectId, v.id) : [],
      shown('models') ? repo.models(projectId, v.id) : [],
      shown('monitors') ? repo.monitors(projectId, v.id) : [],
    ]);
    return {
      dataset: dataset.name,
      version: refOf(v),
      came_from: {
        parent: parent ? refOf(parent) : null,
        source: v.source,
        batches: v.source.kind === 'push' ? await repo.committedBatches(projectId, v.id) : [],
        readmit: lines && origin ? { version_id: origin.version_id, version: origin.version, lines: lines.lines } : null,
      },
      children: await repo.children(projectId, v.id),
      readmitted_into: await this.store.datasetReadmits.intoVersions(v.id),
      used_by: { labelling_jobs, runs, models, monitors },
      hidden,
    };
  }
}
