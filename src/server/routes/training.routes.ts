// Training runs and the validation policy.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const trainingEndpoints = { startRun: api.startRun, listRuns: api.listRuns, getRun: api.getRun, getPolicy: api.getPolicy, putPolicy: api.putPolicy };

export function trainingHandlers({ services }: RouteDeps): Handlers<typeof trainingEndpoints> {
  const training = services.training;
  return {
    startRun: async ({ ctx, access, body }) => training.startRun(ctx, access, body),
    listRuns: async ({ access, query }) => training.listRuns(access, query),
    getRun: async ({ access, params }) => training.getRun(access, params.run),
    getPolicy: async ({ access }) => training.getPolicy(access),
    putPolicy: async ({ ctx, access, body }) => training.setPolicy(ctx, access, body),
  };
}
