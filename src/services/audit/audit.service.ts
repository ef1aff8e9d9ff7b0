// Recording and reading the audit log: one event per operation, hash-chained.
import type { AuditEvent, AuditOutcome } from '../../domain/entities.js';
import { AppError } from '../../domain/errors.js';
import type { Clock } from '../../domain/clock.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import { actorName, type CallContext } from '../access/principal.js';
import { auditHash } from './audit-hash.js';
import { verifyChain, type Verification } from './audit-verify.js';

export interface AuditDraft {
  action: string;
  project_id?: string | null;
  target_ids?: Record<string, string>;
  details?: Record<string, unknown>;
}

export class AuditService {
  constructor(
    private readonly store: MetadataStore,
    private readonly clock: Clock,
  ) {}

  /** Append an event through `repos` (pass a transaction's repositories to commit with it). */
  async record(repos: Repositories, ctx: CallContext | null, draft: AuditDraft, outcome: AuditOutcome = 'success'): Promise<AuditEvent> {
    return repos.audit.append(
      {
        project_id: draft.project_id ?? null,
        actor_id: ctx?.principal.user.id ?? null,
        actor_name: ctx ? actorName(ctx.principal) : 'system',
        action: draft.action,
        target_ids: draft.target_ids ?? {},
        outcome,
        details: draft.details ?? {},
        request_id: ctx?.requestId ?? null,
        at: this.clock.now(),
      },
      auditHash,
    );
  }

  /** Record a refused or failed operation in its own transaction (the operation's rolled back). */
  async recordFailure(ctx: CallContext | null, draft: AuditDraft, error: unknown): Promise<void> {
    const outcome: AuditOutcome =
      error instanceof AppError && (error.code === 'forbidden' || error.code === 'unauthenticated') ? 'denied' : 'failed';
    const code = error instanceof AppError ? error.code : 'internal';
    const message = error instanceof AppError && error.kind === 'user' ? error.message : 'unexpected error';
    await this.store.transaction((tx) =>
      this.record(tx, ctx, { ...draft, details: { ...draft.details, error: code, message } }, outcome),
    );
  }

  list(page: PageRequest, projectId?: string | null): Promise<Page<AuditEvent>> {
    return this.store.audit.list(page, { projectId });
  }

  verify(): Promise<Verification> {
    return verifyChain(this.store.audit);
  }
}
