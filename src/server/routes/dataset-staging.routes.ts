// Staging settings, commit, and version diffs (push ingest has a context of its own for its body
// parser: dataset-push.route.ts).
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const datasetStagingEndpoints = {
  commitDataset: api.commitDataset,
  getStaging: api.getStaging,
  putStaging: api.putStaging,
  diffDatasetVersions: api.diffDatasetVersions,
};

export function datasetStagingHandlers({ services }: RouteDeps): Handlers<typeof datasetStagingEndpoints> {
  return {
    commitDataset: async ({ ctx, access, params }) => services.datasetStaging.commit(ctx, access, params.dataset),
    getStaging: async ({ access, params }) => services.datasetStaging.status(access, params.dataset),
    putStaging: async ({ ctx, access, params, body }) => services.datasetStaging.configure(ctx, access, params.dataset, body),
    diffDatasetVersions: async ({ access, params, query }) =>
      services.datasetDiffs.diff(access, params.dataset, query.from, query.to, query.key?.split(',').map((k) => k.trim()).filter(Boolean)),
  };
}
