// Tables of datasets and their versions (migration 0002). A version's manifest parts (files,
// schema, profile, report, rules, source) are JSON text: read whole, never queried inside.

export interface DatasetsTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  created_by: string;
  created_at: number;
  latest_version: number;
  updated_at: number;
}

export interface DatasetVersionsTable {
  id: string;
  project_id: string;
  dataset_id: string;
  version: number;
  parent_version_id: string | null;
  files: string; // JSON StoredFile[]
  quarantine_file: string | null; // JSON { sha256, rows }
  schema: string; // JSON ColumnSchema[]
  profile: string; // JSON ColumnProfile[]
  report: string; // JSON IngestReport
  rules: string | null; // JSON RulesDocument
  source: string; // JSON DatasetSource
  created_by: string;
  created_at: number;
}

export interface DatasetTables {
  datasets: DatasetsTable;
  dataset_versions: DatasetVersionsTable;
}
