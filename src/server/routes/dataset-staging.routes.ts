// Push ingest (the Idempotency-Key header goes to the service), staging settings, commit, and
// version diffs.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const datasetStagingEndpoints = {
  pushRows: api.pushRows,
  commitDataset: api.commitDataset,
  getStaging: api.getStaging,
  putStaging: api.putStaging,
  diffDatasetVersions: api.diffDatasetVersions,
};

export function datasetStagingHandlers({ services }: RouteDeps): Handlers<typeof datasetStagingEndpoints> {
  return {
    pushRows: async ({ ctx, access, params, body, request }) => {
      const header = request.headers['idempotency-key'];
      const key = Array.isArray(header) ? header[0] : header;
      return services.datasetStaging.push(ctx, access, params.dataset, key, body.rows);
    },
    commitDataset: async ({ ctx, access, params }) => services.datasetStaging.commit(ctx, access, params.dataset),
    getStaging: async ({ access, params }) => services.datasetStaging.status(access, params.dataset),
    putStaging: async ({ ctx, access, params, body }) => services.datasetStaging.configure(ctx, access, params.dataset, body),
    diffDatasetVersions: async ({ access, params, query }) =>
      services.datasetDiffs.diff(access, params.dataset, query.from, query.to, query.key?.split(',').map((k) => k.trim()).filter(Boolean)),
  };
}
