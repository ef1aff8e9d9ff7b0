// Tables of dataset curation (migration 0013): declared schemas and re-admitted quarantine lines.

export interface DatasetSchemasTable {
  dataset_id: string;
  project_id: string;
  columns: string; // JSON ColumnSchema[]
  key_columns: string | null; // JSON string[]
  updated_by: string;
  updated_at: number;
}

export interface DatasetReadmitsTable {
  origin_version_id: string;
  line: number;
  project_id: string;
  dataset_id: string;
  rule: string;
  version_id: string;
  version: number;
  created_by: string;
  created_at: number;
}

export interface DatasetCurationTables {
  dataset_schemas: DatasetSchemasTable;
  dataset_readmits: DatasetReadmitsTable;
}
