// Load parsed records into the staging table `fw_records` through DuckDB's appender: every
// column as text exactly as json_extract_string reads the same JSON (strings as they are,
// numbers and booleans as JSON text, objects and arrays as JSON, null as NULL), __fw_o and
// __fw_line the record's position from 1, and no parse problems (the records are JSON already).
import { ValidationError } from '../../domain/errors.js';
import { ident, type DuckSession } from './duckdb-session.js';
import { schemaMismatch } from './schema-match.js';
import { checkColumnNames } from './source-scan.js';
import type { StagedSource } from './stage-source.js';

/** A JSON value as text, as json_extract_string answers it. */
function textOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Keys in order of first appearance (the order a JSON Lines file of the records gives). */
function keysOf(records: Array<Record<string, unknown>>): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

export async function stageRecords(session: DuckSession, records: Array<Record<string, unknown>>, knownColumns?: string[]): Promise<StagedSource> {
  const keys = keysOf(records);
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
  const defs = columns.map((c) => `${ident(c)} VARCHAR`).join(', ');
  await session.run(`CREATE TABLE fw_records (__fw_o BIGINT, __fw_line BIGINT, __fw_parse_rule VARCHAR, __fw_parse_reason VARCHAR, __fw_raw VARCHAR, ${defs})`);
  const appender = await session.connection.createAppender('fw_records');
  try {
    records.forEach((r, i) => {
      appender.appendBigInt(BigInt(i + 1));
      appender.appendBigInt(BigInt(i + 1));
      appender.appendNull();
      appender.appendNull();
      appender.appendNull();
      for (const c of columns) {
        const t = textOf(r[c]);
        if (t === null) appender.appendNull();
        else appender.appendVarchar(t);
      }
      appender.endRow();
    });
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return { columns };
}
