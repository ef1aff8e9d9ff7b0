// Prometheus metrics of serving, per deployment, model version and protocol: requests by status,
// latency, rows per request (batch size), rows per model run (after micro-batching), errors, and
// shadow models' failures; the same requests feed the live statistics of the deployment page.
// Protocol handlers mark a request with what they served (markServing); Flywheel's own predict
// route is recognised by its URL. A name this process has never served is labelled "(unknown)",
// so random names cannot grow the label set.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Services } from '../services/index.js';

export type ServingProtocol = 'flywheel' | 'mlflow' | 'oip';

export interface ServingMark {
  protocol: ServingProtocol;
  deployment: string;
  /** The model version that answered (known once the deployment resolved). */
  version?: number;
  /** Rows predicted (set on success). */
  rows?: number;
}

const NATIVE_PREDICT = '/api/v1/deployments/:deployment/predict';
const marks = new WeakMap<FastifyRequest, ServingMark>();

/** Record what a serving request is about; later calls refine the mark (e.g. with the version and rows). */
export function markServing(request: FastifyRequest, mark: Partial<ServingMark> & Pick<ServingMark, 'protocol' | 'deployment'>): void {
  marks.set(request, { ...marks.get(request), ...mark });
}

function nativeMark(request: FastifyRequest): ServingMark | undefined {
  if (request.routeOptions.url !== NATIVE_PREDICT) return undefined;
  const deployment = (request.params as { deployment?: string }).deployment ?? '';
  const body = request.body as { rows?: unknown; data?: unknown } | undefined;
  const batch = Array.isArray(body?.rows) ? body.rows : Array.isArray(body?.data) ? body.data : undefined;
  return { protocol: 'flywheel', deployment, rows: batch?.length };
}

export interface ServingMetrics {
  requests: Counter<'deployment' | 'version' | 'protocol' | 'status'>;
}

export function installServingMetrics(app: FastifyInstance, registry: Registry, services: Services): ServingMetrics {
  const labelNames = ['deployment', 'version', 'protocol'] as const;
  const requests = new Counter({
    name: 'flywheel_serving_requests_total',
    help: 'Prediction requests by deployment, model version, protocol and HTTP status',
    labelNames: [...labelNames, 'status'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'flywheel_serving_errors_total',
    help: 'Failed prediction requests (4xx and 5xx) by deployment, model version, protocol and kind (client or server)',
    labelNames: [...labelNames, 'kind'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'flywheel_serving_request_duration_seconds',
    help: 'Prediction request latency by deployment, model version and protocol',
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const batch = new Histogram({
    name: 'flywheel_serving_batch_rows',
    help: 'Rows per successful prediction request by deployment, model version and protocol',
    labelNames,
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [registry],
  });
  const runs = new Histogram({
    name: 'flywheel_serving_model_batch_rows',
    help: 'Rows per model run by deployment and model version: concurrent requests coalesced by micro-batching make runs larger than requests',
    labelNames: ['deployment', 'version'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 10000],
    registers: [registry],
  });
  services.predict.onModelRun((r) => runs.observe({ deployment: r.deployment, version: String(r.version) }, r.rows));
  new Counter({
    name: 'flywheel_serving_shadow_errors_total',
    help: 'Mirrored requests a shadow model failed on (never seen by callers), by deployment and shadow version',
    labelNames: ['deployment', 'version'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const f of services.predict.shadowFailureCounts()) this.inc({ deployment: f.deployment, version: String(f.version) }, f.count);
    },
  });
  // Label children per deployment, version and protocol (and status), made once: binding the
  // labels on every request costs more than counting.
  type Bound = { latency: Histogram.Internal<string>; batch: Histogram.Internal<string>; statuses: Map<number, Counter.Internal> };
  const bound = new Map<string, Bound>();
  const bind = (labels: { deployment: string; version: string; protocol: string }): Bound => {
    const key = `${labels.deployment}\u0000${labels.version}\u0000${labels.protocol}`;
    let b = bound.get(key);
    if (!b) bound.set(key, (b = { latency: latency.labels(labels), batch: batch.labels(labels), statuses: new Map() }));
    return b;
  };
  app.addHook('onResponse', async (request, reply) => {
    const mark = marks.get(request) ?? nativeMark(request);
    if (!mark) return;
    const served = services.predict.servingVersion(mark.deployment);
    const known = served !== undefined;
    const labels = {
      deployment: known ? mark.deployment : '(unknown)',
      version: mark.version !== undefined ? String(mark.version) : known ? String(served) : '',
      protocol: mark.protocol,
    };
    const status = reply.statusCode;
    if (known) services.servingStats.recordRequest(mark.deployment, reply.elapsedTime, mark.rows ?? 0, status < 400);
    const b = bind(labels);
    let counted = b.statuses.get(status);
    if (!counted) b.statuses.set(status, (counted = requests.labels({ ...labels, status: String(status) })));
    counted.inc();
    b.latency.observe(reply.elapsedTime / 1000);
    if (status >= 400) errors.inc({ ...labels, kind: status >= 500 ? 'server' : 'client' });
    else if (mark.rows !== undefined) b.batch.observe(mark.rows);
  });
  return { requests };
}
