// Datasets and their immutable versions: each version is a manifest of content-addressed
// Parquet files plus its schema, per-column profile, cleansing report, rules and source.
import type { RulesDocument } from './cleansing-rules.js';

export const COLUMN_TYPES = ['integer', 'double', 'boolean', 'timestamp', 'date', 'string'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** What a column means for learning: features are numeric or categorical; ids and text are not. */
export const SEMANTICS = ['numeric', 'categorical', 'text', 'timestamp', 'id', 'label', 'image_url'] as const;
export type Semantic = (typeof SEMANTICS)[number];

export const DATA_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** Text encodings an ingest reads: UTF-8, or Latin-1 (ISO-8859-1) converted to UTF-8 when declared. */
export const TEXT_ENCODINGS = ['utf-8', 'latin-1'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  nullable: boolean;
  semantic: Semantic;
}

/** The quantiles every numeric profile carries. */
export const PROFILE_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
export const HISTOGRAM_BINS = 20;

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  semantic: Semantic;
  /** Rows in the version (nulls included). */
  count: number;
  nulls: number;
  distinct: number;
  /** True when every row has a value and no two are equal (a candidate key). */
  unique: boolean;
  /** Numbers for numeric columns, ISO strings for dates/timestamps, text for strings; null when empty. */
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
  /** Sample standard deviation (n − 1). */
  std: number | null;
  /** Numeric columns: the values at PROFILE_QUANTILES (linear interpolation). */
  quantiles: { q: number; value: number }[] | null;
  /**
   * Numeric columns: HISTOGRAM_BINS equal-width bins from min to max (last bin closed); date and
   * timestamp columns: the same over epoch milliseconds.
   */
  histogram: { edges: number[]; counts: number[] } | null;
  /** Strings and booleans: the most frequent values, most frequent first. */
  top: { value: string; count: number }[] | null;
  /** Strings: the length of the values in characters (null for other types, or when all are empty). */
  text_length?: { min: number; max: number; mean: number } | null;
  /**
   * True when `quantiles` are estimates (versions above 100,000 rows: the quantiles of a uniform
   * sample of 65,536 values); the rest is exact.
   */
  approximate?: boolean;
}

export interface IngestReport {
  /** Records the parser delimited (data rows; the header and blank lines are not records). */
  rows_read: number;
  accepted: number;
  quarantined: number;
  /** Quarantined rows per rule id, e.g. `{ "precipitation.range": 2, "parse.missing_columns": 1 }`. */
  by_rule: Record<string, number>;
  /** Empty values filled by `impute` rules, per column (present when the rules impute; counts above zero). */
  imputed?: Record<string, number>;
  /** Accepted values in which a PII `flag` rule found something, per `<column>.<detector>`. */
  pii_flagged?: Record<string, number>;
  /** Accepted values whose PII finds a `mask` rule replaced, per `<column>.<detector>`. */
  pii_masked?: Record<string, number>;
}

export interface StoredFile {
  sha256: string;
  rows: number;
  bytes: number;
}

export interface DatasetSource {
  /**
   * 'push': the version committed pushed batches (bytes and sha256 then cover their bodies).
   * 'readmit': quarantined rows of `origin` fixed by a person and re-admitted (see dataset-curation.ts).
   */
  kind: 'file' | 'push' | 'readmit';
  /** A display name (the uploaded file's name, or 'upload'); never used as a path. */
  name: string;
  format: DataFormat;
  bytes: number;
  sha256: string;
  /** 'readmit' only: the version whose quarantine the rows came from (their lines: the lineage endpoint). */
  origin?: { version_id: string; version: number; rows: number };
}

export interface Dataset {
  id: string;
  project_id: string;
  name: string;
  description: string;
  created_by: string;
  created_at: number;
  /** The newest version number (0 before the first ingest). */
  latest_version: number;
  updated_at: number;
}

export interface DatasetVersion {
  id: string;
  project_id: string;
  dataset_id: string;
  /** 1, 2, … per dataset. */
  version: number;
  parent_version_id: string | null;
  /** Accepted rows: content-addressed Parquet files (zstd) in the artifact store. */
  files: StoredFile[];
  /** Quarantined rows (line, rule, reason, raw values) as Parquet; null when none. */
  quarantine_file: { sha256: string; rows: number } | null;
  schema: ColumnSchema[];
  profile: ColumnProfile[];
  report: IngestReport;
  rules: RulesDocument | null;
  source: DatasetSource;
  created_by: string;
  created_at: number;
}

/** A version without its heavy parts (schema, profile, rules), as lists show it. */
export type DatasetVersionSummary = Omit<DatasetVersion, 'schema' | 'profile' | 'rules'>;

/** One quarantined record. `values` holds the raw text of each column (absent for parse errors). */
export interface QuarantineRow {
  /** Source line: 1 is a CSV header, so a CSV's first record is line 2; JSONL/Parquet count records from 1. */
  line: number;
  rule: string;
  reason: string;
  values: Record<string, string | null>;
  /** The raw record text for records the parser could not split (ragged rows, bad JSON). */
  raw: string | null;
}
