// Table types of the per-run artifact index (migration 0009).

export interface RunArtifactsTable {
  run_id: string;
  path: string;
  sha256: string;
  size: number;
  created_at: number;
}

export interface RunArtifactTables {
  run_artifacts: RunArtifactsTable;
}
