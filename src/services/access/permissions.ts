// The one permission matrix: which project role may do which action. Instance admins may do
// everything; tokens are further capped by their own role (see authorize.ts).
import type { ProjectAction } from '../../domain/actions.js';
import { PROJECT_ACTIONS } from '../../domain/actions.js';
import type { ProjectRole, TokenRole } from '../../domain/roles.js';

const READ: ProjectAction[] = [
  'project.read',
  'member.read',
  'dataset.read',
  'labelling.read',
  'experiment.read',
  'model.read',
  'deployment.read',
  'monitor.read',
  'pipeline.read',
  'job.read',
];

export const ROLE_ACTIONS: Record<ProjectRole, ReadonlySet<ProjectAction>> = {
  owner: new Set(PROJECT_ACTIONS),
  'data-scientist': new Set<ProjectAction>([
    ...READ,
    'job.cancel',
    'secret.read',
    'dataset.write',
    'labelling.manage',
    // Data scientists label too (small sets, spot checks of their own jobs), as in Prodigy.
    'labelling.annotate',
    'experiment.write',
    'experiment.command',
    'model.write',
    'model.validate',
    'deployment.predict',
  ]),
  ops: new Set<ProjectAction>([
    ...READ,
    'audit.read',
    'job.cancel',
    'secret.read',
    'secret.write',
    'model.promote',
    'model.validate',
    'deployment.write',
    'deployment.predict',
    'monitor.write',
    'pipeline.write',
    'policy.write',
    'approval.sign',
  ]),
  reviewer: new Set<ProjectAction>(['project.read', 'member.read', 'dataset.read', 'labelling.read', 'labelling.annotate', 'labelling.review']),
  annotator: new Set<ProjectAction>(['project.read', 'labelling.read', 'labelling.annotate']),
  viewer: new Set<ProjectAction>(READ),
};

/** Whether a project role grants an action. */
export function roleAllows(role: ProjectRole, action: ProjectAction): boolean {
  return ROLE_ACTIONS[role].has(action);
}

/** Whether a token's own role allows an action (admin tokens allow everything). */
export function tokenRoleAllows(role: TokenRole, action: ProjectAction): boolean {
  return role === 'admin' || roleAllows(role, action);
}
