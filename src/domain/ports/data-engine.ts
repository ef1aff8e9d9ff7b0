// The data engine port: ingest a local file into typed Parquet (cleansing rules applied, bad
// records quarantined), profile it, and read columns of stored Parquet back for training,
// monitoring and prediction logs. Adapter: DuckDB (src/storage/duckdb/).
//
// Paths are local file paths (see ArtifactStore.localPath); the engine never chooses where its
// outputs go: the caller gives it a scratch folder and stores the results.
import type { RulesDocument } from '../cleansing-rules.js';
import type { ColumnProfile, ColumnSchema, ColumnType, DataFormat, IngestReport, QuarantineRow, TextEncoding } from '../datasets.js';

export type { TextEncoding } from '../datasets.js';

export interface IngestRequest {
  /** The file to read (local path). */
  path: string;
  format: DataFormat;
  /** Validated rules (parseRules); the engine checks them against the file's columns. */
  rules?: RulesDocument | null;
  /** The dataset's existing schema: the file must have exactly these columns; types are coerced to it. */
  schema?: ColumnSchema[] | null;
  /** An empty scratch folder the engine may write to (its output files are written here). */
  workDir: string;
  /** The text encoding of a CSV or JSON Lines file (UTF-8 unless declared; Latin-1 is converted). */
  encoding?: TextEncoding;
  /** Records longer than this are quarantined as `parse.record_too_long` (default 1 MiB). */
  maxRecordBytes?: number;
  /**
   * false: with `schema` given, skip the profile (outcome.profile is empty) — for staged batches,
   * whose version is profiled as a whole when it is committed.
   */
  profile?: boolean;
}

/** An ingest of records already parsed (pushed JSON rows): no file, no parse errors. */
export interface RecordsIngestRequest extends Omit<IngestRequest, 'path' | 'format' | 'encoding' | 'maxRecordBytes'> {
  /**
   * JSON objects; a value is read as JSON Lines would read it (text as is, others as JSON text).
   * With `text`, only each record's keys are read here (the values are read from the text).
   */
  records: Array<Record<string, unknown>>;
  /**
   * The records as JSON Lines, one per line (JSON.stringify of each, or each pushed row's own
   * JSON text), when the caller has it already.
   */
  text?: string;
  /** What the records came from (e.g. the size and sha256 of the pushed body). */
  source: { bytes: number; sha256: string };
  /**
   * A scratch folder for the ingest's files. It need not exist: the engine makes it when it
   * writes there (a batch cleansed in a warm workspace writes nothing there: see
   * IngestOutcome.accepted.bytes).
   */
  workDir: string;
}

/**
 * Several batches of records for one dataset, cleansed in one pass (a schema is known, and the
 * rules are row-local: see rowLocalRules); each batch keeps its own lines, report and files.
 */
export interface RecordGroupsIngestRequest {
  rules: RulesDocument | null;
  schema: ColumnSchema[];
  groups: Array<Pick<RecordsIngestRequest, 'records' | 'text' | 'source' | 'workDir'>>;
  /**
   * Told each batch's outcome as soon as it is known (it may be before the other batches'); the
   * answer holds every outcome all the same. A batch told here is done even if the call fails.
   */
  onOutcome?: (group: number, outcome: IngestOutcome) => void;
}

export interface IngestOutcome {
  source: { bytes: number; sha256: string };
  schema: ColumnSchema[];
  profile: ColumnProfile[];
  report: IngestReport;
  /**
   * Accepted rows as typed Parquet (zstd; deterministic bytes for the same input). A records
   * ingest may answer the file's content in `bytes` instead (a pushed batch cleansed in a warm
   * workspace): then no file was written at `path`, nor its folder made.
   */
  accepted: { path: string; rows: number; bytes?: Uint8Array };
  /** Quarantined rows (line, rule, reason, raw values) as Parquet; null when there are none. */
  quarantine: { path: string; rows: number } | null;
}

/** A half-open filter on one column: `from <= column < to` (either end may be left out). */
export interface ColumnRangeFilter {
  column: string;
  /** A number, epoch ms or an ISO date/timestamp string for date and timestamp columns. */
  from?: number | string;
  to?: number | string;
}

export interface ReadColumnsOptions {
  where?: ColumnRangeFilter;
  /** Column(s) to sort by, ascending; file order otherwise. */
  orderBy?: string | string[];
  limit?: number;
}

