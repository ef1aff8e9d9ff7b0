// The SourceReader adapter: HTTP(S) downloads with fetch, PostgreSQL queries with pg.
import type { HttpDownload, HttpDownloadRequest, PostgresQueryRequest, PostgresQueryResult, SourceReader } from '../../domain/ports/source-reader.js';
import { downloadHttp } from './http-download.js';
import { queryPostgres } from './postgres-query.js';

export class NetworkSourceReader implements SourceReader {
  download(request: HttpDownloadRequest): Promise<HttpDownload> {
    return downloadHttp(request);
  }

  query(request: PostgresQueryRequest): Promise<PostgresQueryResult> {
    return queryPostgres(request);
  }
}
