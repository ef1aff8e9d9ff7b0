// Experiments and tracked runs for the UI and API clients (thin: parse, call the service, map).
import { Readable } from 'node:stream';
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';
import { experimentView, runSummaryView, wireDouble } from './tracking-views.js';

export const trackingEndpoints = {
  listExperiments: api.listExperiments,
  listExperimentRuns: api.listExperimentRuns,
  getRunKeys: api.getRunKeys,
  getRunDetails: api.getRunDetails,
  getMetricHistory: api.getMetricHistory,
  deleteTrackedRun: api.deleteTrackedRun,
  restoreTrackedRun: api.restoreTrackedRun,
  listRunArtifacts: api.listRunArtifacts,
  getRunArtifact: api.getRunArtifact,
};

export function trackingHandlers({ services }: RouteDeps): Handlers<typeof trackingEndpoints> {
  const tracking = services.tracking;
  return {
    listExperiments: async ({ access, query }) => ({ items: (await tracking.listExperiments(access, viewOf(query.view))).map(experimentView), next_cursor: null }),
    listExperimentRuns: async ({ access, params, query }) => {
      const page = await tracking.listExperimentRuns(access, params.experiment, {
        filter: query.filter,
        order_by: query.order_by,
        view: viewOf(query.view),
        limit: query.limit ?? 100,
        cursor: query.cursor,
        count: query.count === 'true',
      });
      return { items: page.items.map(runSummaryView), next_cursor: page.next_cursor, ...(page.total !== undefined ? { total: page.total } : {}) };
    },
    getRunKeys: async ({ access, params }) => tracking.runKeys(access, params.experiment),
    getRunDetails: async ({ access, params }) => {
      const { run, context } = await tracking.runDetails(access, params.run);
      return { ...runSummaryView(run), context };
    },
    getMetricHistory: async ({ access, params, query }) => {
      const keys = (query.keys ?? '').split(',').map((k) => k.trim()).filter(Boolean);
      const { run, series } = await tracking.metricHistories(access, params.run, keys, query.max_points ?? 2000);
      return {
        run_id: run.id,
        status: run.status,
        series: series.map((s) => ({ key: s.key, total: s.total, points: s.points.map((p) => ({ step: p.step, timestamp: p.timestamp, value: wireDouble(p.value) })) })),
      };
    },
    deleteTrackedRun: async ({ ctx, access, params }) => {
      await tracking.setRunLifecycle(ctx, access, params.run, 'deleted');
      return { ok: true as const };
    },
    restoreTrackedRun: async ({ ctx, access, params }) => {
      await tracking.setRunLifecycle(ctx, access, params.run, 'active');
      return { ok: true as const };
    },
    listRunArtifacts: async ({ access, params, query }) => ({ items: await services.runArtifacts.list(access, params.run, query.path) }),
    getRunArtifact: async ({ access, params, query, reply }) => {
      const { entry, bytes } = await services.runArtifacts.file(access, params.run, query.path ?? '');
      const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      reply.header('content-type', 'application/octet-stream');
      reply.header('content-length', String(entry.size));
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-artifact-sha256', entry.sha256);
      return Readable.from(bytes);
    },
  };
}

const viewOf = (v: 'active' | 'deleted' | 'all' | undefined) => (v === 'deleted' ? 'DELETED_ONLY' : v === 'all' ? 'ALL' : 'ACTIVE_ONLY') as 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
