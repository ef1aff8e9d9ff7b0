// The people of an outside provider (a contractor, a crowd, another tool) in a project: each
// stands for a disabled placeholder user (no password; cannot sign in) under which their
// imported labels are recorded. Cached per import, inside its transaction.
import { newId } from '../../domain/ids.js';
import type { Repositories } from '../../domain/ports/metadata-store.js';

export class OutsideAnnotators {
  private readonly users = new Map<string, string>();

  constructor(
    private readonly tx: Repositories,
    private readonly projectId: string,
    private readonly provider: string,
    private readonly now: number,
  ) {}

  /** The placeholder user standing for annotator `external` of this provider (made on first sight). */
  async userFor(external: string): Promise<string> {
    const cached = this.users.get(external);
    if (cached) return cached;
    const known = await this.tx.annotationExchange.getAnnotator(this.projectId, this.provider, external);
    let userId = known?.user_id;
    if (!userId) {
      userId = newId();
      const username = `${`${this.provider}/${external}`.slice(0, 50)}~${userId.slice(-8)}`;
      await this.tx.users.create({ id: userId, username, display_name: `${external} (${this.provider})`.slice(0, 200), password_hash: '!', is_admin: false, disabled: true, created_at: this.now });
      await this.tx.annotationExchange.createAnnotator({ id: newId(), project_id: this.projectId, provider: this.provider, external_id: external, user_id: userId, created_at: this.now });
    }
    this.users.set(external, userId);
    return userId;
  }
}
