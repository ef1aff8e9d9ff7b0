// Build every service from the ports: the one place services are wired together.
import { systemClock, type Clock } from '../domain/clock.js';
import type { ArtifactStore } from '../domain/ports/artifact-store.js';
import type { JobQueue } from '../domain/ports/job-queue.js';
import type { MetadataStore } from '../domain/ports/metadata-store.js';
import { AuthService } from './access/auth.service.js';
import { TokensService } from './access/tokens.service.js';
import { UsersService } from './access/users.service.js';
import { AuditService } from './audit/audit.service.js';
import { HealthService } from './health.service.js';
import { JobsService } from './jobs/jobs.service.js';
import { OperationRunner } from './operation.js';
import { ProjectsService } from './projects/projects.service.js';
import type { SecretCipher } from './secrets/secret-cipher.js';
import { SecretsService } from './secrets/secrets.service.js';

export interface ServiceDeps {
  store: MetadataStore;
  artifacts: ArtifactStore;
  jobs: JobQueue;
  cipher: SecretCipher;
  clock?: Clock;
  version: string;
  sessionIdleMs?: number;
}

export function createServices(deps: ServiceDeps) {
  const clock = deps.clock ?? systemClock;
  const audit = new AuditService(deps.store, clock);
  const ops = new OperationRunner(deps.store, audit);
  return {
    store: deps.store,
    audit,
    ops,
    auth: new AuthService(deps.store, audit, ops, clock, { sessionIdleMs: deps.sessionIdleMs ?? 12 * 3600_000 }),
    users: new UsersService(deps.store, ops, clock),
    tokens: new TokensService(deps.store, ops, clock),
    projects: new ProjectsService(deps.store, ops, clock),
    jobs: new JobsService(deps.jobs, ops),
    secrets: new SecretsService(deps.store, ops, deps.cipher, clock),
    health: new HealthService(deps.store, deps.artifacts, deps.jobs, deps.version),
  };
}

export type Services = ReturnType<typeof createServices>;

export { authorizeInstance, authorizeProject, isInstanceAction, resolveProject, type ProjectAccess } from './access/authorize.js';
export type { CallContext, Principal } from './access/principal.js';
export { ROLE_ACTIONS, roleAllows } from './access/permissions.js';
