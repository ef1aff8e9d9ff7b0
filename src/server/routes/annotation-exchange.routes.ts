// Label Studio export/import of labelling jobs, and job-level consensus.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const annotationExchangeEndpoints = {
  exportLabellingJob: api.exportLabellingJob,
  importLabellingJob: api.importLabellingJob,
  getLabellingConsensus: api.getLabellingConsensus,
};

export function annotationExchangeHandlers({ services }: RouteDeps): Handlers<typeof annotationExchangeEndpoints> {
  return {
    exportLabellingJob: async ({ access, params, query }) => services.annotationExchange.exportLabelStudio(access, params.job, query.status),
    importLabellingJob: async ({ ctx, access, params, query, body }) => services.annotationExchange.importLabelStudio(ctx, access, params.job, body.tasks, query.provider),
    getLabellingConsensus: async ({ access, params, query }) => services.consensus.jobConsensus(access, params.job, query.method),
  };
}
