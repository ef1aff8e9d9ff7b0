// Datasets, versions (ingest streams the raw body to the service) and quarantines.
import { api, INGEST_CONTENT_TYPES } from '../../contracts/index.js';
import type { DataFormat } from '../../domain/datasets.js';
import { ValidationError } from '../../domain/errors.js';
import type { Handlers, RouteDeps } from '../route.js';
import { mediaType, rawBodyOf } from '../raw-body.js';

export const datasetEndpoints = {
  createDataset: api.createDataset,
  listDatasets: api.listDatasets,
  getDataset: api.getDataset,
  ingestDataset: api.ingestDataset,
  listDatasetVersions: api.listDatasetVersions,
  getDatasetVersion: api.getDatasetVersion,
  listQuarantine: api.listQuarantine,
};

const versionOf = (v: string): number | 'latest' => (v === 'latest' ? 'latest' : Number(v));

/** The format named by ?format, else by the content type; a clear 400 when neither says. */
function formatOf(query: DataFormat | undefined, contentType: string | undefined): DataFormat {
  const implied = contentType ? INGEST_CONTENT_TYPES[contentType] : null;
  if (query && implied && query !== implied) {
    throw new ValidationError(`format=${query} contradicts the content type ${contentType}`, { field: 'query.format' });
  }
  const format = query ?? implied;
  if (!format) {
    throw new ValidationError('say which format the file is: ?format=csv|jsonl|parquet, or a content type of text/csv, application/x-ndjson or application/vnd.apache.parquet', {
      field: 'query.format',
    });
  }
  return format;
}

export function datasetHandlers({ services }: RouteDeps): Handlers<typeof datasetEndpoints> {
  const datasets = services.datasets;
  return {
    createDataset: async ({ ctx, access, body }) => ({ ...(await datasets.create(ctx, access, body)), latest: null }),
    listDatasets: async ({ access, query }) => datasets.list(access, query),
    getDataset: async ({ access, params }) => {
      const d = await datasets.get(access, params.dataset);
      const latest = d.latest_version > 0 ? await datasets.getVersion(access, d.id, d.latest_version) : undefined;
      return { ...d, latest: latest ? { id: latest.id, version: latest.version, report: latest.report, created_at: latest.created_at } : null };
    },
    ingestDataset: async ({ ctx, access, params, query, request }) => {
      const format = formatOf(query.format, mediaType(request));
      return datasets.ingestUpload(ctx, access, params.dataset, rawBodyOf(request), {
        format,
        rules: query.rules,
        sourceName: query.name,
        encoding: query.encoding,
        maxBytes: api.ingestDataset.bodyLimit,
      });
    },
    listDatasetVersions: async ({ access, params, query }) => datasets.listVersions(access, params.dataset, query),
    getDatasetVersion: async ({ access, params }) => datasets.getVersion(access, params.dataset, versionOf(params.version)),
    listQuarantine: async ({ access, params, query }) => services.datasetQuarantine.page(access, params.dataset, versionOf(params.version), query),
  };
}
