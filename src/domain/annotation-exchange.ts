// Exchange of labelling work with outside tools (Label Studio JSON): the people of an outside
// provider (each stands for a placeholder user), the original JSON of imported tasks, and the
// provenance of imported labels — kept so an export gives back what was imported.

/** An annotator of an outside provider, known in a project; labels are recorded as `user_id`. */
export interface ExternalAnnotator {
  id: string;
  project_id: string;
  /** The provider's name given at import, e.g. 'label-studio' or 'acme-crowd'. */
  provider: string;
  /** The provider's id for the person (Label Studio's `completed_by`), as a string. */
  external_id: string;
  /** A disabled placeholder user (no password; cannot sign in). */
  user_id: string;
  created_at: number;
}

/** An imported task's original JSON (without its annotations), and its id in the outside tool. */
export interface ExchangeTask {
  task_id: string;
  job_id: string;
  /** The outside tool's task id as a string (matching), or null when the file gave none. */
  external_id: string | null;
  original: Record<string, unknown>;
}

/** Where an imported label came from, with the annotation's original JSON. */
export interface LabelProvenance {
  label_id: string;
  task_id: string;
  job_id: string;
  provider: string;
  /** The provider's id for the annotator. */
  external_annotator: string;
  /** The outside tool's annotation id as a string, when it gave one. */
  external_id: string | null;
  /** The annotation as imported: Label Studio JSON, or the JSON Lines record / CSV row. */
  original: Record<string, unknown>;
  imported_by: string;
  imported_at: number;
  /** The format it came in when not Label Studio JSON (absent for Label Studio). */
  format?: 'jsonl' | 'csv';
}
