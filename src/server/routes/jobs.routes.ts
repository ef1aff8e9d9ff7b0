// A project's background jobs.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const jobEndpoints = { listJobs: api.listJobs, getJob: api.getJob, cancelJob: api.cancelJob };

export function jobHandlers({ services }: RouteDeps): Handlers<typeof jobEndpoints> {
  return {
    listJobs: async ({ access, query }) => services.jobs.list(access, query, query.status),
    getJob: async ({ access, params }) => services.jobs.get(access, params.job),
    cancelJob: async ({ ctx, access, params }) => services.jobs.cancel(ctx, access, params.job),
  };
}
