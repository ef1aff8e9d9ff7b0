// Every endpoint of the API, in one registry (server routes, OpenAPI, client, matrix test).
import * as health from './health.contract.js';
import * as users from './users.contract.js';
import * as tokens from './tokens.contract.js';
import * as projects from './projects.contract.js';
import * as audit from './audit.contract.js';
import * as jobs from './jobs.contract.js';
import * as secrets from './secrets.contract.js';
import type { Endpoint } from './endpoint.js';

export const api = {
  health: health.health,
  login: users.login,
  logout: users.logout,
  me: users.me,
  changePassword: users.changePassword,
  listUsers: users.listUsers,
  createUser: users.createUser,
  updateUser: users.updateUser,
  resetPassword: users.resetPassword,
  listTokens: tokens.listTokens,
  createToken: tokens.createToken,
  revokeToken: tokens.revokeToken,
  listProjects: projects.listProjects,
  createProject: projects.createProject,
  getProject: projects.getProject,
  updateProject: projects.updateProject,
  listMembers: projects.listMembers,
  putMember: projects.putMember,
  removeMember: projects.removeMember,
  listProjectAudit: audit.listProjectAudit,
  listAudit: audit.listAudit,
  verifyAudit: audit.verifyAudit,
  listJobs: jobs.listJobs,
  getJob: jobs.getJob,
  cancelJob: jobs.cancelJob,
  listSecrets: secrets.listSecrets,
  putSecret: secrets.putSecret,
  deleteSecret: secrets.deleteSecret,
} as const;

export type Api = typeof api;
export const endpoints: Endpoint[] = Object.values(api) as Endpoint[];

export * from './endpoint.js';
export * from './common.js';
export { Health } from './health.contract.js';
export { UserView } from './users.contract.js';
export { TokenView } from './tokens.contract.js';
export { ProjectView, MemberView } from './projects.contract.js';
export { AuditEventView, AuditVerification } from './audit.contract.js';
export { JobView } from './jobs.contract.js';
export { SecretView } from './secrets.contract.js';
