// Read columns of Parquet files into typed arrays, chunk by chunk (no per-row objects):
// numbers and times as Float64Array (times in epoch ms, NaN for null), strings and booleans
// as arrays with nulls — all at once, or streamed in batches of a bounded number of rows.
import { LIST, VARCHAR, listValue, type DuckDBDataChunk } from '@duckdb/node-api';
import type { ColumnType } from '../../domain/datasets.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { ColumnBatch, ColumnData, ReadColumnsOptions } from '../../domain/ports/data-engine.js';
import { columnTypeOf, duckMessage, ident, Params, type DuckSession } from './duckdb-session.js';
import { boundAs } from './typed-sql.js';

const FLOAT: ReadonlySet<ColumnType> = new Set(['integer', 'double', 'date', 'timestamp']);

/** `read_parquet` of bound paths (unioned by column name). */
export function parquetSource(p: Params, paths: string[]): string {
  if (paths.length === 0) throw new ValidationError('no Parquet files to read', { field: 'paths' });
  return `read_parquet(${p.add(listValue(paths), LIST(VARCHAR))}, union_by_name = true)`;
}

/** The Flywheel types of the columns of `paths`. */
export async function parquetTypes(session: DuckSession, paths: string[]): Promise<Map<string, ColumnType>> {
  const p = new Params();
  try {
    const described = await session.describe(`SELECT * FROM ${parquetSource(p, paths)}`, p.values, p.types);
    return new Map(described.map((d) => [d.name, columnTypeOf(d.type)]));
  } catch (error) {
    throw new ValidationError(`the Parquet files could not be read: ${duckMessage(error)}`, { field: 'paths' });
  }
}

function outExpr(type: ColumnType, col: string): string {
  if (type === 'integer' || type === 'double') return `CAST(${col} AS DOUBLE)`;
  if (type === 'date' || type === 'timestamp') return `CAST(epoch_ms(CAST(${col} AS TIMESTAMP)) AS DOUBLE)`;
  if (type === 'boolean') return col;
  return `CAST(${col} AS VARCHAR)`;
}

function bound(type: ColumnType, p: Params, v: number | string): string {
  if ((type === 'date' || type === 'timestamp') && typeof v === 'number') return `make_timestamp_ms(CAST(${p.add(v)} AS BIGINT))`;
  if (type === 'date' && typeof v === 'string') return `CAST(${p.add(v)} AS DATE)`;
  return boundAs(type, p.add(v));
}

interface Wanted {
  name: string;
  type: ColumnType;
}

/** The SELECT of `columns` (typed for reading back), with its bound values. */
async function columnQuery(session: DuckSession, paths: string[], columns: string[], options: ReadColumnsOptions): Promise<{ sql: string; p: Params; wanted: Wanted[] }> {
  const types = await parquetTypes(session, paths);
  const typeOf = (name: string, field: string): ColumnType => {
    const t = types.get(name);
    if (!t) throw new NotFoundError('column', name, { field, columns: [...types.keys()] });
    return t;
  };
  const wanted = columns.map((c) => ({ name: c, type: typeOf(c, 'columns') }));
  const p = new Params();
  const from = parquetSource(p, paths);
  const where: string[] = [];
  if (options.where) {
    const w = options.where;
    const t = typeOf(w.column, 'where.column');
    const col = t === 'date' ? `CAST(${ident(w.column)} AS TIMESTAMP)` : ident(w.column);
    if (w.from !== undefined) where.push(`${col} >= ${bound(t === 'date' ? 'timestamp' : t, p, w.from)}`);
    if (w.to !== undefined) where.push(`${col} < ${bound(t === 'date' ? 'timestamp' : t, p, w.to)}`);
  }
  const order = options.orderBy === undefined ? [] : Array.isArray(options.orderBy) ? options.orderBy : [options.orderBy];
  for (const o of order) typeOf(o, 'orderBy');
  const limit = options.limit !== undefined ? ` LIMIT ${p.add(Math.max(0, Math.floor(options.limit)))}` : '';
  const select = wanted.length ? wanted.map((c, i) => `${outExpr(c.type, ident(c.name))} AS c${i}`).join(', ') : '1 AS __fw_none';
  const sql = `SELECT ${select} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${
    order.length ? ` ORDER BY ${order.map(ident).join(', ')}` : ''
  }${limit}`;
  return { sql, p, wanted };
}

