// The audit log and its verification.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const auditEndpoints = { listProjectAudit: api.listProjectAudit, listAudit: api.listAudit, verifyAudit: api.verifyAudit };

export function auditHandlers({ services }: RouteDeps): Handlers<typeof auditEndpoints> {
  return {
    listProjectAudit: async ({ access, query }) => services.audit.list(query, access.project.id),
    listAudit: async ({ query }) => services.audit.list(query),
    verifyAudit: async () => services.audit.verify(),
  };
}
