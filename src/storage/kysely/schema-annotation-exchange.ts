// Tables of annotation exchange (migration 0008): outside annotators, imported tasks, provenance.

export interface ExternalAnnotatorsTable {
  id: string;
  project_id: string;
  provider: string;
  external_id: string;
  user_id: string;
  created_at: number;
}

export interface ExchangeTasksTable {
  task_id: string;
  job_id: string;
  external_id: string | null;
  original: string; // JSON
}

export interface LabelProvenanceTable {
  label_id: string;
  task_id: string;
  job_id: string;
  provider: string;
  external_annotator: string;
  external_id: string | null;
  original: string; // JSON
  imported_by: string;
  imported_at: number;
  /** Migration 0015: 'label-studio', 'jsonl' or 'csv'. */
  format: string;
}

export interface AnnotationExchangeTables {
  external_annotators: ExternalAnnotatorsTable;
  exchange_tasks: ExchangeTasksTable;
  label_provenance: LabelProvenanceTable;
}
