// Load a source file into the staging table `fw_records`: one row per record the parser
// delimits, in file order, with every column as raw text, its ordinal (__fw_o), its line in the
// file (__fw_line) and, for records the parser could not split, the parse rule, reason and raw
// text. CSV uses read_csv's reject tables, JSON Lines reads one line per row and parses it in
// SQL, Parquet is read as is.
import { STRUCT, VARCHAR, structValue } from '@duckdb/node-api';
import type { ColumnType, DataFormat } from '../../domain/datasets.js';
import { ValidationError } from '../../domain/errors.js';
import { columnTypeOf, duckMessage, ident, Params, type DuckSession } from './duckdb-session.js';
import { SQL_TYPE } from './typed-sql.js';
import { schemaMismatch } from './schema-match.js';
import { checkColumnNames, readCsvHeader, type LineBreakpoint, type SourceScan } from './source-scan.js';

export interface StagedSource {
  /** Column names in file order. */
  columns: string[];
  /** Parquet only: the types the file declares. */
  declaredTypes?: Record<string, ColumnType>;
  /** fw_records is a table in record order (__fw_o rising), as staged records are. */
  ordered?: boolean;
  /** Staged records: the rows of each group (pushed batch), in order. */
  groupRows?: number[];
  /** Parquet only: per non-string column, how to read it at the type `declaredTypes` says. */
  native?: Record<string, NativeColumn>;
}

/**
 * A typed file's column as the checks read it (rule-sql.ts): its value at its own type, whether
 * the file holds a value at all, and its text, built from the file's value only where a reason
 * shows it (fw_records' text column would be built for every row).
 */
export interface NativeColumn {
  /** The value as the Flywheel type (NULL when absent or out of that type's range). */
  value: string;
  /** The file's own value, untouched. */
  raw: string;
  /** True when the file holds a value. */
  present: string;
  /** The value as text, as fw_records shows it. */
  text: string;
}

/** A typed file's value as the text fw_records holds for it. */
function textOf(type: ColumnType, col: string): string {
  return type === 'timestamp' ? `strftime(CAST(${col} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')` : `CAST(${col} AS VARCHAR)`;
}

const PARSE_RULE = `CASE WHEN error_type = 'LINE SIZE OVER MAXIMUM' THEN 'parse.record_too_long' ELSE 'parse.' || lower(replace(error_type, ' ', '_')) END`;

/** Longest record (one CSV record or JSON line) accepted unless the caller sets another limit: 1 MiB. */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

export interface StageOptions {
  /** Records longer than this many bytes are quarantined as `parse.record_too_long`. */
  maxRecordBytes?: number;
}

/**
 * The limit as SQL text: read_csv ignores a bound max_line_size, so the number (from configuration,
 * never from a request) is checked to be a positive integer and written into the statement.
 */
function lineLimit(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 1024) throw new Error(`the record size limit must be an integer of at least 1024 bytes, got ${limit}`);
  return String(limit);
}

/** The readable reason of a record over the limit (DuckDB keeps the first 10,000 characters of it as raw). */
function tooLongReason(limit: number): string {
  return `'the record is longer than ${lineLimit(limit)} bytes (the configured limit for one record)'`;
}

function unreadable(format: DataFormat, error: unknown): ValidationError {
  return new ValidationError(`the file could not be read as ${format === 'jsonl' ? 'JSON Lines' : format.toUpperCase()}: ${duckMessage(error)}`, {
    field: 'file',
    format,
  });
}

/**
 * Rejected records, one per line (DuckDB may report several errors for one record; errors of the
 * whole line, such as its size, have no column and come first).
 */
async function collectRejects(session: DuckSession): Promise<void> {
  await session.run(`CREATE TABLE fw_rej AS
    SELECT line AS d, arg_min(error_type, coalesce(column_idx, -1)) AS error_type, arg_min(error_message, coalesce(column_idx, -1)) AS error_message,
           any_value(csv_line) AS csv_line
    FROM reject_errors GROUP BY line`);
}

/**
 * Number accepted rows by ordinal: rejected ordinals are holes, and the k-th accepted row takes
 * the k-th ordinal that is not a hole (`fw_gap` maps "accepted rows before this hole" to holes so far).
 */
async function ordinalsAround(session: DuckSession, rawTable: string, rejTable: string, rejected: number): Promise<void> {
  if (rejected === 0) {
    await session.run(`CREATE VIEW fw_acc AS SELECT rowid + 1 AS o, * FROM ${rawTable}`);
    return;
  }
  await session.run(`CREATE TABLE fw_gap AS
    SELECT a, max(i) AS i FROM (SELECT o - row_number() OVER (ORDER BY o) AS a, row_number() OVER (ORDER BY o) AS i FROM ${rejTable}) GROUP BY a`);
  await session.run(`CREATE TABLE fw_acc AS
    SELECT x.k + coalesce(g.i, 0) AS o, x.* EXCLUDE (k)
    FROM (SELECT rowid + 1 AS k, * FROM ${rawTable}) x ASOF LEFT JOIN fw_gap g ON x.k > g.a`);
}

