// Run a source's SQL against PostgreSQL, read-only and bounded, writing the rows as JSON Lines.
// The statement runs inside a READ ONLY transaction with a statement timeout, through a cursor
// (rows are fetched in batches, never all in memory) declared with the extended protocol, which
// refuses a second statement smuggled after the first. More rows than the cap fail the pull.
// It connects only where the source network policy allows (postgres-address.ts): the host is
// resolved and checked before any byte is sent, and the connection is pinned to that address.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import pg from 'pg';
import { redactUrl } from '../../domain/dataset-sources.js';
import { AppError, ValidationError } from '../../domain/errors.js';
import type { PostgresQueryRequest, PostgresQueryResult, SourceNetworks } from '../../domain/ports/source-reader.js';
import { RefusedAddressError } from './address-policy.js';
import { pullError } from './http-download.js';
import { allowedAddress, pinnedSocket, systemLookup, type LookupAll, type Pin } from './postgres-address.js';
import { scrub, secretsOf } from './scrub.js';

const FETCH_ROWS = 1000;
const CURSOR = 'flywheel_source_pull';

/** Type parsers for this client only: int8 and numeric as numbers, date and timestamp as their text. */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => (Number.isSafeInteger(Number(v)) ? Number(v) : v); // int8
    if (oid === 1700) return (v: string) => (Number.isFinite(Number(v)) ? Number(v) : v); // numeric
    if (oid === 1082 || oid === 1114) return (v: string) => v; // date, timestamp without time zone
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

/** A value as JSON Lines carries it: dates as ISO text, bytes as hex, nested JSON as its text. */
function jsonValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

async function write(out: WriteStream, failure: { error?: Error }, text: string): Promise<void> {
  if (failure.error) throw failure.error;
  if (!out.write(text)) await once(out, 'drain'); // rejects when the stream fails
}

/**
 * @example await queryPostgres({ connectionString, sql: 'SELECT * FROM orders', dest, maxRows: 1e6, statementTimeoutMs: 60_000, connectTimeoutMs: 10_000 })
 */
export async function queryPostgres(req: PostgresQueryRequest, networks: SourceNetworks = 'private', lookup: LookupAll = systemLookup): Promise<PostgresQueryResult> {
  const sql = req.sql.trim().replace(/;\s*$/, '');
  if (sql === '') throw new ValidationError('the query is empty', { field: 'query' });
  const pin: Pin = {};
  const client = new pg.Client({
    connectionString: req.connectionString,
    connectionTimeoutMillis: req.connectTimeoutMs,
    query_timeout: req.statementTimeoutMs + 5_000,
    application_name: 'flywheel-source-pull',
    types: TYPES,
    stream: () => pinnedSocket(pin),
  });
  client.on('error', () => undefined); // a dropped connection surfaces through the pending query
  const out = createWriteStream(req.dest, { flags: 'wx', mode: 0o600 });
  const failure: { error?: Error } = {};
  out.on('error', (error) => (failure.error ??= error));
  await once(out, 'open');
  const cancel = () => void client.end().catch(() => undefined);
  req.signal?.addEventListener('abort', cancel, { once: true });
  let rows = 0;
  let bytes = 0;
  let columns: string[] = [];
  try {
    if (networks !== 'any') pin.address = await allowedAddress(client.host || 'localhost', networks, lookup, req.connectTimeoutMs);
    await client.connect();
    await client.query('BEGIN TRANSACTION READ ONLY');
    await client.query({ text: "SELECT set_config('statement_timeout', $1, true)", values: [String(req.statementTimeoutMs)] });
    await client.query({ text: `DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${sql}`, queryMode: 'extended' } as pg.QueryConfig);
    for (;;) {
      const batch = await client.query({ text: `FETCH FORWARD ${FETCH_ROWS} FROM ${CURSOR}`, rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig);
      if (columns.length === 0) {
        columns = batch.fields.map((f) => f.name);
        const seen = new Set<string>();
        for (const name of columns) {
          if (seen.has(name)) throw new ValidationError(`the query returns two columns named '${name}': give each column its own name (AS ...)`, { field: 'query', column: name });
          seen.add(name);
        }
      }
      if (batch.rows.length === 0) break;
      if (rows + batch.rows.length > req.maxRows) {
        throw pullError(`the query returned more than ${req.maxRows} rows (the limit of one pull): narrow it, e.g. with WHERE or LIMIT`, { limit: req.maxRows });
      }
      let text = '';
      for (const row of batch.rows as unknown[][]) {
        const record: Record<string, unknown> = {};
        columns.forEach((name, i) => (record[name] = jsonValue(row[i])));
        text += JSON.stringify(record) + '\n';
      }
      bytes += Buffer.byteLength(text);
      await write(out, failure, text);
      rows += batch.rows.length;
      req.onProgress?.(rows);
      if (batch.rows.length < FETCH_ROWS) break;
    }
    await client.query('ROLLBACK');
    out.end();
    await once(out, 'close');
    if (failure.error) throw failure.error;
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (req.signal?.aborted) throw pullError('the query was cancelled');
    const e = error as { message?: string; code?: string };
    const message = scrub(String(e.message ?? error), secretsOf(req.connectionString));
    if (error instanceof RefusedAddressError) {
      const shown = redactUrl(req.connectionString);
      throw pullError(`PostgreSQL: connecting to ${shown} refused: ${message} (FLYWHEEL_SOURCE_NETWORKS=${networks})`, { location: shown, networks });
    }
    if (e.code === '57014') throw pullError(`the query ran longer than the statement timeout of ${Math.round(req.statementTimeoutMs / 1000)} s`, { timeout_ms: req.statementTimeoutMs });
    if (e.code === '25006') throw pullError(`the query tried to write, but source queries run read-only: ${message}`, { sqlstate: e.code });
    throw pullError(`PostgreSQL: ${message}`, e.code ? { sqlstate: e.code } : {});
  } finally {
    req.signal?.removeEventListener('abort', cancel);
    await client.end().catch(() => undefined);
    if (!out.closed) out.destroy();
  }
  return { rows, bytes, columns };
}
