// The source-reader port: fetch what a scheduled source points at into a local scratch file —
// an HTTP(S) download, or a read-only SQL query against PostgreSQL written as JSON Lines. Both
// are bounded (bytes or rows, and time) and fail with a readable AppError that never carries
// the URL's or the connection string's credentials. Adapter: src/storage/sources/.

/**
 * The addresses sources may reach: `private` (default) public and private ranges but never this
 * host, link-local (cloud metadata) or reserved addresses; `public` public ones only; `any` all.
 */
export type SourceNetworks = 'public' | 'private' | 'any';
export const SOURCE_NETWORKS: readonly SourceNetworks[] = ['public', 'private', 'any'];

export interface HttpDownloadRequest {
  /** The full URL (http: or https: only). */
  url: string;
  /** Where to write the body (a new file). */
  dest: string;
  maxBytes: number;
  /** The whole download, headers to last byte. */
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (bytes: number, total: number | null) => void;
}

export interface HttpDownload {
  bytes: number;
  /** The media type of the answer (without parameters), or null. */
  contentType: string | null;
}

export interface PostgresQueryRequest {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** One SELECT (or VALUES / TABLE) statement; it runs in a READ ONLY transaction. */
  sql: string;
  /** Where to write the rows as JSON Lines (a new file). */
  dest: string;
  /** More rows than this fail the pull. */
  maxRows: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (rows: number) => void;
}

export interface PostgresQueryResult {
  rows: number;
  bytes: number;
  columns: string[];
}

export interface SourceReader {
  download(request: HttpDownloadRequest): Promise<HttpDownload>;
  query(request: PostgresQueryRequest): Promise<PostgresQueryResult>;
}
