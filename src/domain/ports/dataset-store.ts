// Repositories of datasets and their versions (part of the metadata store; see metadata-store.ts
// for the conventions: get* answers undefined when nothing matches, create* throws ConflictError
// on a taken name or version number).
import type { Dataset, DatasetVersion, DatasetVersionSummary } from '../datasets.js';
import type { Page, PageRequest } from '../pagination.js';

/** A dataset with a summary of its newest version, as lists show it. */
export interface DatasetListItem extends Dataset {
  latest: Pick<DatasetVersionSummary, 'id' | 'version' | 'report' | 'created_at'> | null;
}

export interface DatasetRepository {
  /** Throws ConflictError when the project already has a dataset of that name. */
  create(dataset: Dataset): Promise<void>;
  getById(projectId: string, id: string): Promise<Dataset | undefined>;
  getByName(projectId: string, name: string): Promise<Dataset | undefined>;
  /** By id (creation order). */
  list(projectId: string, page: PageRequest): Promise<Page<DatasetListItem>>;
  /** Move `latest_version` to `version` if it is still `expected`; answers whether it moved. */
  advance(id: string, expected: number, version: number, at: number): Promise<boolean>;
}

export interface DatasetVersionRepository {
  /** Throws ConflictError when the dataset already has that version number. */
  create(version: DatasetVersion): Promise<void>;
  getById(projectId: string, id: string): Promise<DatasetVersion | undefined>;
  get(datasetId: string, version: number): Promise<DatasetVersion | undefined>;
  /** Newest first (by version number). */
  list(datasetId: string, page: PageRequest): Promise<Page<DatasetVersionSummary>>;
}

export interface DatasetRepositories {
  datasets: DatasetRepository;
  datasetVersions: DatasetVersionRepository;
}
