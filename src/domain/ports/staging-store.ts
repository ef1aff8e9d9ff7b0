// The repository of datasets' staging areas (part of the metadata store): pushed batches, each
// unique per (dataset, Idempotency-Key), staged until a commit marks them with its version.
import type { StagedBatch } from '../dataset-staging.js';

export interface StagedBatchRepository {
  /** Throws ConflictError when the dataset already has a batch with that key. */
  create(batch: StagedBatch): Promise<void>;
  getByKey(datasetId: string, key: string): Promise<StagedBatch | undefined>;
  /** How many batches are staged (not committed) and their accepted rows, without reading them. */
  stagedSize(datasetId: string): Promise<{ batches: number; rows: number }>;
  /** The schema of the oldest staged batch (it binds later ones while no version exists). */
  firstStagedSchema(datasetId: string): Promise<StagedBatch['schema'] | null>;
  /** The batches still staged (not committed), oldest first. */
  listStaged(datasetId: string): Promise<StagedBatch[]>;
  /** Mark the staged batches `ids` as committed into `versionId`; answers how many it marked. */
  markCommitted(datasetId: string, ids: string[], versionId: string): Promise<number>;
  /** Staged rows at which a push commits by itself; null (the default) for never. */
  getCommitAt(datasetId: string): Promise<number | null>;
  setCommitAt(projectId: string, datasetId: string, rows: number | null, at: number): Promise<void>;
}