/** One DuckDB chunk's columns as typed parts. */
function chunkParts(chunk: DuckDBDataChunk, wanted: Wanted[]): unknown[] {
  const n = chunk.rowCount;
  return wanted.map((c, i) => {
    const vector = chunk.getColumnVector(i);
    if (FLOAT.has(c.type)) {
      const arr = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const v = vector.getItem(r);
        arr[r] = v === null ? NaN : (v as number);
      }
      return arr;
    }
    const arr = new Array<unknown>(n);
    for (let r = 0; r < n; r++) {
      const v = vector.getItem(r);
      arr[r] = v === null ? null : c.type === 'boolean' ? Boolean(v) : String(v);
    }
    return arr;
  });
}

/** Parts of each column joined into one batch of `rowCount` rows. */
function joined(parts: unknown[][], wanted: Wanted[], rowCount: number): ColumnBatch {
  const out: Record<string, ColumnData> = {};
  wanted.forEach((c, i) => {
    if (FLOAT.has(c.type)) {
      const all = new Float64Array(rowCount);
      let at = 0;
      for (const part of parts[i] as Float64Array[]) {
        all.set(part, at);
        at += part.length;
      }
      out[c.name] = all;
    } else {
      out[c.name] = (parts[i] as unknown[][]).flat() as ColumnData;
    }
  });
  return { rowCount, columns: out, types: Object.fromEntries(wanted.map((c) => [c.name, c.type])) };
}

export async function readColumns(session: DuckSession, paths: string[], columns: string[], options: ReadColumnsOptions = {}): Promise<ColumnBatch> {
  const { sql, p, wanted } = await columnQuery(session, paths, columns, options);
  const result = await session.connection.stream(sql, p.values, p.types as never);
  const parts: unknown[][] = wanted.map(() => []);
  let rowCount = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    chunkParts(chunk, wanted).forEach((part, i) => parts[i].push(part));
    rowCount += chunk.rowCount;
  }
  return joined(parts, wanted, rowCount);
}

/**
 * The same columns streamed in batches of at most `batchRows` rows (the last one shorter), in
 * file order: only one batch (and DuckDB's current chunk) is in memory at a time.
 */
export async function* readColumnBatches(session: DuckSession, paths: string[], columns: string[], batchRows: number): AsyncGenerator<ColumnBatch> {
  if (!Number.isInteger(batchRows) || batchRows < 1) throw new ValidationError('batchRows must be a positive integer', { field: 'batchRows' });
  const { sql, p, wanted } = await columnQuery(session, paths, columns, {});
  const result = await session.connection.stream(sql, p.values, p.types as never);
  let parts: unknown[][] = wanted.map(() => []);
  let rowCount = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const typed = chunkParts(chunk, wanted);
    // A chunk may cross a batch's end: its rows are cut there.
    for (let from = 0; from < chunk.rowCount; ) {
      const take = Math.min(batchRows - rowCount, chunk.rowCount - from);
      typed.forEach((part, i) => parts[i].push(from === 0 && take === chunk.rowCount ? part : (part as Float64Array | unknown[]).slice(from, from + take)));
      rowCount += take;
      from += take;
      if (rowCount === batchRows) {
        yield joined(parts, wanted, rowCount);
        parts = wanted.map(() => []);
        rowCount = 0;
      }
    }
  }
  if (rowCount > 0) yield joined(parts, wanted, rowCount);
}
