// MLflow's artifact proxy API under /api/2.0/mlflow-artifacts, where a run whose artifact_uri is
// `mlflow-artifacts:/<exp>/<run>/artifacts` sends its files: PUT (raw body, streamed into the
// artifact store) and GET `artifacts/<exp>/<run>/artifacts/<path>`, and GET `artifacts?path=`
// to list one directory (basenames, as mlflow/server/handlers.py answers).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../../domain/errors.js';
import type { Services } from '../../services/index.js';
import { mlflowAccess } from './mlflow-access.js';
import { sendMlflowError } from './mlflow-errors.js';
import * as input from './mlflow-input.js';

/** `<exp>/<run>/artifacts[/<path>]` split into its parts; the path is validated by the service. */
function locate(raw: string): { experimentId: string; runId: string; path: string } {
  const m = /^([^/]+)\/([^/]+)\/artifacts(?:\/(.*))?$/s.exec(raw);
  if (!m) throw new ValidationError(`Invalid artifact path ${JSON.stringify(raw)}: expected '<experiment_id>/<run_id>/artifacts/<path>'`, { field: 'path' });
  return { experimentId: m[1], runId: m[2], path: m[3] ?? '' };
}

const wildcard = (request: FastifyRequest) => (request.params as Record<string, string>)['*'] ?? '';

export async function mlflowArtifactRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.setErrorHandler((err, request, reply) => sendMlflowError(request, reply, err));
  // Uploads are raw bytes of any type: hand the request stream to the handler unread.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.put('/artifacts/*', { schema: { hide: true } }, async (request) => {
    const { ctx, access } = await mlflowAccess(services, request, 'experiment.write', 'mlflow-artifacts.upload');
    const at = locate(wildcard(request));
    const body = (request.body as AsyncIterable<Uint8Array> | undefined) ?? new Uint8Array();
    await services.runArtifacts.upload(ctx, access, at.experimentId, at.runId, at.path, body);
    return {};
  });

  app.get('/artifacts/*', { schema: { hide: true } }, async (request, reply) => {
    const { access } = await mlflowAccess(services, request, 'experiment.read');
    const at = locate(wildcard(request));
    const { entry, bytes } = await services.runArtifacts.download(access, at.experimentId, at.runId, at.path);
    const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
    return reply
      .type('application/octet-stream')
      .header('content-length', entry.size)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(Readable.from(bytes));
  });

  app.get('/artifacts', { schema: { hide: true } }, async (request) => {
    const { access } = await mlflowAccess(services, request, 'experiment.read');
    const at = locate(input.reqString(input.message(request.query), 'path').replace(/\/+$/, ''));
    await services.runArtifacts.runIn(access, at.experimentId, at.runId);
    const files = (await services.runArtifacts.list(access, at.runId, at.path)).map((f) => ({ ...f, path: f.path.slice(f.path.lastIndexOf('/') + 1) }));
    return files.length ? { files } : {};
  });
}
