// The audit log on Kysely: an instance-wide hash chain whose head row (audit_head, id 1) is
// locked while appending, so concurrent appenders get consecutive seqs and an unbroken chain.
import type { Kysely, Selectable } from 'kysely';
import type { AuditEvent, AuditOutcome, NewAuditEvent } from '../../domain/entities.js';
import { newId } from '../../domain/ids.js';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';
import type { AuditRepository } from '../../domain/ports/metadata-store.js';
import type { Dialect } from './connect.js';
import { cursorSeq, toPage } from './cursor.js';
import { toNum } from './row-values.js';
import type { AuditEventsTable, Database } from './schema.js';

const toEvent = (r: Selectable<AuditEventsTable>): AuditEvent => ({
  id: r.id,
  seq: toNum(r.seq),
  project_id: r.project_id,
  actor_id: r.actor_id,
  actor_name: r.actor_name,
  action: r.action,
  target_ids: JSON.parse(r.target_ids) as Record<string, string>,
  outcome: r.outcome as AuditOutcome,
  details: JSON.parse(r.details) as Record<string, unknown>,
  request_id: r.request_id,
  at: toNum(r.at),
  prev_hash: r.prev_hash,
  hash: r.hash,
});

export class KyselyAuditRepository implements AuditRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async append(event: NewAuditEvent, hashOf: (e: Omit<AuditEvent, 'hash'>) => string): Promise<AuditEvent> {
    if (this.db.isTransaction) return this.appendIn(this.db, event, hashOf);
    return this.db.transaction().execute((trx) => this.appendIn(trx, event, hashOf));
  }

  private async appendIn(trx: Kysely<Database>, event: NewAuditEvent, hashOf: (e: Omit<AuditEvent, 'hash'>) => string): Promise<AuditEvent> {
    if (this.dialect === 'sqlite') {
      // Take SQLite's write lock before reading the head: another connection (a worker process)
      // could otherwise append between our read and our write.
      await trx.updateTable('audit_head').set((eb) => ({ seq: eb.ref('seq') })).where('id', '=', 1).execute();
    }
    const head = await trx
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .$if(this.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    const unhashed: Omit<AuditEvent, 'hash'> = { ...event, id: newId(), seq: toNum(head.seq) + 1, prev_hash: head.hash };
    const appended: AuditEvent = { ...unhashed, hash: hashOf(unhashed) };
    await trx
      .insertInto('audit_events')
      .values({ ...appended, target_ids: JSON.stringify(appended.target_ids), details: JSON.stringify(appended.details) })
      .execute();
    await trx.updateTable('audit_head').set({ seq: appended.seq, hash: appended.hash }).where('id', '=', 1).execute();
    return appended;
  }

  async list(page: PageRequest, filter: { projectId?: string | null }): Promise<Page<AuditEvent>> {
    const limit = pageLimit(page.limit);
    const before = cursorSeq(page);
    const { projectId } = filter;
    const rows = await this.db
      .selectFrom('audit_events')
      .selectAll()
      .$if(projectId === null, (q) => q.where('project_id', 'is', null))
      .$if(typeof projectId === 'string', (q) => q.where('project_id', '=', projectId!))
      .$if(before !== undefined, (q) => q.where('seq', '<', before!))
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    return toPage(rows.map(toEvent), limit, (e) => e.seq);
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const row = await this.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    return { seq: toNum(row.seq), hash: row.hash };
  }

  async scan(afterSeq: number, limit: number): Promise<AuditEvent[]> {
    const rows = await this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toEvent);
  }
}
