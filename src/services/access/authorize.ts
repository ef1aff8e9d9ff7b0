// Decide whether a principal may perform an action, instance-wide or in a project. Every route
// goes through here (the server derives the action from the endpoint's contract).
import type { Action, InstanceAction, ProjectAction } from '../../domain/actions.js';
import { INSTANCE_ACTIONS, PROJECT_ACTIONS } from '../../domain/actions.js';
import type { Project } from '../../domain/entities.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { isId } from '../../domain/ids.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import type { ProjectRole } from '../../domain/roles.js';
import { roleAllows, tokenRoleAllows } from './permissions.js';
import type { Principal } from './principal.js';

export interface ProjectAccess {
  project: Project;
  /** The caller's membership role; null for an instance admin who is not a member. */
  role: ProjectRole | null;
}

export function isInstanceAction(action: Action): action is InstanceAction {
  return (INSTANCE_ACTIONS as readonly string[]).includes(action);
}

/** Find a project by name or id; NotFoundError otherwise. */
export async function resolveProject(repos: Repositories, ref: string): Promise<Project> {
  const project = (await repos.projects.getByName(ref)) ?? (isId(ref) ? await repos.projects.getById(ref) : undefined);
  if (!project) throw new NotFoundError('project', ref);
  return project;
}

function actsAsAdmin(p: Principal): boolean {
  return p.user.is_admin && (p.via !== 'token' || p.token?.role === 'admin');
}

export function authorizeInstance(p: Principal, action: InstanceAction): void {
  if (action === 'instance.admin') {
    if (!actsAsAdmin(p)) throw new ForbiddenError('this needs the instance admin role', { action });
    return;
  }
  // project.create: any signed-in user, but a token only when it is not limited to one project.
  if (p.via === 'token' && p.token && p.token.project_id !== null) {
    throw new ForbiddenError('a token limited to one project cannot create projects', { action });
  }
  if (p.via === 'token' && p.token && !['admin', 'owner'].includes(p.token.role)) {
    throw new ForbiddenError(`a token with role '${p.token.role}' cannot create projects`, { action });
  }
}

export async function authorizeProject(
  store: MetadataStore,
  p: Principal,
  action: ProjectAction,
  projectRef: string,
): Promise<ProjectAccess> {
  const project = await resolveProject(store, projectRef);
  const member = await store.members.get(project.id, p.user.id);
  const role = member?.role ?? null;
  const admin = actsAsAdmin(p);
  // Non-members do not learn that the project exists.
  if (!admin && !role) throw new NotFoundError('project', projectRef);
  if (p.via === 'token' && p.token) {
    if (p.token.project_id !== null && p.token.project_id !== project.id) {
      throw new ForbiddenError('this token is limited to another project', { action, project: project.name });
    }
    if (!tokenRoleAllows(p.token.role, action)) {
      throw new ForbiddenError(`a token with role '${p.token.role}' may not ${action}`, { action, role: p.token.role });
    }
  }
  if (!admin && !roleAllows(role!, action)) {
    throw new ForbiddenError(`role '${role}' may not ${action} in project '${project.name}'`, { action, role });
  }
  return { project, role };
}

/** Every project action the principal may perform with this membership role (the UI shows only these). */
export function allowedActions(p: Principal, role: ProjectRole | null): ProjectAction[] {
  const admin = actsAsAdmin(p);
  return PROJECT_ACTIONS.filter(
    (a) => (admin || (role !== null && roleAllows(role, a))) && !(p.via === 'token' && p.token && !tokenRoleAllows(p.token.role, a)),
  );
}
