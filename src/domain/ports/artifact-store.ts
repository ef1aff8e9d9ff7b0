// The artifact store port: content-addressed blobs (sha256). Adapters: files, S3.
// `put` is atomic (a reader never sees a partial blob) and idempotent (same bytes, same key).

export interface StoredBlob {
  /** Lowercase hex sha256 of the content. */
  sha256: string;
  size: number;
}

export interface ArtifactStore {
  readonly kind: string;
  /** Stream bytes in; returns their digest. The same bytes are stored once. */
  put(source: AsyncIterable<Uint8Array> | Uint8Array): Promise<StoredBlob>;
  /** Stream bytes out; throws NotFoundError for an unknown digest. */
  get(sha256: string): AsyncIterable<Uint8Array>;
  has(sha256: string): Promise<boolean>;
  /**
   * A local file path holding the blob's bytes, for tools that read files (DuckDB reads Parquet
   * from paths). Throws NotFoundError for an unknown digest. Do not write to it.
   */
  localPath(sha256: string): Promise<string>;
  size(sha256: string): Promise<number | undefined>;
  delete(sha256: string): Promise<boolean>;
  ping(): Promise<void>;
}
