// The Fastify application: API routes derived from the contracts, OpenAPI and its docs,
// /metrics, the web UI, request ids, JSON logs and the error wire format.
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { LoggerOptions } from 'pino';
import { uuidv7 } from '../services/serving/prediction-ids.js';
import { AppError, ForbiddenError, NotFoundError, UnauthorizedError } from '../domain/errors.js';
import type { Services } from '../services/index.js';
import { identify, type LocalAccess } from './authenticate.js';
import { sendError } from './http-errors.js';
import { installHttpMetrics } from './metrics.js';
import { mlflowScoringPlugin } from './mlflow-scoring/mlflow-scoring.plugin.js';
import { oipPlugin } from './oip/oip.plugin.js';
import { installServingMetrics } from './serving-metrics.js';
import { registerApiRoutes } from './routes/index.js';
import { registerMlflowApi } from './mlflow/mlflow.routes.js';
import { serveWeb } from './web.js';

export interface AppOptions {
  services: Services;
  version: string;
  /** pino options, or false for silence (tests, CLI local mode). */
  logger?: LoggerOptions | false;
  /** Folder of the built UI (dist/web); the UI is served when it holds index.html. */
  webRoot?: string;
  /** In-process CLI access (local mode); never set on a listening server. */
  local?: LocalAccess;
  /** `/metrics` without credentials (FLYWHEEL_METRICS_PUBLIC=1). */
  metricsPublic?: boolean;
  /** Default body limit in bytes (1 MiB). */
  bodyLimit?: number;
  trustProxy?: boolean;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const app = Fastify({
    logger: options.logger === undefined ? { level: 'info' } : options.logger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      // UUIDv7 from a pooled generator (a system call per request for random bytes shows on the serving hot path).
      return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : uuidv7();
    },
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler((err, request, reply) => sendError(request, reply, err));

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Flywheel API', version: options.version, description: 'The MLOps loop: collect, cleanse, annotate, train, validate, deploy, monitor, retrain.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'fw_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const metrics = installHttpMetrics(app);
  installServingMetrics(app, metrics.registry, services);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!options.metricsPublic) {
      const caller = await identify(request, services, options.local);
      if (!caller) throw new UnauthorizedError('/metrics needs an admin token (or FLYWHEEL_METRICS_PUBLIC=1)');
      if (!caller.principal.user.is_admin) throw new ForbiddenError('/metrics is for instance admins');
    }
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  registerApiRoutes(app, { services, local: options.local });
  await registerMlflowApi(app, services);
  // Compatibility serving protocols, each in its own context (own error format and body parsers).
  await app.register(mlflowScoringPlugin, { services, local: options.local });
  await app.register(oipPlugin, { services, local: options.local, version: options.version });

  const hasWeb = options.webRoot ? await serveWeb(app, options.webRoot) : false;
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const isApi = /^\/(api|v2|metrics|deployments|invocations)(\/|$)/.test(path);
    if (hasWeb && request.method === 'GET' && !isApi) return reply.sendFile('index.html');
    const error: AppError = new NotFoundError('route', `${request.method} ${path}`);
    return sendError(request, reply, error);
  });
  return app;
}
