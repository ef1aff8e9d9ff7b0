// Roles of DESIGN.md: an instance-level admin, and one role per member in each project.

export const PROJECT_ROLES = ['owner', 'data-scientist', 'ops', 'reviewer', 'annotator', 'viewer'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** Roles a token may carry: a project role, or the instance admin. */
export const TOKEN_ROLES = ['admin', ...PROJECT_ROLES] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export function isProjectRole(value: string): value is ProjectRole {
  return (PROJECT_ROLES as readonly string[]).includes(value);
}
