// Authorize a call of a serving protocol (Flywheel's predict, MLflow scoring, Open Inference
// Protocol) the way contract routes are authorized: the caller from a bearer token or session
// (CSRF on mutations), then the action on the deployment's project. Tokens and granted accesses
// come through the access cache (serving must not query the metadata store per request).
// Refused mutations are audited, as on every other route; refused reads are not.
import type { FastifyRequest } from 'fastify';
import type { ProjectAction } from '../domain/actions.js';
import { UnauthorizedError } from '../domain/errors.js';
import { resolveProject, type CallContext, type ProjectAccess, type Services } from '../services/index.js';
import { identify, type Caller, type LocalAccess } from './authenticate.js';
import { authorizeDeploymentCached } from './deployment-access.js';

export interface ServingDeps {
  services: Services;
  local?: LocalAccess;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The caller, or UnauthorizedError (for endpoints that need any signed-in caller). */
export async function requireCaller(request: FastifyRequest, deps: ServingDeps): Promise<Caller> {
  const caller = await identify(request, deps.services, deps.local, { cachedTokens: true });
  if (!caller) throw new UnauthorizedError('send "Authorization: Bearer <token>"');
  return caller;
}

/**
 * Authorize `action` on deployment `name` for the caller of `request`; `auditAction` names the
 * operation in the audit trail when a mutation is refused.
 */
export async function authorizeServingCall(
  request: FastifyRequest,
  deps: ServingDeps,
  action: ProjectAction,
  name: string,
  auditAction: string,
): Promise<{ access: ProjectAccess; ctx: CallContext }> {
  const { services } = deps;
  const caller = await requireCaller(request, deps);
  const ctx = { principal: caller.principal, requestId: request.id } as CallContext;
  try {
    if (caller.session && !SAFE.has(request.method)) {
      services.auth.checkCsrf(caller.session, request.headers['x-csrf-token'] as string | undefined);
    }
    return { access: await authorizeDeploymentCached(services, caller.principal, action, name), ctx };
  } catch (error) {
    if (!SAFE.has(request.method)) {
      const projectRef = await services.deployments.projectOf(name).catch(() => undefined);
      const project = projectRef ? await resolveProject(services.store, projectRef).catch(() => undefined) : undefined;
      const draft = { action: auditAction, project_id: project?.id ?? null, target_ids: (project ? { project: project.id } : {}) as Record<string, string>, details: { path: request.url } };
      await services.audit.recordFailure(ctx, draft, error).catch(() => undefined);
    }
    throw error;
  }
}
