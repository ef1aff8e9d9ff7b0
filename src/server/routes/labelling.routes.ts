// Labelling jobs, tasks, the annotator's queue, label submission and withdrawal.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const labellingEndpoints = {
  listLabellingJobs: api.listLabellingJobs,
  createLabellingJob: api.createLabellingJob,
  getLabellingJob: api.getLabellingJob,
  addLabellingTasks: api.addLabellingTasks,
  listLabellingTasks: api.listLabellingTasks,
  nextLabellingTask: api.nextLabellingTask,
  submitLabel: api.submitLabel,
  withdrawLabel: api.withdrawLabel,
};

export function labellingHandlers({ services }: RouteDeps): Handlers<typeof labellingEndpoints> {
  const labelling = services.labelling;
  return {
    listLabellingJobs: async ({ access, query }) => labelling.listJobs(access, query),
    createLabellingJob: async ({ ctx, access, body }) => labelling.createJob(ctx, access, body),
    getLabellingJob: async ({ ctx, access, params }) => labelling.getJob(ctx, access, params.job),
    addLabellingTasks: async ({ ctx, access, params, body }) => labelling.addTasks(ctx, access, params.job, body.items),
    listLabellingTasks: async ({ ctx, access, params, query }) => labelling.listTasks(ctx, access, params.job, query, query.status),
    nextLabellingTask: async ({ ctx, access, params, query }) => labelling.next(ctx, access, params.job, query.exclude ? query.exclude.split(',') : []),
    submitLabel: async ({ ctx, access, params, body }) => labelling.submitLabel(ctx, access, params.job, params.task, body),
    withdrawLabel: async ({ ctx, access, params }) => labelling.withdrawLabel(ctx, access, params.job, params.task),
  };
}
