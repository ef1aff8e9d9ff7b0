// The DataEngine port on DuckDB: each ingest runs in its own in-memory DuckDB that spills to
// the caller's scratch folder; reads share one instance, with a connection per call (so calls
// may run concurrently).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { BIGINT, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { ColumnProfile, ColumnSchema, QuarantineRow } from '../../domain/datasets.js';
import type {
  ColumnBatch,
  DataEngine,
  IngestOutcome,
  IngestRequest,
  QuarantinePageRequest,
  RecordGroupsIngestRequest,
  RecordsIngestRequest,
  ReadColumnsOptions,
} from '../../domain/ports/data-engine.js';
import { DuckSession, ident, Params } from './duckdb-session.js';
import { openIngestInstance, runIngest, runRecordGroupsIngest, runRecordsIngest, type IngestSessionFactory } from './ingest-pipeline.js';
import { latin1ToUtf8 } from './transcode.js';
import { PushWorkspaces } from './push-workspace.js';
import { rowLocalRules } from '../../domain/cleansing-rules.js';
import { parquetSource, readColumnBatches, readColumns } from './read-columns.js';
import { exportRows } from './export-rows.js';
import { mergeQuarantineFiles, profileParquet } from './version-profile.js';

/** Files up to this size ingest in the shared instance (a push of 10,000 rows is a few MiB). */
const SMALL_INGEST_BYTES = 16 * 1024 * 1024;
const SMALL_INGEST_MEMORY = '512MB';
const PARQUET_EXPANSION = 10;

export interface DuckDbDataEngineOptions {
  /** The record size limit of ingests that do not set their own (default 1 MiB). */
  maxRecordBytes?: number;
}

export class DuckDbDataEngine implements DataEngine {
  private shared?: Promise<DuckDBInstance>;

  constructor(private readonly options: DuckDbDataEngineOptions = {}) {}

  async ingest(given: IngestRequest): Promise<IngestOutcome> {
    const request = { ...given, maxRecordBytes: given.maxRecordBytes ?? this.options.maxRecordBytes };
    if (request.encoding !== 'latin-1' || request.format === 'parquet') return runIngest(request, this.ingestSession);
    const utf8 = join(request.workDir, 'source-utf8');
    const original = await latin1ToUtf8(request.path, utf8);
    const outcome = await runIngest({ ...request, path: utf8, encoding: 'utf-8' }, this.ingestSession);
    return { ...outcome, source: original };
  }

  async ingestRecords(request: RecordsIngestRequest): Promise<IngestOutcome> {
    const { schema, rules = null } = request;
    if (!schema || request.profile !== false || !this.warm({ rules, groups: [request] })) {
      await mkdir(request.workDir, { recursive: true }); // a records ingest's folder may not exist yet
      return runRecordsIngest(request, this.ingestSession);
    }
    const [outcome] = await this.pushes.ingest({ schema, rules, groups: [request] }, ([one]) => runRecordsIngest({ ...one, schema, rules, profile: false }, this.ingestSession).then((o) => [o]));
    return outcome;
  }

  async ingestRecordGroups(request: RecordGroupsIngestRequest): Promise<IngestOutcome[]> {
    if (!this.warm(request)) {
      await Promise.all(request.groups.map((g) => mkdir(g.workDir, { recursive: true })));
      return runRecordGroupsIngest(request, this.ingestSession);
    }
    return this.pushes.ingest(request, (groups) =>
      groups.length === 1
        ? runRecordsIngest({ ...groups[0], schema: request.schema, rules: request.rules, profile: false }, this.ingestSession).then((o) => [o])
        : runRecordGroupsIngest({ ...request, groups }, this.ingestSession),
    );
  }

  /** Batches with row-local rules small enough for the shared instance run in a warm workspace (push-workspace.ts). */
  private warm(request: Pick<RecordGroupsIngestRequest, 'rules' | 'groups'>): boolean {
    return rowLocalRules(request.rules) && request.groups.every((g) => g.source.bytes <= SMALL_INGEST_BYTES);
  }

  private smallIngests?: Promise<DuckDBInstance>;

  private readonly pushes = new PushWorkspaces(() => this.smallInstance());

