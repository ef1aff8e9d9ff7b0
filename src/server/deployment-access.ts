// Authorize a call on a serving URL (`/api/v1/deployments/:deployment/...`): the path names no
// project, so the deployment's project is found first and the action checked there. Callers
// who may not see that project learn nothing: they get "deployment not found". The serving hot
// path uses the cached variant.
import type { ProjectAction } from '../domain/actions.js';
import { NotFoundError } from '../domain/errors.js';
import { authorizeProject, type Principal, type ProjectAccess, type Services } from '../services/index.js';

/** A key telling principals apart: the user, and the token or the kind of sign-in they came with. */
function principalKey(p: Principal): string {
  return `${p.user.id}:${p.via}:${p.token?.id ?? ''}`;
}

export async function authorizeDeployment(services: Services, principal: Principal, action: ProjectAction, name: string): Promise<ProjectAccess> {
  const projectId = await services.deployments.projectOf(name);
  try {
    return await authorizeProject(services.store, principal, action, projectId);
  } catch (err) {
    if (err instanceof NotFoundError && err.details?.what === 'project') throw new NotFoundError('deployment', name);
    throw err;
  }
}

/**
 * The same check through the access cache: a granted access is reused for a couple of seconds
 * (until anything that changes access commits in this process); refusals are never cached.
 */
export function authorizeDeploymentCached(services: Services, principal: Principal, action: ProjectAction, name: string): Promise<ProjectAccess> {
  return services.accessCache.get(`deployment:${principalKey(principal)}:${action}:${name}`, () => authorizeDeployment(services, principal, action, name));
}

/** A project action through the access cache, as authorizeDeploymentCached (hot contract routes: `cachedAccess`). */
export function authorizeProjectCached(services: Services, principal: Principal, action: ProjectAction, project: string): Promise<ProjectAccess> {
  return services.accessCache.get(`project:${principalKey(principal)}:${action}:${project}`, () => authorizeProject(services.store, principal, action, project));
}
