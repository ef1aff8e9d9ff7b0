// A DuckDB instance and connection with Flywheel's settings: UTC, no extension downloads, an
// optional database file and spill folder (ingest), and helpers that always bind parameters.
import { DOUBLE, DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { ColumnType } from '../../domain/datasets.js';

export type SqlValue = DuckDBValue;

export interface SessionOptions {
  /** A database file; in memory when absent. */
  path?: string;
  /** Where DuckDB may spill data that does not fit in `memoryLimit`. */
  tempDir?: string;
  /** e.g. '1GB' (DuckDB's default is 80% of the machine's memory). */
  memoryLimit?: string;
  threads?: number;
}

export class DuckSession {
  private constructor(
    /** Set when this session owns (and closes) its instance. */
    private readonly instance: DuckDBInstance | undefined,
    readonly connection: DuckDBConnection,
    /** The instance the connection belongs to (owned or shared). */
    private readonly origin: DuckDBInstance,
  ) {}

  /** A new connection to a shared instance (closing the session closes only the connection). */
  static async connect(instance: DuckDBInstance): Promise<DuckSession> {
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    return new DuckSession(undefined, connection, instance);
  }

  /**
   * Another connection to the same instance, working in the same database (so it sees this
   * session's tables and views, not its temporary ones): for queries run side by side.
   */
  async fork(): Promise<DuckSession> {
    const other = await DuckSession.connect(this.origin);
    if (this.workspaceName) await other.run(`USE ${this.workspaceName}`);
    return other;
  }

  /** A shared instance with Flywheel's settings, for `connect`. */
  static async instance(options: Omit<SessionOptions, 'path'> = {}): Promise<DuckDBInstance> {
    return DuckDBInstance.create(':memory:', configOf(options));
  }

  static async open(options: SessionOptions = {}): Promise<DuckSession> {
    const instance = await DuckDBInstance.create(options.path ?? ':memory:', configOf(options));
    try {
      const connection = await instance.connect();
      await connection.run("SET TimeZone = 'UTC'");
      return new DuckSession(instance, connection, instance);
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  }

  /** Run a statement; `$1`, `$2`… are `params` (types inferred unless given). */
  async run(sql: string, params: SqlValue[] = [], types?: Array<DuckDBType | undefined>): Promise<void> {
    const started = TRACE ? traceStart() : undefined;
    await this.connection.run(sql, params, types as DuckDBType[] | undefined);
    if (started) trace(sql, started);
  }

  /** Rows as JSON-friendly objects (BIGINT → string, DOUBLE → number, DATE → 'YYYY-MM-DD'). */
  async rows<T = Record<string, unknown>>(sql: string, params: SqlValue[] = [], types?: Array<DuckDBType | undefined>): Promise<T[]> {
    const started = TRACE ? traceStart() : undefined;
    const reader = await this.connection.runAndReadAll(sql, params, types as DuckDBType[] | undefined);
    if (started) trace(sql, started);
    return reader.getRowObjectsJson() as T[];
  }

  /** A statement parsed and planned once, to run many times (see PreparedQuery). */
  async prepare(sql: string): Promise<PreparedQuery> {
    const started = TRACE ? traceStart() : undefined;
    const statement = await this.connection.prepare(sql);
    if (started) trace(`PREPARE ${sql}`, started);
    return new PreparedQuery(statement, sql);
  }

  /** Names and DuckDB types of a query's columns, without reading its rows. */
  async describe(sql: string, params: SqlValue[] = [], types?: Array<DuckDBType | undefined>): Promise<Array<{ name: string; type: DuckDBType }>> {
    const reader = await this.connection.runAndReadUntil(`SELECT * FROM (${sql}) LIMIT 0`, 0, params, types as DuckDBType[] | undefined);
    const t = reader.columnTypes();
    return reader.columnNames().map((name, i) => ({ name, type: t[i] }));
  }

  /**
   * A connection to a shared instance working in its own in-memory database (its tables and
   * views are dropped with it): a small ingest without the cost of starting an instance.
   */
  static async workspace(instance: DuckDBInstance, options: { singleThreaded?: boolean } = {}): Promise<DuckSession> {
    const session = await DuckSession.connect(instance);
    session.singleThreaded = options.singleThreaded === true;
    const name = `fw_ws_${++workspaces}`;
    try {
      await session.run(`ATTACH ':memory:' AS ${name}`);
      await session.run(`USE ${name}`);
    } catch (error) {
      session.close();
      throw error;
    }
    session.workspaceName = name;
    return session;
  }

  private workspaceName?: string;

  /** The instance runs one thread (set by `workspace` when its caller says so). */
  singleThreaded = false;

  /** Close the session, dropping its workspace first when it has one. */
  async release(): Promise<void> {
    if (this.workspaceName) {
      await this.run('USE memory').catch(() => undefined);
      await this.run(`DETACH ${this.workspaceName}`).catch(() => undefined);
    }
    this.close();
  }

  close(): void {
    try {
      this.connection.closeSync();
    } finally {
      this.instance?.closeSync();
    }
  }
}

let workspaces = 0;

/**
 * A prepared statement of a session. A run binds its named parameters and reuses the plan, which
 * DuckDB keeps only while every parameter's type is the one it inferred (else it plans again):
 * give parameters whose type the statement fixes (e.g. `string_split($text, …)`).
 */
export class PreparedQuery {
  constructor(
    private readonly statement: DuckDBPreparedStatement,
    private readonly sql: string,
  ) {}

  /** Run with `params` (by name); rows as DuckSession.rows answers them. */
  async rows<T = Record<string, unknown>>(params: Record<string, SqlValue>, types: Record<string, DuckDBType>): Promise<T[]> {
    const started = TRACE ? traceStart() : undefined;
    this.statement.bind(params, types);
    const reader = await this.statement.runAndReadAll();
    if (started) trace(`EXECUTE ${this.sql}`, started);
    return reader.getRowObjectsJson() as T[];
  }

  close(): void {
    this.statement.destroySync();
  }
}

/**
 * FLYWHEEL_SQL_TRACE=1 prints each DuckDB statement's wall time and the process's CPU time during
 * it (all threads; steadier than wall time on a busy machine) to stderr; `full` prints whole statements.
 */
const TRACE = process.env.FLYWHEEL_SQL_TRACE === '1' || process.env.FLYWHEEL_SQL_TRACE === 'full';
const TRACE_FULL = process.env.FLYWHEEL_SQL_TRACE === 'full';

function traceStart(): { wall: number; cpu: NodeJS.CpuUsage } {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

function trace(sql: string, started: { wall: number; cpu: NodeJS.CpuUsage }): void {
  const cpu = process.cpuUsage(started.cpu);
  const ms = (n: number) => n.toFixed(0).padStart(6);
  const text = sql.replace(/\s+/g, ' ');
  process.stderr.write(`[duckdb ${ms(performance.now() - started.wall)} ms, cpu ${ms((cpu.user + cpu.system) / 1000)} ms] ${TRACE_FULL ? text : text.slice(0, 160)}\n`);
}

/** DuckDB settings: no extension downloads (json, parquet and icu are built in), limits. */
function configOf(options: SessionOptions): Record<string, string> {
  const config: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (options.tempDir) config.temp_directory = options.tempDir;
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.threads) config.threads = String(options.threads);
  return config;
}

/** A SQL identifier, quoted (column names come from files and may hold anything). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Collects bound parameters; `p.add(v)` answers its placeholder (`$3`). */
export class Params {
  readonly values: SqlValue[] = [];
  readonly types: Array<DuckDBType | undefined> = [];

  add(value: SqlValue, type?: DuckDBType): string {
    this.values.push(value);
    // A whole number beyond 2^53 (1e21, say) would be bound as an out-of-range BIGINT: as DOUBLE.
    this.types.push(type ?? (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) ? DOUBLE : undefined));
    return `$${this.values.length}`;
  }
}

/** The Flywheel column type of a DuckDB type (nested and exotic types read as strings). */
export function columnTypeOf(type: DuckDBType): ColumnType {
  switch (type.typeId) {
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return 'integer';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return 'double';
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'timestamp';
    default:
      return 'string';
  }
}

/** The message of a DuckDB error without its type prefix ("Invalid Input Error: …"). */
export function duckMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[A-Za-z ]+Error: /, '').split('\n')[0].slice(0, 500);
}
