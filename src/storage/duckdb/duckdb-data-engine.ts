// The DataEngine port on DuckDB: each ingest runs in its own in-memory DuckDB that spills to
// the caller's scratch folder; reads share one instance, with a connection per call (so calls
// may run concurrently).
import type { DuckDBInstance } from '@duckdb/node-api';
import { VARCHAR } from '@duckdb/node-api';
import type { ColumnProfile, ColumnSchema, QuarantineRow } from '../../domain/datasets.js';
import type {
  ColumnBatch,
  DataEngine,
  IngestOutcome,
  IngestRequest,
  QuarantinePageRequest,
  ReadColumnsOptions,
} from '../../domain/ports/data-engine.js';
import { DuckSession, ident, Params } from './duckdb-session.js';
import { runIngest } from './ingest-pipeline.js';
import { parquetSource, readColumns } from './read-columns.js';
import { mergeQuarantineFiles, profileParquet } from './version-profile.js';

export class DuckDbDataEngine implements DataEngine {
  private shared?: Promise<DuckDBInstance>;

  ingest(request: IngestRequest): Promise<IngestOutcome> {
    return runIngest(request);
  }

  readColumns(paths: string[], columns: string[], options?: ReadColumnsOptions): Promise<ColumnBatch> {
    return this.withSession((s) => readColumns(s, paths, columns, options));
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
    const rows = await this.withSession((s) =>
      s.rows<{ line: string; rule: string; reason: string; raw: string | null; values: string }>(
        'SELECT line, rule, reason, raw, "values" FROM read_parquet($1) WHERE line > $2 ORDER BY line LIMIT $3',
        [path, page.afterLine ?? 0, page.limit],
        [VARCHAR, undefined, undefined],
      ),
    );
    return rows.map((r) => ({ line: Number(r.line), rule: r.rule, reason: r.reason, raw: r.raw, values: JSON.parse(r.values) }));
  }

  async close(): Promise<void> {
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
