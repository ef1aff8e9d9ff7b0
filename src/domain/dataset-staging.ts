// Push ingest and version diffs: a dataset's staging area (batches of pushed rows, each stored
// once per Idempotency-Key, waiting for a commit) and the diff of two versions.
import type { ColumnSchema, ColumnType, IngestReport, StoredFile } from './datasets.js';

/** Most rows one push may carry. */
export const MAX_PUSH_ROWS = 10_000;

/** What a push answers (the same report again for a retried key). */
export interface PushReport {
  /** The batch's id: equal across retries of one Idempotency-Key. */
  batch_id: string;
  accepted: number;
  quarantined: number;
  /** Accepted rows waiting in the staging area after this push (at the time it was stored). */
  staged_rows: number;
  by_rule: Record<string, number>;
  /** Each quarantined row: its index in the pushed `rows` array (from 0), the rule it broke and why. */
  quarantined_rows: Array<{ index: number; rule: string; reason: string }>;
  /** True when this answer is a stored batch's report (a retry), false when it was stored now. */
  replayed: boolean;
  /** The version the batch went into once committed (by hand, or by this push reaching commit_at_rows); null while staged. */
  committed_version_id: string | null;
}

/** A dataset's staging area at a glance, and its automatic-commit setting. */
export interface StagingStatus {
  /** Staged rows at which a push commits by itself; null for never (commit by hand). */
  commit_at_rows: number | null;
  staged_rows: number;
  staged_batches: number;
}

/** One pushed batch in the staging area (or, once committed, the version it went into). */
export interface StagedBatch {
  id: string;
  project_id: string;
  dataset_id: string;
  idempotency_key: string;
  /** sha256 of the request body: a reused key with another body is a conflict. */
  body_sha256: string;
  body_bytes: number;
  /** Accepted rows as Parquet (content-addressed). */
  file: StoredFile;
  /** Quarantined rows as Parquet; line n is the batch's n-th row (1-based). */
  quarantine_file: { sha256: string; rows: number } | null;
  /** The schema the batch was typed with (binds later batches while no version exists). */
  schema: ColumnSchema[];
  report: IngestReport;
  staged_rows: number;
  /** The version the batch was committed into; null while staged. */
  committed_version_id: string | null;
  created_by: string;
  created_at: number;
}

export interface SchemaChange {
  column: string;
  change: 'added' | 'removed' | 'retyped';
  from_type: ColumnType | null;
  to_type: ColumnType | null;
}

export interface ColumnShift {
  column: string;
  kind: 'numeric' | 'categorical';
  /** Population stability index (src/stats drift). */
  psi: number;
  /** Numeric: mean and std of each side and their change (to − from). */
  mean_from?: number | null;
  mean_to?: number | null;
  mean_change?: number | null;
  std_from?: number | null;
  std_to?: number | null;
  std_change?: number | null;
  /** Categorical: the share of each value on each side (values of either side). */
  shares?: Array<{ value: string; from: number; to: number; change: number }>;
}

export interface DatasetDiff {
  from_version: number;
  to_version: number;
  /** The columns rows were matched by; empty when whole rows were compared. */
  key: string[];
  /** given: ?key=; declared: the dataset's declared key; candidate: a column unique in both versions. */
  key_source: 'given' | 'declared' | 'candidate' | 'none';
  rows: { from: number; to: number; added: number; removed: number; changed: number; unchanged: number };
  schema_changes: SchemaChange[];
  columns: ColumnShift[];
  /** A few rows of each kind (DIFF_SAMPLE_ROWS at most, in key order), values as text. */
  samples: DiffSamples;
}

export const DIFF_SAMPLE_ROWS = 5;

export type DiffRow = Record<string, string | null>;

export interface DiffSamples {
  added: DiffRow[];
  removed: DiffRow[];
  /** Changed rows: their key and the compared columns whose values differ. */
  changed: Array<{ key: DiffRow; changes: Array<{ column: string; from: string | null; to: string | null }> }>;
}
