// Run one operation: all of its writes and its audit event in one transaction, or none of them.
// A failed operation is still audited (outcome denied or failed) in a transaction of its own.
import type { Repositories, MetadataStore } from '../domain/ports/metadata-store.js';
import type { CallContext } from './access/principal.js';
import type { AuditDraft, AuditService } from './audit/audit.service.js';

/** Told the action of every operation once its transaction committed (e.g. to drop cached permissions). */
export type CommitListener = (action: string) => void;

export class OperationRunner {
  private readonly commitListeners: CommitListener[] = [];

  constructor(
    private readonly store: MetadataStore,
    private readonly audit: AuditService,
  ) {}

  /** Call `listener` after each committed operation with its action (e.g. `token.revoke`). */
  onCommit(listener: CommitListener): void {
    this.commitListeners.push(listener);
  }

  /**
   * `fn` gets the transaction's repositories and the audit draft, which it may enrich (ids of
   * what it created, details). Example:
   *   ops.run(ctx, { action: 'project.create' }, async (tx, ev) => { ...; ev.target_ids = { project: id } })
   */
  async run<T>(ctx: CallContext | null, draft: AuditDraft, fn: (tx: Repositories, ev: AuditDraft) => Promise<T>): Promise<T> {
    const ev: AuditDraft = { ...draft, target_ids: { ...draft.target_ids }, details: { ...draft.details } };
    let result: T;
    try {
      result = await this.store.transaction(async (tx) => {
        const out = await fn(tx, ev);
        await this.audit.record(tx, ctx, ev, 'success');
        return out;
      });
    } catch (error) {
      await this.audit.recordFailure(ctx, ev, error).catch(() => undefined);
      if (ctx) ctx.audited = true;
      throw error;
    }
    for (const listener of this.commitListeners) listener(ev.action);
    return result;
  }
}
