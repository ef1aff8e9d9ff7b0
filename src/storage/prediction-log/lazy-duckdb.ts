// A DuckDB in-memory database opened on first use (rolling and reading the prediction log are
// occasional; most processes never need one) and closed with its owner.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export class LazyDuckDb {
  private instance?: Promise<DuckDBInstance>;

  constructor(private readonly options: Record<string, string> = {}) {}

  /** A new connection; the caller closes it (`closeSync()`). */
  async connect(): Promise<DuckDBConnection> {
    this.instance ??= DuckDBInstance.create(':memory:', this.options);
    return (await this.instance).connect();
  }

  /** Run `fn` with a connection that is closed afterwards. */
  async with<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  }

  async close(): Promise<void> {
    const instance = this.instance;
    this.instance = undefined;
    if (instance) (await instance.catch(() => undefined))?.closeSync();
  }
}
