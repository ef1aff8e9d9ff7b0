// Curating a dataset after ingest: the declared schema (semantic types, nullability, types for
// the next ingest, a key), browsing the quarantine by rule, re-admitting fixed rows into a new
// version, and the lineage of a version (what it came from, what used it).
import type { ColumnSchema, DatasetSource, DatasetVersion } from './datasets.js';
import { ValidationError } from './errors.js';

/** Most rows one re-admit request may carry. */
export const MAX_READMIT_ROWS = 10_000;

/**
 * A dataset's declared schema: the columns (names fixed by the first version) with the type the
 * next ingest coerces to, nullability and meaning, and an optional key (used by diffs).
 */
export interface DeclaredSchema {
  dataset_id: string;
  project_id: string;
  columns: ColumnSchema[];
  /** Key columns (one or more); null when none is declared. */
  key: string[] | null;
  updated_by: string;
  updated_at: number;
}

/** One column's declared type differing from the latest version's: it applies from the next ingest. */
export interface PendingTypeChange {
  column: string;
  from: ColumnSchema['type'];
  to: ColumnSchema['type'];
}

/** The schema as the API shows it: declared, or seeded from the latest version until someone saves one. */
export interface SchemaState {
  dataset: string;
  /** False while nothing was saved: the columns are then the latest version's (inferred on first ingest). */
  declared: boolean;
  /** The version the columns and candidate keys were read from; null before the first ingest. */
  based_on_version: number | null;
  columns: ColumnSchema[];
  key: string[] | null;
  /** Columns the latest version's profile shows unique and without nulls (each a one-column key). */
  candidate_keys: string[][];
  pending_type_changes: PendingTypeChange[];
  updated_by: string | null;
  updated_at: number | null;
  /** How edits apply (existing versions never change). */
  note: string;
}

/** A change to the declared schema: the columns named are changed, the others kept. */
export interface SchemaPatch {
  columns?: Array<{ name: string; type?: ColumnSchema['type']; nullable?: boolean; semantic?: ColumnSchema['semantic'] }>;
  /** Key columns; null clears the key; an empty list is refused. */
  key?: string[] | null;
}

/** A re-admitted quarantine line: which version it went into. */
export interface ReadmitMark {
  project_id: string;
  dataset_id: string;
  origin_version_id: string;
  line: number;
  /** The rule the line was quarantined under. */
  rule: string;
  version_id: string;
  version: number;
  created_by: string;
  created_at: number;
}

/** One edited quarantined row: its line in the origin version and the values to use (text, or null). */
export interface ReadmitEdit {
  line: number;
  values: Record<string, string | null>;
}

export interface ReadmitOutcome {
  /** The new version holding the accepted rows; null when every row still failed (nothing written). */
  version: DatasetVersion | null;
  origin_version: number;
  accepted: Array<{ line: number }>;
  /** Rows that still break a rule: nothing is written for them; they may be fixed and sent again. */
  rejected: Array<{ line: number; rule: string; reason: string }>;
}

/** Counts for the quarantine browser's filter chips. */
export interface QuarantineSummary {
  total: number;
  readmitted: number;
  rules: Array<{ rule: string; rows: number; readmitted: number }>;
}

/**
 * A quarantine filter: an exact rule id (`temp_max.range`), or a prefix ending in a dot
 * (`temp_max.` = every rule of the column, `parse.` = every parse error).
 */
export interface RuleFilter {
  exact?: string;
  prefix?: string;
}

/** @example ruleFilterOf('temp_max.') // { prefix: 'temp_max.' } */
export function ruleFilterOf(rule: string | undefined): RuleFilter | undefined {
  if (rule === undefined || rule === '') return undefined;
  if (rule.length > 300) throw new ValidationError('rule filter is longer than 300 characters', { field: 'query.rule' });
  return rule.endsWith('.') ? { prefix: rule } : { exact: rule };
}

/** A version in brief, as lineage lists show it. */
export interface VersionRef {
  id: string;
  version: number;
  source_kind: DatasetSource['kind'];
  created_at: number;
}

/** What used a version: each list is what the caller's role may read (see `hidden`). */
export interface VersionUsers {
  labelling_jobs: Array<{ id: string; name: string; status: string; created_at: number }>;
  runs: Array<{ id: string; name: string; status: string; experiment_id: string; created_at: number }>;
  /** Model versions trained on it (named by the run, or by the version's own dataset_version_id). */
  models: Array<{ model_id: string; model: string; version: number; id: string; run_id: string | null; created_at: number }>;
  monitors: Array<{ id: string; name: string; deployment: string; created_at: number }>;
}

export interface VersionLineage {
  dataset: string;
  version: VersionRef;
  came_from: {
    parent: VersionRef | null;
    source: DatasetSource;
    /** Push commits: the batches committed into it. */
    batches: Array<{ id: string; idempotency_key: string; rows: number; created_at: number }>;
    /** Re-admits: the origin version and the lines taken from its quarantine. */
    readmit: { version_id: string; version: number; lines: number[] } | null;
  };
  /** Versions whose parent it is. */
  children: VersionRef[];
  /** Versions that re-admitted rows of its quarantine, with how many. */
  readmitted_into: Array<{ version_id: string; version: number; rows: number }>;
  used_by: VersionUsers;
  /** Lists left out because the caller's role may not read them (e.g. 'runs' for a reviewer). */
  hidden: Array<keyof VersionUsers>;
}
