// Wiring of continuous collection: scheduled sources, their pulls and the drop folder, built on
// the datasets, staging, jobs and secrets services.
import type { Clock } from '../../domain/clock.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { DataEngine } from '../../domain/ports/data-engine.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { SourceReader } from '../../domain/ports/source-reader.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import { DatasetStagingService } from '../datasets/staging.service.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { OperationRunner } from '../operation.js';
import type { SecretsService } from '../secrets/secrets.service.js';
import { DropFolderService } from './drop-folder.service.js';
import { SourcePullService, type PullLimits } from './source-pull.service.js';
import { DatasetSourcesService } from './sources.service.js';

export interface DatasetSourceServiceDeps {
  store: MetadataStore;
  ops: OperationRunner;
  audit: AuditService;
  clock: Clock;
  artifacts: ArtifactStore;
  engine?: DataEngine;
  jobs: JobsService;
  secrets: SecretsService;
  datasets: DatasetsService;
  reader?: SourceReader;
  tmpDir: string;
  /** FLYWHEEL_HOME/drop; without it the drop folder is off. */
  dropDir?: string;
  pullLimits?: Partial<PullLimits>;
}

export function createDatasetSourceServices(deps: DatasetSourceServiceDeps) {
  const { store, ops, audit, clock, artifacts, engine, tmpDir } = deps;
  const staging = new DatasetStagingService({ store, ops, audit, clock, artifacts, engine, tmpDir }, deps.datasets);
  return {
    datasetSources: new DatasetSourcesService({ store, ops, clock, jobs: deps.jobs, secrets: deps.secrets, datasets: deps.datasets }),
    sourcePulls: new SourcePullService({ store, clock, secrets: deps.secrets, staging, reader: deps.reader, tmpDir, limits: deps.pullLimits }),
    dropFolder: new DropFolderService({ store, clock, jobs: deps.jobs, staging, dropDir: deps.dropDir }),
  };
}
