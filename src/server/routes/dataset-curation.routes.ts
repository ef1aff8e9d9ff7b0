// Dataset curation: quarantine counts per rule, re-admits, the declared schema and version lineage.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const datasetCurationEndpoints = {
  getQuarantineSummary: api.getQuarantineSummary,
  readmitQuarantine: api.readmitQuarantine,
  getDatasetSchema: api.getDatasetSchema,
  putDatasetSchema: api.putDatasetSchema,
  getVersionLineage: api.getVersionLineage,
};

const versionOf = (v: string): number | 'latest' => (v === 'latest' ? 'latest' : Number(v));

export function datasetCurationHandlers({ services }: RouteDeps): Handlers<typeof datasetCurationEndpoints> {
  return {
    getQuarantineSummary: async ({ access, params }) => services.datasetQuarantine.summary(access, params.dataset, versionOf(params.version)),
    readmitQuarantine: async ({ ctx, access, params, body }) => services.datasetReadmits.readmit(ctx, access, params.dataset, versionOf(params.version), body.rows),
    getDatasetSchema: async ({ access, params }) => services.datasetSchemas.get(access, params.dataset),
    putDatasetSchema: async ({ ctx, access, params, body }) => services.datasetSchemas.put(ctx, access, params.dataset, body),
    getVersionLineage: async ({ ctx, access, params }) => services.datasetLineage.lineage(ctx, access, params.dataset, versionOf(params.version)),
  };
}
