// Turn one endpoint contract and its handler into a Fastify route: schema validation, the
// caller's identity, CSRF for browser sessions, the permission check, audit of refusals.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Endpoint, ResponseOf } from '../contracts/index.js';
import { UnauthorizedError } from '../domain/errors.js';
import type { ProjectAction, InstanceAction } from '../domain/actions.js';
import {
  authorizeInstance,
  authorizeProject,
  isInstanceAction,
  resolveProject,
  type CallContext,
  type ProjectAccess,
  type Services,
} from '../services/index.js';
import { identify, type Caller, type LocalAccess } from './authenticate.js';
import { authorizeDeployment, authorizeProjectCached } from './deployment-access.js';
import { checkRawBody, inRawContext, isRawContext, RAW_BODY } from './raw-body.js';

type Out<S> = [NonNullable<S>] extends [z.ZodType] ? z.output<NonNullable<S>> : undefined;

export interface HandlerInput<E extends Endpoint> {
  params: Out<E['params']>;
  query: Out<E['query']>;
  body: Out<E['body']>;
  /** The caller (absent only on public endpoints). */
  ctx: CallContext;
  caller?: Caller;
  /** The project named in the path, already authorized (project actions only). */
  access: ProjectAccess;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type Handler<E extends Endpoint> = (input: HandlerInput<E>) => Promise<ResponseOf<E>>;

export interface RouteDeps {
  services: Services;
  local?: LocalAccess;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerEndpoint<E extends Endpoint>(app: FastifyInstance, e: E, handler: Handler<E>, deps: RouteDeps): void {
  // A raw-body endpoint (a file upload) lives in its own context, whose parser passes the stream on.
  if (e.rawBody && !isRawContext(app)) return inRawContext(app, (child) => registerEndpoint(child, e, handler, deps));
  const { services, local } = deps;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: e.method,
    url: e.path,
    bodyLimit: e.bodyLimit,
    schema: {
      summary: e.summary,
      tags: [e.tag],
      operationId: e.id,
      ...(e.params ? { params: e.params } : {}),
      ...(e.query ? { querystring: e.query } : {}),
      ...(e.body ? { body: e.body } : {}),
      ...(e.rawBody ? { consumes: e.contentTypes, body: RAW_BODY } : {}),
      response: { [e.status ?? 200]: e.response },
      ...(e.auth === 'public' ? {} : { security: [{ bearer: [] }, { session: [] }] }),
    },
    handler: async (request, reply) => {
      const caller = e.auth === 'public' ? undefined : await identify(request, services, local, { cachedTokens: e.cachedAccess === true });
      const ctx = { principal: caller?.principal, requestId: request.id } as CallContext;
      const params = (request.params ?? {}) as Record<string, string>;
      let access = undefined as unknown as ProjectAccess;
      try {
        if (e.auth !== 'public') {
          if (!caller) throw new UnauthorizedError('sign in, or send "Authorization: Bearer <token>"');
          if (caller.session && !SAFE.has(request.method)) {
            services.auth.checkCsrf(caller.session, request.headers['x-csrf-token'] as string | undefined);
          }
          if (typeof e.auth === 'object') {
            if (isInstanceAction(e.auth.action)) authorizeInstance(caller.principal, e.auth.action as InstanceAction);
            else if (e.projectFrom === 'deployment') access = await authorizeDeployment(services, caller.principal, e.auth.action as ProjectAction, params.deployment);
            else if (e.cachedAccess) access = await authorizeProjectCached(services, caller.principal, e.auth.action as ProjectAction, params.project);
            else access = await authorizeProject(services.store, caller.principal, e.auth.action as ProjectAction, params.project);
          }
        }
      } catch (error) {
        // Refused mutations are audited; refused reads are not (they change nothing).
        if (caller && !SAFE.has(request.method)) {
          const projectRef = params.project ?? (e.projectFrom === 'deployment' ? await services.deployments.projectOf(params.deployment).catch(() => undefined) : undefined);
          const project = projectRef ? await resolveProject(services.store, projectRef).catch(() => undefined) : undefined;
          const draft = { action: e.id, project_id: project?.id ?? null, target_ids: (project ? { project: project.id } : {}) as Record<string, string>, details: { path: request.url } };
          await services.audit.recordFailure(ctx, draft, error).catch(() => undefined);
        }
        throw error;
      }
      if (e.rawBody) checkRawBody(request, e);
      const result = await handler({
        params: request.params as never,
        query: request.query as never,
        body: request.body as never,
        ctx,
        caller,
        access,
        request,
        reply,
      });
      reply.code(e.status ?? 200);
      return result;
    },
  });
}

/** One handler per endpoint of a group of contracts. */
export type Handlers<G extends Record<string, Endpoint>> = { [K in keyof G]: Handler<G[K]> };

export function registerAll<G extends Record<string, Endpoint>>(app: FastifyInstance, group: G, handlers: Handlers<G>, deps: RouteDeps): void {
  for (const key of Object.keys(group) as Array<keyof G>) registerEndpoint(app, group[key], handlers[key], deps);
}
