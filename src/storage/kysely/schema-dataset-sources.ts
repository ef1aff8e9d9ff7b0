// The tables of datasets' scheduled sources and their runs (migration 0012).

export interface DatasetSourcesTable {
  id: string;
  project_id: string;
  dataset_id: string;
  name: string;
  kind: string;
  format: string | null;
  location: string;
  query: string | null;
  secret_name: string;
  schedule: string;
  timezone: string;
  enabled: number;
  commit_every_rows: number | null;
  commit_cron: string | null;
  next_run_at: number | null;
  next_commit_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface DatasetSourceRunsTable {
  id: string;
  project_id: string;
  source_id: string;
  dataset_id: string;
  job_id: string | null;
  trigger: string;
  scheduled_for: number | null;
  status: string;
  started_at: number;
  finished_at: number | null;
  bytes: number | null;
  sha256: string | null;
  rows_read: number;
  rows_staged: number;
  rows_quarantined: number;
  unchanged: number;
  batch_id: string | null;
  committed_version_id: string | null;
  error: string | null;
}

export interface DatasetSourceTables {
  dataset_sources: DatasetSourcesTable;
  dataset_source_runs: DatasetSourceRunsTable;
}
