// Load parsed records into the staging table `fw_records`: DuckDB reads each record's JSON text
// (one bound string per group of records, split into lines) and extracts every column as text
// with json_extract_string, exactly as it reads a JSON Lines file of the same records (strings as
// they are, numbers and booleans as JSON text, objects and arrays as JSON, null as NULL). __fw_o
// is the record's position from 1 across groups, __fw_line its position from 1 in its group (one
// group per pushed batch), and there are no parse problems (the records are JSON already).
import { BIGINT, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { ValidationError } from '../../domain/errors.js';
import { ident, Params, type DuckSession } from './duckdb-session.js';
import { schemaMismatch } from './schema-match.js';
import { checkColumnNames } from './source-scan.js';
import type { StagedSource } from './stage-source.js';

/** Keys in order of first appearance (the order a JSON Lines file of the records gives). */
function keysOf(groups: Array<Array<Record<string, unknown>>>): string[] {
  const seen = new Set<string>();
  for (const records of groups) for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/** A key as a JSON pointer ('/a~1b' for 'a/b'): any key, no path syntax to escape. */
const pointer = (key: string) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

export interface RecordGroup {
  records: Array<Record<string, unknown>>;
  /** The records as JSON Lines, when the caller has the text already (else it is made here). */
  text?: string;
}

export async function stageRecords(session: DuckSession, groups: RecordGroup[], knownColumns?: string[]): Promise<StagedSource> {
  const keys = keysOf(groups.map((g) => g.records));
  let columns: string[];
  if (knownColumns) {
    const unexpected = keys.filter((k) => !knownColumns.includes(k)).sort();
    if (unexpected.length > 0) throw schemaMismatch([], unexpected);
    columns = knownColumns;
  } else {
    columns = keys;
  }
  if (columns.length === 0) throw new ValidationError('the records have no keys', { field: 'file' });
  checkColumnNames(columns);
  const p = new Params();
  const paths = p.add(listValue(columns.map(pointer)), LIST(VARCHAR));
  const values = columns.map((c, k) => `v[${k + 1}] AS ${ident(c)}`).join(', ');
  let before = 0;
  const parts = groups.map((g) => {
    const text = (g.text ?? g.records.map((r) => JSON.stringify(r)).join('\n')).replace(/\n$/, '');
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
