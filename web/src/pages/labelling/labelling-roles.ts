// What the UI offers each project role in labelling. Display only: the server's permission
// matrix (src/services/access/permissions.ts) decides, and the UI shows its refusals.
import type { ProjectView } from '../../../../src/contracts/index.js';

const MANAGE = new Set(['owner', 'data-scientist']);
const ANNOTATE = new Set(['owner', 'data-scientist', 'reviewer', 'annotator']);

/** May create jobs, add tasks and see everyone's labels (owners, data scientists, admins). */
export function canManage(project: ProjectView, isAdmin: boolean): boolean {
  return isAdmin || MANAGE.has(project.my_role ?? '');
}

/** Sees every annotator's labels and the resolved ones (managers, reviewers, admins). */
export function seesAllLabels(project: ProjectView, isAdmin: boolean): boolean {
  return isAdmin || MANAGE.has(project.my_role ?? '') || project.my_role === 'reviewer';
}

/** May pull tasks from the queue and label them. */
export function canAnnotate(project: ProjectView, isAdmin: boolean): boolean {
  return isAdmin || ANNOTATE.has(project.my_role ?? '');
}