/**
 * Columns read back, one array per column, all of `rowCount` length:
 * - integer, double → Float64Array (NaN for null);
 * - date, timestamp → Float64Array of epoch milliseconds UTC (NaN for null);
 * - boolean → (boolean | null)[];
 * - string → (string | null)[].
 */
export type ColumnData = Float64Array | Array<string | null> | Array<boolean | null>;

export interface ColumnBatch {
  rowCount: number;
  columns: Record<string, ColumnData>;
  types: Record<string, ColumnType>;
}

export interface QuarantinePageRequest {
  /** Rows with a line greater than this (0 or undefined for the first page). */
  afterLine?: number;
  limit: number;
  /** Only rows of this rule (`exact`) or of rules starting with `prefix` (e.g. 'temp_max.'). */
  rule?: { exact?: string; prefix?: string };
  /** Only these lines (e.g. the rows a person re-admits). */
  lines?: number[];
}

export interface DataEngine {
  /**
   * Read, cleanse, type and profile a file. File-level problems (empty, header only, not the
   * declared format, open quote at the end, columns not matching `schema`, rules that do not
   * fit) throw ValidationError and write nothing; record-level ones are quarantined.
   * Always: report.rows_read = report.accepted + report.quarantined.
   */
  ingest(request: IngestRequest): Promise<IngestOutcome>;

  /**
   * The same ingest for records already parsed: line = the record's position from 1. Keys not
   * in `schema` throw ValidationError (as a JSON Lines file with them would).
   */
  ingestRecords(request: RecordsIngestRequest): Promise<IngestOutcome>;

  /**
   * Ingest several batches of records at once, answering per batch exactly what ingestRecords
   * answers for it alone (without a profile). Throws unless the rules are row-local.
   */
  ingestRecordGroups(request: RecordGroupsIngestRequest): Promise<IngestOutcome[]>;

  /**
   * Write every row of Parquet files (a version's files) to one local file, Parquet (zstd) or
   * CSV with a header (dates as YYYY-MM-DD, timestamps ISO 8601); answers the row count.
   */
  exportRows(paths: string[], outPath: string, format: 'parquet' | 'csv'): Promise<number>;

  /**
   * Read `columns` of one or more Parquet files (the files of a version, or prediction log
   * segments with the same columns), optionally filtered and ordered.
   * @example
   *   const b = await engine.readColumns([path], ['date', 'temp_max', 'weather'],
   *     { where: { column: 'date', from: '2012-01-01', to: '2014-01-01' }, orderBy: 'date' });
   *   b.columns.temp_max // Float64Array; b.columns.date // Float64Array of epoch ms
   */
  readColumns(paths: string[], columns: string[], options?: ReadColumnsOptions): Promise<ColumnBatch>;

  /**
   * The same columns streamed in batches of at most `batchRows` rows, in file order, so a large
   * version is never in memory at once (the row index of a batch's first row is the sum of the
   * batches before it). Stopping early (a `break`) ends the read.
   * @example for await (const b of engine.readColumnBatches(paths, ['temp_max'], 4096)) use(b.columns.temp_max)
   */
  readColumnBatches(paths: string[], columns: string[], batchRows: number): AsyncIterable<ColumnBatch>;

  /**
   * Run read-only SQL over Parquet files, which it sees as the view `data` (all `paths`
   * unioned by column name). Values are bound: `$1`, `$2`… are `params`. Rows come back as
   * JSON values (BIGINT as string, DOUBLE as number, DATE as 'YYYY-MM-DD').
   * @example await engine.query('SELECT weather, count(*) AS n FROM data WHERE temp_max > $1 GROUP BY 1', [20], [path])
   */
  query(
    sql: string,
    params: Array<string | number | boolean | null>,
    paths: string[],
    /** More named views, each over its own Parquet files (e.g. `{ a: fromFiles, b: toFiles }` for a diff). */
    views?: Record<string, string[]>,
  ): Promise<Array<Record<string, unknown>>>;

  /** Profiles of the typed Parquet files `paths` (a version's files) with `schema`'s columns. */
  profile(paths: string[], schema: ColumnSchema[], workDir: string): Promise<ColumnProfile[]>;

  /**
   * Concatenate quarantine files into one at `outPath`, adding each part's `lineOffset` to its
   * lines (so lines stay unique and ordered across parts).
   */
  mergeQuarantine(parts: Array<{ path: string; lineOffset: number }>, outPath: string): Promise<{ path: string; rows: number }>;

  /** One page of a quarantine file, by line. */
  readQuarantine(path: string, page: QuarantinePageRequest): Promise<QuarantineRow[]>;

  close(): Promise<void>;
}
