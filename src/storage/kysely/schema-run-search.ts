// Table types of migration 0017: each run's latest point per metric, kept on write for sorting
// and filtering runs by a metric without reading their histories.

export interface RunLatestMetricsTable {
  run_id: string;
  /** The run's experiment (runs never move), so one index serves "experiment E by metric K". */
  experiment_id: string;
  key: string;
  /** 0 when the value is NaN (is_nan = 1); ±Infinity are stored as they come. */
  value: number;
  is_nan: number;
  step: number;
  timestamp: number;
}

export interface RunSearchTables {
  run_latest_metrics: RunLatestMetricsTable;
}
