// Port of the per-run artifact index: a run's artifact paths ("dir/model.onnx") and the sha256
// of their bytes in the artifact store. Same conventions as metadata-store.ts.

export interface RunArtifactEntry {
  run_id: string;
  /** Relative, '/'-separated, validated by the service (no '..', no empty segments). */
  path: string;
  sha256: string;
  size: number;
  created_at: number;
}

export interface RunArtifactRepository {
  /** Insert, or replace the entry at the same run and path. */
  put(entry: RunArtifactEntry): Promise<void>;
  get(runId: string, path: string): Promise<RunArtifactEntry | undefined>;
  /** Every entry of the run, ordered by path. */
  list(runId: string): Promise<RunArtifactEntry[]>;
}
