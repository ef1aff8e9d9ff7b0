// The repository of datasets' staging areas (part of the metadata store): pushed batches, each
// unique per (dataset, Idempotency-Key), staged until a commit marks them with its version.
import type { StagedBatch } from '../dataset-staging.js';

export interface StagedBatchRepository {
  /** Throws ConflictError when the dataset already has a batch with that key. */
  create(batch: StagedBatch): Promise<void>;
  getByKey(datasetId: string, key: string): Promise<StagedBatch | undefined>;
  /** The batches still staged (not committed), oldest first. */
  listStaged(datasetId: string): Promise<StagedBatch[]>;
  /** Mark the staged batches `ids` as committed into `versionId`; answers how many it marked. */
  markCommitted(datasetId: string, ids: string[], versionId: string): Promise<number>;
  /** Staged rows at which a push commits by itself; null (the default) for never. */
  getCommitAt(datasetId: string): Promise<number | null>;
  setCommitAt(projectId: string, datasetId: string, rows: number | null, at: number): Promise<void>;
}
