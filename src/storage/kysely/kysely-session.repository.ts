// UI sessions on Kysely: looked up by the hash of the cookie token, swept when expired.
import type { Kysely, Selectable } from 'kysely';
import type { Session } from '../../domain/entities.js';
import type { SessionRepository } from '../../domain/ports/metadata-store.js';
import { toNum } from './row-values.js';
import type { Database, SessionsTable } from './schema.js';
import { conflictsAs } from './unique-violation.js';

const toSession = (r: Selectable<SessionsTable>): Session => ({
  id: r.id,
  user_id: r.user_id,
  token_hash: r.token_hash,
  csrf_hash: r.csrf_hash,
  created_at: toNum(r.created_at),
  last_seen_at: toNum(r.last_seen_at),
  expires_at: toNum(r.expires_at),
});

export class KyselySessionRepository implements SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(session: Session): Promise<void> {
    await conflictsAs(() => this.db.insertInto('sessions').values(session).execute(), {
      token_hash: 'a session with this token_hash already exists',
      id: `a session with id '${session.id}' already exists`,
    });
  }

  async getByTokenHash(tokenHash: string): Promise<Session | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && toSession(row);
  }

  async touch(id: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteForUser(userId: string): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Delete sessions whose `expires_at` is at or before `now`. */
  async deleteExpired(now: number): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
