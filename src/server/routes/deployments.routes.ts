// Deployments (binding, canary, shadow, batching, rollback and history), their prediction-log
// segments and live serving statistics. The serving URL itself is predict.route.ts.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const deploymentEndpoints = {
  listDeployments: api.listDeployments,
  createDeployment: api.createDeployment,
  getDeployment: api.getDeployment,
  updateDeployment: api.updateDeployment,
  rollbackDeployment: api.rollbackDeployment,
  listDeploymentHistory: api.listDeploymentHistory,
  listPredictionSegments: api.listPredictionSegments,
  getDeploymentStats: api.getDeploymentStats,
};

export function deploymentHandlers({ services }: RouteDeps): Handlers<typeof deploymentEndpoints> {
  const deployments = services.deployments;
  return {
    listDeployments: async ({ access, query }) => deployments.list(access, query),
    createDeployment: async ({ ctx, access, body }) => deployments.create(ctx, access, body),
    getDeployment: async ({ access, params }) => deployments.get(access, params.deployment),
    updateDeployment: async ({ ctx, access, params, body }) => deployments.update(ctx, access, params.deployment, body),
    rollbackDeployment: async ({ ctx, access, params, body }) => deployments.rollback(ctx, access, params.deployment, body.reason ?? ''),
    listDeploymentHistory: async ({ access, params, query }) => deployments.history(access, params.deployment, query),
    listPredictionSegments: async ({ access, params, query }) => {
      const d = await deployments.find(access, params.deployment);
      const items = await services.predictionLog.listSegments(access.project.id, { deploymentId: d.id, from: query.from, to: query.to });
      return { items, next_cursor: null };
    },
    getDeploymentStats: async ({ access, params, query }) => {
      const d = await deployments.find(access, params.deployment);
      return { deployment: d.name, server_time: Date.now(), points: services.servingStats.points(d.name, query.seconds ?? 60) };
    },
  };
}
