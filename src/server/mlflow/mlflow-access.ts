// Who may call an MLflow endpoint: a Bearer token with a default project, allowed the action
// (experiment.read or experiment.write) there by the permission matrix. Refused writes are audited.
import type { FastifyRequest } from 'fastify';
import type { ProjectAction } from '../../domain/actions.js';
import { UnauthorizedError, ValidationError } from '../../domain/errors.js';
import type { Services } from '../../services/index.js';
import { authorizeProject, type ProjectAccess } from '../../services/access/authorize.js';
import type { CallContext } from '../../services/access/principal.js';
import { identify } from '../authenticate.js';

export interface MlflowCall {
  ctx: CallContext;
  access: ProjectAccess;
}

/** `refusedAs` names the audited action of a refused write (default: from the URL path). */
export async function mlflowAccess(services: Services, request: FastifyRequest, action: ProjectAction, refusedAs?: string): Promise<MlflowCall> {
  const caller = await identify(request, services);
  if (!caller) throw new UnauthorizedError('MLflow calls need "Authorization: Bearer <token>" (set MLFLOW_TRACKING_TOKEN)');
  const ctx: CallContext = { principal: caller.principal, requestId: request.id };
  const projectId = caller.principal.token?.project_id ?? null;
  if (caller.principal.via !== 'token' || projectId === null) {
    throw new ValidationError('MLflow calls act in the API token\'s default project: this token needs a default project (create one with a project)', { field: 'authorization' });
  }
  try {
    return { ctx, access: await authorizeProject(services.store, caller.principal, action, projectId) };
  } catch (error) {
    if (action === 'experiment.write') {
      const draft = { action: refusedAs ?? `mlflow${request.url.split('?')[0].replace(/^\/api\/2\.0\/mlflow/, '').replace(/\//g, '.')}`, project_id: projectId, target_ids: { project: projectId }, details: { path: request.url } };
      await services.audit.recordFailure(ctx, draft, error).catch(() => undefined);
    }
    throw error;
  }
}
