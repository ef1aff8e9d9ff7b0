// Authorize a call on a serving URL (`/api/v1/deployments/:deployment/...`): the path names no
// project, so the deployment's project is found first and the action checked there. Callers
// who may not see that project learn nothing: they get "deployment not found".
import type { ProjectAction } from '../domain/actions.js';
import { NotFoundError } from '../domain/errors.js';
import { authorizeProject, type Principal, type ProjectAccess, type Services } from '../services/index.js';

export async function authorizeDeployment(services: Services, principal: Principal, action: ProjectAction, name: string): Promise<ProjectAccess> {
  const projectId = await services.deployments.projectOf(name);
  try {
    return await authorizeProject(services.store, principal, action, projectId);
  } catch (err) {
    if (err instanceof NotFoundError && err.details?.what === 'project') throw new NotFoundError('deployment', name);
    throw err;
  }
}
