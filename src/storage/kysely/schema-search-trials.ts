// Table types of the hyper-parameter search trials (migration 0019).

export interface SearchTrialsTable {
  parent_run_id: string;
  trial: number;
  run_id: string;
  project_id: string;
  /** JSON object of the trial's params. */
  params: string;
  status: string;
  value: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export interface SearchTrialTables {
  search_trials: SearchTrialsTable;
}
