// Open a Kysely instance from a database URL: the one place that picks the dialect by scheme.
//   sqlite:/abs/path.db, sqlite::memory:, file:/abs/path.db, a bare path  → better-sqlite3 (WAL)
//   postgres://… or postgresql://…                                         → pg Pool
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';
import { ValidationError } from '../../domain/errors.js';
import { withStatementCache } from './sqlite-statement-cache.js';
import { checkpointInBackground } from './sqlite-checkpointer.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Connected {
  db: Kysely<Database>;
  dialect: Dialect;
}

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(url) ? 'postgres' : 'sqlite';
}

function sqlitePath(url: string): string {
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  if (url.startsWith('file:')) return new URL(url).pathname;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new ValidationError(`unsupported database URL scheme in '${url.split('://')[0]}://…' (use sqlite: or postgres://)`, {
      field: 'FLYWHEEL_DATABASE_URL',
    });
  }
  return url;
}

export async function connect(url: string, options: { poolSize?: number } = {}): Promise<Connected> {
  if (dialectOf(url) === 'postgres') {
    const pg = (await import('pg')).default;
    // int8 (epoch ms, counts) as JS numbers: every value we store fits in 2^53.
    pg.types.setTypeParser(20, (v: string) => Number(v));
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  }
  const Sqlite = (await import('better-sqlite3')).default;
  const file = sqlitePath(url);
  const database = new Sqlite(file);
  const wal = database.pragma('journal_mode = WAL', { simple: true }) === 'wal';
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 10000');
  database.pragma('synchronous = NORMAL');
  const statements = withStatementCache(database);
  // A file in WAL mode: its checkpoints run on a thread of their own (see sqlite-checkpointer.ts).
  const checkpoints = wal ? checkpointInBackground(database, file) : undefined;
  const sqlite = checkpoints ? { prepare: statements.prepare, close: () => (checkpoints.stop(), statements.close()) } : statements;
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), dialect: 'sqlite' };
}
