// The repository of datasets' staging areas (part of the metadata store): pushed batches, each
// unique per (dataset, Idempotency-Key), staged until a commit marks them with its version. The
// staging area's size is kept as running counts, changed in the same transaction as the batches
// (a batch stored adds to them, a commit takes its batches away), so a push never sums them.
import type { DeclaredSchema } from '../dataset-curation.js';
import type { StagedBatch } from '../dataset-staging.js';
import type { ColumnSchema, Dataset } from '../datasets.js';

/** The staging area's size and its automatic-commit setting. */
export interface StagingCounts {
  /** Accepted rows of the staged (not committed) batches. */
  rows: number;
  batches: number;
  /** Staged rows at which a push commits by itself; null for never. */
  commit_at_rows: number | null;
}

/** What a push reads before cleansing its rows, in one read of the metadata store. */
export interface PushTarget {
  dataset: Dataset;
  staged: StagingCounts;
  declared: DeclaredSchema | undefined;
  /** While the dataset has no version: the schema of the oldest staged batch (null when none is staged, and once a version exists). */
  first_staged_schema: ColumnSchema[] | null;
  /** Whether the dataset has a batch under the push's key already. */
  key_taken: boolean;
}

export interface StagedBatchRepository {
  /**
   * Store a batch and add it to the staging area's counts, together (in a transaction of its own
   * when not given one); the batch's staged_rows is the staged rows with it. Throws ConflictError,
   * storing and counting nothing, when the dataset already has a batch with that key.
   */
  create(batch: Omit<StagedBatch, 'staged_rows'>): Promise<{ batch: StagedBatch; staged: StagingCounts }>;
  getByKey(datasetId: string, key: string): Promise<StagedBatch | undefined>;
  /**
   * The dataset `ref` (a name, or else an id when `byId`) of the project with what a push of
   * batch key `key` needs to know (see PushTarget); undefined when there is no such dataset.
   */
  pushTarget(projectId: string, ref: string, key: string, byId: boolean): Promise<PushTarget | undefined>;
  /** How many batches are staged (not committed) and their accepted rows (the kept counts). */
  stagedSize(datasetId: string): Promise<{ batches: number; rows: number }>;
  /** The batches still staged (not committed), oldest first. */
  listStaged(datasetId: string): Promise<StagedBatch[]>;
  /**
   * Mark the staged batches `ids` as committed into `versionId` and take them off the staging
   * area's counts (together, as create); answers how many it marked.
   */
  markCommitted(datasetId: string, ids: string[], versionId: string): Promise<number>;
  /** Staged rows at which a push commits by itself; null (the default) for never. */
  getCommitAt(datasetId: string): Promise<number | null>;
  setCommitAt(projectId: string, datasetId: string, rows: number | null, at: number): Promise<void>;
}
