// Datasets' scheduled sources: CRUD, "run now" (a background job) and each source's runs.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const datasetSourceEndpoints = {
  listSources: api.listSources,
  createSource: api.createSource,
  getSource: api.getSource,
  updateSource: api.updateSource,
  deleteSource: api.deleteSource,
  runSource: api.runSource,
  listSourceRuns: api.listSourceRuns,
};

export function datasetSourceHandlers({ services }: RouteDeps): Handlers<typeof datasetSourceEndpoints> {
  const sources = services.datasetSources;
  return {
    listSources: async ({ access, params, query }) => sources.list(access, params.dataset, query),
    createSource: async ({ ctx, access, params, body }) => sources.create(ctx, access, params.dataset, body),
    getSource: async ({ access, params }) => sources.get(access, params.dataset, params.source),
    updateSource: async ({ ctx, access, params, body }) => sources.update(ctx, access, params.dataset, params.source, body),
    deleteSource: async ({ ctx, access, params }) => {
      await sources.remove(ctx, access, params.dataset, params.source);
      return { ok: true as const };
    },
    runSource: async ({ ctx, access, params }) => sources.runNow(ctx, access, params.dataset, params.source),
    listSourceRuns: async ({ access, params, query }) => sources.listRuns(access, params.dataset, params.source, query),
  };
}
