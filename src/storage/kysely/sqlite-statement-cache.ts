// Prepared statements kept per SQL text for Kysely's SQLite dialect. Kysely prepares every query
// anew, and on short queries preparing costs more than running; this wraps better-sqlite3's
// database so `prepare` answers a kept statement (the most recently used few hundred). Kysely
// runs `all`/`run` to completion synchronously, so a kept statement is never busy then; a
// streamed query (`iterate`) gets a statement of its own, as it holds it while it is read.
// Statements are recompiled by SQLite itself when a migration changes the schema.
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

/** Statements kept; the least recently used one is dropped beyond this. */
export const STATEMENTS_KEPT = 500;

/** The surface of better-sqlite3 that Kysely's SqliteDialect uses. */
export interface KyselySqlite {
  prepare(sql: string): { reader: boolean; all(p: readonly unknown[]): unknown[]; run(p: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint }; iterate(p: readonly unknown[]): IterableIterator<unknown> };
  close(): void;
}

type Kept = ReturnType<KyselySqlite['prepare']>;

/** `database` for SqliteDialect, with its statements kept by SQL text. */
export function withStatementCache(database: SqliteDatabase, kept = STATEMENTS_KEPT): KyselySqlite {
  const cache = new Map<string, Kept>();
  const wrap = (sql: string, st: Statement): Kept => ({
    reader: st.reader,
    // An array binds its items in order, as Kysely passes them.
    all: (p) => st.all(p),
    run: (p) => st.run(p),
    iterate: (p) => database.prepare(sql).iterate(p),
  });
  return {
    prepare(sql) {
      let w = cache.get(sql);
      if (w) {
        cache.delete(sql); // move to the most recent end
      } else {
        w = wrap(sql, database.prepare(sql));
        if (cache.size >= kept) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, w);
      return w;
    },
    close: () => {
      cache.clear();
      database.close();
    },
  };
}
