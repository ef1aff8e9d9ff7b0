// Monitors, their windows and alerts, and retraining decisions.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const monitoringEndpoints = {
  createMonitor: api.createMonitor,
  listMonitors: api.listMonitors,
  getMonitor: api.getMonitor,
  runMonitorWindow: api.runMonitorWindow,
  listAlerts: api.listAlerts,
  listDecisions: api.listDecisions,
  startRetraining: api.startRetraining,
};

/** `2014-03` → the UTC calendar month. */
function month(text: string) {
  const [y, m] = text.split('-').map(Number);
  return { start: Date.UTC(y, m - 1, 1), end: Date.UTC(y, m, 1) };
}

export function monitoringHandlers({ services }: RouteDeps): Handlers<typeof monitoringEndpoints> {
  const monitoring = services.monitoring;
  return {
    createMonitor: async ({ ctx, access, body }) => monitoring.create(ctx, access, body),
    listMonitors: async ({ access, query }) => monitoring.list(access, query),
    getMonitor: async ({ access, params }) => {
      const m = await monitoring.get(access, params.monitor);
      return { ...m, windows: await monitoring.windows(m) };
    },
    runMonitorWindow: async ({ ctx, access, params, body }) => monitoring.runWindow(ctx, access, await monitoring.get(access, params.monitor), month(body.month)),
    listAlerts: async ({ access, query }) => monitoring.alerts(access, query, { status: query.status }),
    listDecisions: async ({ access, query }) => services.retrain.list(access, query),
    startRetraining: async ({ ctx, access, body }) => {
      const { holdout_month, ...rest } = body;
      const job = await services.retrain.enqueue(ctx, access, { ...rest, holdout: month(holdout_month) });
      return { job_id: job.id };
    },
  };
}
