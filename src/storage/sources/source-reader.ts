// The SourceReader adapter: HTTP(S) downloads and PostgreSQL queries (pg), both within the address policy.
import type { HttpDownload, HttpDownloadRequest, PostgresQueryRequest, PostgresQueryResult, SourceNetworks, SourceReader } from '../../domain/ports/source-reader.js';
import { downloadHttp } from './http-download.js';
import { queryPostgres } from './postgres-query.js';

export class NetworkSourceReader implements SourceReader {
  constructor(private readonly networks: SourceNetworks = 'private') {}

  download(request: HttpDownloadRequest): Promise<HttpDownload> {
    return downloadHttp(request, this.networks);
  }

  query(request: PostgresQueryRequest): Promise<PostgresQueryResult> {
    return queryPostgres(request, this.networks);
  }
}
