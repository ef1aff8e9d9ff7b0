// Blind labelling: who may see other people's labels. Managers and reviewers (and instance
// admins) see every label; everyone else — annotators above all — sees only their own.
import type { CallContext } from '../access/principal.js';
import type { ProjectAccess } from '../access/authorize.js';
import { roleAllows, tokenRoleAllows } from '../access/permissions.js';
import type { ProjectAction } from '../../domain/actions.js';

const SEES_ALL: ProjectAction[] = ['labelling.manage', 'labelling.review'];

/** Whether the caller may see every annotator's labels (and the resolved ones) in this project. */
export function seesAllLabels(ctx: CallContext, access: ProjectAccess): boolean {
  const p = ctx.principal;
  const tokenRole = p.via === 'token' ? p.token?.role : undefined;
  const admin = p.user.is_admin && (p.via !== 'token' || tokenRole === 'admin');
  const byRole = admin || (access.role !== null && SEES_ALL.some((a) => roleAllows(access.role!, a)));
  const byToken = tokenRole === undefined || SEES_ALL.some((a) => tokenRoleAllows(tokenRole, a));
  return byRole && byToken;
}