  /**
   * Small files run in a workspace of one shared single-threaded instance, large ones in their
   * own. Parquet counts ten times its size: compressed columns hold several times the rows the
   * same bytes of text do (13 MB of flights-3m.parquet are 3M rows).
   */
  private readonly ingestSession: IngestSessionFactory = async (request, bytes) => {
    if (bytes * (request.format === 'parquet' ? PARQUET_EXPANSION : 1) > SMALL_INGEST_BYTES) return openIngestInstance(request, bytes);
    return DuckSession.workspace(await this.smallInstance(), { singleThreaded: true });
  };

  private smallInstance(): Promise<DuckDBInstance> {
    this.smallIngests ??= DuckSession.instance({ threads: 1, memoryLimit: SMALL_INGEST_MEMORY });
    return this.smallIngests;
  }

  readColumns(paths: string[], columns: string[], options?: ReadColumnsOptions): Promise<ColumnBatch> {
    return this.withSession((s) => readColumns(s, paths, columns, options));
  }

  async *readColumnBatches(paths: string[], columns: string[], batchRows: number): AsyncGenerator<ColumnBatch> {
    this.shared ??= DuckSession.instance();
    const session = await DuckSession.connect(await this.shared);
    try {
      yield* readColumnBatches(session, paths, columns, batchRows);
    } finally {
      session.close();
    }
  }

  query(
    sql: string,
    params: Array<string | number | boolean | null>,
    paths: string[],
    views: Record<string, string[]> = {},
  ): Promise<Array<Record<string, unknown>>> {
    const p = new Params();
    for (const v of params) p.add(v);
    const ctes = [`data AS (SELECT * FROM ${parquetSource(p, paths)})`];
    for (const [name, files] of Object.entries(views)) ctes.push(`${ident(name)} AS (SELECT * FROM ${parquetSource(p, files)})`);
    const head = ctes.join(', ');
    const withData = /^\s*with\s/i.test(sql) ? sql.replace(/^\s*with\s/i, `WITH ${head}, `) : `WITH ${head} ${sql}`;
    return this.withSession((s) => s.rows(withData, p.values, p.types));
  }

  profile(paths: string[], schema: ColumnSchema[], workDir: string): Promise<ColumnProfile[]> {
    return profileParquet(paths, schema, workDir);
  }

  mergeQuarantine(parts: Array<{ path: string; lineOffset: number }>, outPath: string): Promise<{ path: string; rows: number }> {
    return mergeQuarantineFiles(parts, outPath);
  }

  async readQuarantine(path: string, page: QuarantinePageRequest): Promise<QuarantineRow[]> {
    const p = new Params();
    const file = p.add(path, VARCHAR);
    const where = [`line > ${p.add(page.afterLine ?? 0)}`];
    if (page.rule?.exact !== undefined) where.push(`rule = ${p.add(page.rule.exact, VARCHAR)}`);
    else if (page.rule?.prefix !== undefined) where.push(`starts_with(rule, ${p.add(page.rule.prefix, VARCHAR)})`);
    // A semi-join on the list (not list_contains per row): thousands of lines against millions of rows.
    if (page.lines) where.push(`line IN (SELECT unnest(${p.add(listValue(page.lines.map((n) => BigInt(n))), LIST(BIGINT))}))`);
    const limit = p.add(page.limit);
    const rows = await this.withSession((s) =>
      s.rows<{ line: string; rule: string; reason: string; raw: string | null; values: string }>(
        `SELECT line, rule, reason, raw, "values" FROM read_parquet(${file}) WHERE ${where.join(' AND ')} ORDER BY line LIMIT ${limit}`,
        p.values,
        p.types,
      ),
    );
    return rows.map((r) => ({ line: Number(r.line), rule: r.rule, reason: r.reason, raw: r.raw, values: JSON.parse(r.values) }));
  }

  exportRows(paths: string[], outPath: string, format: 'parquet' | 'csv'): Promise<number> {
    return this.withSession((s) => exportRows(s, paths, outPath, format));
  }

  async close(): Promise<void> {
    await this.pushes.close();
    const small = this.smallIngests;
    this.smallIngests = undefined;
    if (small) (await small.catch(() => undefined))?.closeSync();
    const shared = this.shared;
    this.shared = undefined;
    if (shared) (await shared.catch(() => undefined))?.closeSync();
  }

  private async withSession<T>(fn: (s: DuckSession) => Promise<T>): Promise<T> {
    this.shared ??= DuckSession.instance();
    const session = await DuckSession.connect(await this.shared);
    try {
      return await fn(session);
    } finally {
      session.close();
    }
  }
}
