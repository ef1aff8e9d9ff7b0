// The audit log on Kysely: an instance-wide hash chain whose head row (audit_head, id 1) is
// locked while appending, so concurrent appenders get consecutive seqs and an unbroken chain.
// An append is the head's seq moved on (that UPDATE locks the row on PostgreSQL and takes the
// write lock on SQLite, and answers the new seq and the previous hash), then the event and the
// new hash (one statement on PostgreSQL): the head is held for two statements and the commit.
import { sql, type Kysely, type Selectable } from 'kysely';
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
    const head = (await sql<{ seq: number | string; hash: string }>`UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`.execute(trx)).rows[0];
    if (!head) throw new Error('the audit chain has no head row');
    const unhashed: Omit<AuditEvent, 'hash'> = { ...event, id: newId(), seq: toNum(head.seq), prev_hash: head.hash };
    const e: AuditEvent = { ...unhashed, hash: hashOf(unhashed) };
    const insert = sql`INSERT INTO audit_events (id, seq, project_id, actor_id, actor_name, action, target_ids, outcome, details, request_id, at, prev_hash, hash)
      VALUES (${e.id}, ${e.seq}, ${e.project_id ?? null}, ${e.actor_id ?? null}, ${e.actor_name}, ${e.action}, ${JSON.stringify(e.target_ids)}, ${e.outcome},
        ${JSON.stringify(e.details)}, ${e.request_id ?? null}, ${e.at}, ${e.prev_hash}, ${e.hash})`;
    if (this.dialect === 'postgres') {
      await sql`WITH appended AS (${insert}) UPDATE audit_head SET hash = ${e.hash} WHERE id = 1`.execute(trx);
    } else {
      await insert.execute(trx);
      await sql`UPDATE audit_head SET hash = ${e.hash} WHERE id = 1`.execute(trx);
    }
    return e;
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
