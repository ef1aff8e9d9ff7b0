// Load parsed records into the staging table `fw_records`: DuckDB reads each record's JSON text
// (one bound string per group of records, split into lines) and extracts every column as text
// with json_extract_string, exactly as it reads a JSON Lines file of the same records (strings as
// they are, numbers and booleans as JSON text, objects and arrays as JSON, null as NULL). __fw_o
// is the record's position from 1 across groups, __fw_line its position from 1 in its group (one
// group per pushed batch), and there are no parse problems (the records are JSON already). With
// the records' text given, only their keys are read from the records (a scanned push body's rows
// are key-only objects, one per distinct set of keys: push-body.ts).
import { BIGINT, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { ValidationError } from '../../domain/errors.js';
import { ident, Params, type DuckSession } from './duckdb-session.js';
import { schemaMismatch } from './schema-match.js';
import { checkColumnNames } from './source-scan.js';
import type { StagedSource } from './stage-source.js';

/**
 * Call `use` with the keys of each record, once for a run of the same object (a scanned push
 * body's rows with the same keys share one object: push-body.ts).
 */
function eachKeys(groups: Array<Array<Record<string, unknown>>>, use: (keys: string[]) => void): void {
  let previous: Record<string, unknown> | undefined;
  for (const records of groups) {
    for (const r of records) {
      if (r === previous) continue;
      previous = r;
      use(Object.keys(r));
    }
  }
}

/** Keys in order of first appearance (the order a JSON Lines file of the records gives). */
function keysOf(groups: Array<Array<Record<string, unknown>>>): string[] {
  const seen = new Set<string>();
  eachKeys(groups, (keys) => keys.forEach((k) => seen.add(k)));
  return [...seen];
}

/** A key as a JSON pointer ('/a~1b' for 'a/b'): any key, no path syntax to escape. */
const pointer = (key: string) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

export interface RecordGroup {
  records: Array<Record<string, unknown>>;
  /** The records as JSON Lines, when the caller has the text already (else it is made here). */
  text?: string;
}

/**
 * The staged columns of records: `knownColumns` (a key outside them throws, as a JSON Lines file
 * with it would), else the records' keys in order of first appearance.
 */
export function recordColumns(groups: Array<Array<Record<string, unknown>>>, knownColumns?: string[]): string[] {
  let columns: string[];
  if (knownColumns) {
    const known = new Set(knownColumns);
    const unexpected = new Set<string>();
    eachKeys(groups, (keys) => keys.forEach((k) => known.has(k) || unexpected.add(k)));
    if (unexpected.size > 0) throw schemaMismatch([], [...unexpected].sort());
    columns = knownColumns;
  } else {
    columns = keysOf(groups);
  }
  if (columns.length === 0) throw new ValidationError('the records have no keys', { field: 'file' });
  checkColumnNames(columns);
  return columns;
}

/** One group's JSON Lines text, without its final line break. */
export function recordsText(group: RecordGroup): string {
  const text = group.text ?? group.records.map((r) => JSON.stringify(r)).join('\n');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** The staged columns from the extracted values `v` (a list in column order). */
const valueColumns = (columns: string[]) => columns.map((c, k) => `v[${k + 1}] AS ${ident(c)}`).join(', ');

/** The variable holding the JSON pointers of recordsSelectSql's columns (bound with recordPointers). */
export const RECORD_POINTERS_VARIABLE = 'fw_record_pointers';

/** The JSON pointers of the columns, for RECORD_POINTERS_VARIABLE. */
export function recordPointers(columns: string[]): string[] {
  return columns.map(pointer);
}

/**
 * The query of fw_records' rows (as stageRecords stages one group) from the JSON Lines text bound
 * as `$fw_text`, for a statement prepared once per schema (push-workspace.ts): the JSON pointers
 * come from the connection's variable RECORD_POINTERS_VARIABLE (a constant when the statement is
 * planned), the text is its only parameter.
 */
export function recordsSelectSql(columns: string[]): string {
  return `SELECT i AS __fw_o, i AS __fw_line, NULL::VARCHAR AS __fw_parse_rule, NULL::VARCHAR AS __fw_parse_reason, NULL::VARCHAR AS __fw_raw, ${valueColumns(columns)}
    FROM (SELECT i, json_extract_string(l, getvariable('${RECORD_POINTERS_VARIABLE}')) AS v
      FROM (SELECT unnest(s) AS l, generate_subscripts(s, 1) AS i FROM (SELECT string_split($fw_text, chr(10)) AS s)))`;
}

export async function stageRecords(session: DuckSession, groups: RecordGroup[], knownColumns?: string[]): Promise<StagedSource> {
  const columns = recordColumns(
    groups.map((g) => g.records),
    knownColumns,
  );
  const p = new Params();
  const paths = p.add(listValue(recordPointers(columns)), LIST(VARCHAR));
  const values = valueColumns(columns);
  let before = 0;
  const parts = groups.map((g) => {
    const text = recordsText(g);
    const part = `SELECT ${p.add(before, BIGINT)} + i AS __fw_o, i AS __fw_line, json_extract_string(l[i], ${paths}) AS v
      FROM (SELECT string_split(${p.add(text, VARCHAR)}, chr(10)) AS l), range(1, len(l) + 1) t(i)`;
    before += g.records.length;
    return part;
  });
  await session.run(
    `CREATE TABLE fw_records AS
      SELECT __fw_o, __fw_line, NULL::VARCHAR AS __fw_parse_rule, NULL::VARCHAR AS __fw_parse_reason, NULL::VARCHAR AS __fw_raw, ${values}
      FROM (${parts.join(' UNION ALL ')}) ORDER BY __fw_o`,
    p.values,
    p.types,
  );
  return { columns, ordered: true, groupRows: groups.map((g) => g.records.length) };
}
