// The tables of datasets' staging areas and their settings (migration 0007). JSON parts are read whole.
import type { Generated } from 'kysely';

export interface DatasetStagedBatchesTable {
  id: string;
  project_id: string;
  dataset_id: string;
  idempotency_key: string;
  body_sha256: string;
  body_bytes: number;
  file: string; // JSON StoredFile
  quarantine_file: string | null; // JSON { sha256, rows }
  schema: string; // JSON ColumnSchema[]
  report: string; // JSON IngestReport
  staged_rows: number;
  /** The batch's accepted rows (file.rows), summed for the staging area's size (migration 0020). */
  accepted_rows: number;
  committed_version_id: string | null;
  created_by: string;
  created_at: number;
}

export interface DatasetStagingSettingsTable {
  dataset_id: string;
  project_id: string;
  commit_at_rows: number | null;
  updated_at: number;
  /** The staging area's accepted rows and batches, kept by each batch stored and each commit (migration 0022). */
  staged_rows: Generated<number>;
  staged_batches: Generated<number>;
}

export interface StagingTables {
  dataset_staged_batches: DatasetStagedBatchesTable;
  dataset_staging_settings: DatasetStagingSettingsTable;
}