async function loadBreakpoints(session: DuckSession, points: LineBreakpoint[]): Promise<void> {
  await session.run('CREATE TABLE fw_bp (o BIGINT, d BIGINT, p BIGINT)');
  const appender = await session.connection.createAppender('fw_bp');
  for (const bp of points) {
    appender.appendBigInt(BigInt(bp.o));
    appender.appendBigInt(BigInt(bp.d));
    appender.appendBigInt(BigInt(bp.p));
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

async function stageCsv(session: DuckSession, path: string, header: string[], scanning: Promise<SourceScan>, maxRecordBytes: number): Promise<StagedSource> {
  const columns = header;
  const struct = Object.fromEntries(columns.map((c) => [c, 'VARCHAR']));
  const structType = STRUCT(Object.fromEntries(columns.map((c) => [c, VARCHAR])));
  try {
    await session.run(
      `CREATE TABLE fw_raw AS SELECT * FROM read_csv($1, columns = $2, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
         store_rejects = true, null_padding = false, max_line_size = ${lineLimit(maxRecordBytes)})`,
      [path, structValue(struct)],
      [VARCHAR, structType],
    );
  } catch (error) {
    throw unreadable('csv', error);
  }
  await collectRejects(session);
  // The line map comes from the scan, which reads the file alongside DuckDB.
  const scan = await scanning;
  const [{ parsed, rejected }] = await session.rows<{ parsed: string; rejected: string }>(
    'SELECT (SELECT count(*) FROM fw_raw) AS parsed, (SELECT count(*) FROM fw_rej) AS rejected',
  );
  // Our scan and DuckDB agree on the records in every file we know; if one day they do not,
  // fall back to DuckDB's own numbering rather than showing shifted lines.
  const agree = Number(parsed) + Number(rejected) === scan.records;
  const points = agree ? scan.breakpoints! : [{ o: 1, d: 2, p: 2 }];
  // One breakpoint (no quoted newlines, no blank lines: nearly every file) is a constant shift.
  // The shifts are integers computed here, never input, so they are written into the SQL.
  const simple = points.length === 1;
  const [b0] = points;
  if (!simple) await loadBreakpoints(session, points);
  await session.run(
    simple
      ? `CREATE TABLE fw_rej_o AS SELECT *, d + (${b0.o - b0.d}) AS o FROM fw_rej`
      : 'CREATE TABLE fw_rej_o AS SELECT r.*, r.d - m.d + m.o AS o FROM fw_rej r ASOF JOIN fw_bp m ON r.d >= m.d',
  );
  await ordinalsAround(session, 'fw_raw', 'fw_rej_o', Number(rejected));
  const cols = columns.map(ident).join(', ');
  const parsedRows = `SELECT o, NULL::VARCHAR AS __fw_parse_rule, NULL::VARCHAR AS __fw_parse_reason, NULL::VARCHAR AS __fw_raw, ${cols} FROM fw_acc`;
  const rejectedRows = `SELECT o, ${PARSE_RULE} AS __fw_parse_rule,
        CASE WHEN error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')
             THEN printf('the record has %s fields; the header has ${columns.length}', coalesce(regexp_extract(error_message, 'Found: ([0-9]+)', 1), '?'))
             WHEN error_type = 'LINE SIZE OVER MAXIMUM' THEN ${tooLongReason(maxRecordBytes)}
             ELSE error_message END AS __fw_parse_reason,
        rtrim(csv_line, E'\\r\\n') AS __fw_raw
      FROM fw_rej_o`;
  const all = Number(rejected) === 0 ? parsedRows : `${parsedRows} UNION ALL BY NAME ${rejectedRows}`;
  if (simple) {
    // Without rejects this is a view: no copy of the data.
    await session.run(`CREATE ${Number(rejected) === 0 ? 'VIEW' : 'TABLE'} fw_records AS
      SELECT u.o AS __fw_o, u.o + (${b0.p - b0.o}) AS __fw_line, u.* EXCLUDE (o) FROM (${all}) u`);
  } else {
    await session.run(`CREATE TABLE fw_records AS
      SELECT u.o AS __fw_o, u.o - m.o + m.p AS __fw_line, u.* EXCLUDE (o) FROM (${all}) u ASOF JOIN fw_bp m ON u.o >= m.o`);
  }
  return { columns };
}

/**
 * A string literal for a view's definition (views cannot hold bound parameters); the path is
 * the engine's own scratch or artifact path, never request text, and is quoted all the same.
 */
function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** JSON pointer of a top-level key ('/' and '~' escaped), for json_extract_string. */
function pointer(key: string): string {
  return '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
}

async function stageJsonl(session: DuckSession, path: string, knownColumns: string[] | undefined, maxRecordBytes: number): Promise<StagedSource> {
  try {
    // One row per physical line (a blank line reads as NULL): \x01 cannot occur in valid JSON text.
    await session.run(
      `CREATE TABLE fw_lines AS SELECT * FROM read_csv($1, columns = {'j': 'VARCHAR'}, header = false, auto_detect = false,
         delim = E'\\x01', quote = '', escape = '', store_rejects = true, strict_mode = false, max_line_size = ${lineLimit(maxRecordBytes)})`,
      [path],
    );
  } catch (error) {
    throw unreadable('jsonl', error);
  }
  await collectRejects(session);
  await session.run('CREATE TABLE fw_rej_o AS SELECT *, d AS o FROM fw_rej');
  const [{ rejected }] = await session.rows<{ rejected: string }>('SELECT count(*) AS rejected FROM fw_rej_o');
  await ordinalsAround(session, 'fw_lines', 'fw_rej_o', Number(rejected));
  // CASE guards every JSON function: json_type and json_keys fail on text that is not JSON.
  await session.run(`CREATE TABLE fw_jl AS
    SELECT o, j, valid, ok, CASE WHEN ok THEN j END AS js FROM (
      SELECT o, j, valid, CASE WHEN valid THEN json_type(j) = 'OBJECT' ELSE false END AS ok FROM (
        SELECT o, j, json_valid(j) AS valid FROM fw_acc WHERE j IS NOT NULL AND NOT regexp_full_match(j, '\\s*')))`);
  const [first] = await session.rows<{ o: string; ok: boolean }>('SELECT o, ok FROM fw_jl ORDER BY o LIMIT 1');
  if (first && !first.ok) {
    throw new ValidationError(`the file is not JSON Lines: line ${first.o} is not a JSON object (each line must be one {...} record)`, {
      field: 'file',
      line: Number(first.o),
    });
  }
  let columns: string[];
  if (!knownColumns) {
    const keys = await session.rows<{ key: string }>(`SELECT key FROM (
        SELECT o, unnest(json_keys(js)) AS key, generate_subscripts(json_keys(js), 1) AS pos FROM fw_jl WHERE ok
      ) GROUP BY key ORDER BY min(o), arg_min(pos, o), key LIMIT 4097`);
    columns = keys.map((k) => k.key);
  } else {
    // Records may leave out a key of the schema (its value is null), but may not add new ones.
    const keys = await session.rows<{ key: string }>('SELECT DISTINCT unnest(json_keys(js)) AS key FROM fw_jl WHERE ok ORDER BY key LIMIT 4097');
    const unexpected = keys.map((k) => k.key).filter((k) => !knownColumns.includes(k));
    if (unexpected.length > 0) throw schemaMismatch([], unexpected);
    columns = knownColumns;
  }
  if (columns.length === 0) throw new ValidationError('the file has no JSON records with any keys', { field: 'file' });
  checkColumnNames(columns);
  const p = new Params();
  const extracts = columns.map((c) => `json_extract_string(js, ${p.add(pointer(c), VARCHAR)}) AS ${ident(c)}`).join(',\n      ');
  await session.run(
    `CREATE TABLE fw_records AS
      SELECT o AS __fw_o, o AS __fw_line,
        CASE WHEN ok THEN NULL WHEN valid THEN 'parse.not_an_object' ELSE 'parse.invalid_json' END AS __fw_parse_rule,
        CASE WHEN ok THEN NULL WHEN valid THEN 'the line is JSON but not an object' ELSE 'the line is not valid JSON' END AS __fw_parse_reason,
        CASE WHEN ok THEN NULL ELSE j END AS __fw_raw,
        ${extracts}
      FROM fw_jl
      UNION ALL BY NAME
      SELECT o AS __fw_o, o AS __fw_line,
        CASE WHEN error_type = 'TOO MANY COLUMNS' THEN 'parse.invalid_json' ELSE ${PARSE_RULE} END AS __fw_parse_rule,
        CASE WHEN error_type = 'TOO MANY COLUMNS' THEN 'the line is not valid JSON (it holds a control character)'
             WHEN error_type = 'LINE SIZE OVER MAXIMUM' THEN ${tooLongReason(maxRecordBytes)}
             ELSE error_message END AS __fw_parse_reason,
        csv_line AS __fw_raw
      FROM fw_rej_o`,
    p.values,
    p.types,
  );
  return { columns };
}

async function stageParquet(session: DuckSession, path: string): Promise<StagedSource> {
  let described: Awaited<ReturnType<DuckSession['describe']>>;
  try {
    described = await session.describe('SELECT * FROM read_parquet($1)', [path], [VARCHAR]);
    // A view, not a copy: the checks read the file once, column by column, as they need it. A
    // file with its own `file_row_number` column is copied instead, and numbered by rowid.
    if (described.some((d) => d.name === 'file_row_number')) {
      await session.run('CREATE TABLE fw_pq_t AS SELECT * FROM read_parquet($1)', [path], [VARCHAR]);
      await session.run('CREATE VIEW fw_pq AS SELECT rowid AS __fw_row, * FROM fw_pq_t');
    } else {
      await session.run(`CREATE VIEW fw_pq AS SELECT file_row_number AS __fw_row, * EXCLUDE (file_row_number) FROM read_parquet(${quoteLiteral(path)}, file_row_number = true)`);
    }
  } catch (error) {
    throw unreadable('parquet', error);
  }
  const columns = described.map((d) => d.name);
  checkColumnNames(columns);
  const [{ n }] = await session.rows<{ n: string }>('SELECT count(*) AS n FROM fw_pq');
  if (Number(n) === 0) throw new ValidationError('the Parquet file has no records', { field: 'file', columns });
  const declaredTypes = Object.fromEntries(described.map((d) => [d.name, columnTypeOf(d.type)]));
  const cols = columns.map((c) => `${textOf(declaredTypes[c], ident(c))} AS ${ident(c)}`).join(', ');
  // Beside the text of each column, its value as the file types it (__fw_v<i>) and the file's
  // own value (__fw_r<i>): a column kept at its own type is checked and stored from those,
  // without a round trip through text. Strings are read as text, as from any other file.
  const typed = columns.map((c, i) => [c, i] as const).filter(([c]) => declaredTypes[c] !== 'string');
  const natives = typed.map(([c, i]) => `${nativeExpr(declaredTypes[c], ident(c))} AS __fw_v${i}, ${ident(c)} AS __fw_r${i}`);
  await session.run(`CREATE VIEW fw_records AS
    SELECT __fw_row + 1 AS __fw_o, __fw_row + 1 AS __fw_line, NULL::VARCHAR AS __fw_parse_rule, NULL::VARCHAR AS __fw_parse_reason,
           NULL::VARCHAR AS __fw_raw, ${[cols, ...natives].join(', ')}
    FROM fw_pq`);
  const native = Object.fromEntries(
    typed.map(([c, i]): [string, NativeColumn] => [c, { value: `__fw_v${i}`, raw: `__fw_r${i}`, present: `(__fw_r${i} IS NOT NULL)`, text: textOf(declaredTypes[c], `__fw_r${i}`) }]),
  );
  return { columns, declaredTypes, native };
}

/** A Parquet column as its Flywheel type, with the same limits the text path has (finite numbers, int64). */
function nativeExpr(type: ColumnType, col: string): string {
  if (type === 'double') return `(CASE WHEN isfinite(TRY_CAST(${col} AS DOUBLE)) THEN TRY_CAST(${col} AS DOUBLE) END)`;
  return `TRY_CAST(${col} AS ${SQL_TYPE[type]})`;
}

/**
 * Stage `path` into `fw_records`; `knownColumns` (an existing schema's) guides JSON Lines. The
 * scan runs alongside: DuckDB reads the file while it is hashed and checked, and a file-level
 * problem the scan finds wins over whatever DuckDB made of the same file.
 */
export async function stageSource(
  session: DuckSession,
  format: DataFormat,
  path: string,
  scanning: Promise<SourceScan>,
  knownColumns?: string[],
  options: StageOptions = {},
): Promise<{ staged: StagedSource; scan: SourceScan }> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const scanned = scanning.then(
    (scan) => ({ scan, error: undefined }),
    (error: unknown) => ({ scan: undefined, error }),
  );
  const fileProblem = async (): Promise<never> => {
    const { error } = await scanned;
    throw error;
  };
  try {
    let staged: StagedSource;
    if (format === 'csv') {
      const header = await readCsvHeader(path);
      if (!header) return await fileProblem();
      checkColumnNames(header);
      staged = await stageCsv(session, path, header, scanning, maxRecordBytes);
    } else if (format === 'jsonl') staged = await stageJsonl(session, path, knownColumns, maxRecordBytes);
    else staged = await stageParquet(session, path);
    const { scan, error } = await scanned;
    if (error) throw error;
    return { staged, scan: scan! };
  } catch (error) {
    const { error: scanError } = await scanned;
    throw scanError ?? error;
  }
}
