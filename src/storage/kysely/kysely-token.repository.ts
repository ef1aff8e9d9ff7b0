// API tokens on Kysely: stored by sha256 hash, listed per user, marked used, revoked once.
import type { Kysely, Selectable } from 'kysely';
import type { ApiToken } from '../../domain/entities.js';
import { type Page, type PageRequest } from '../../domain/pagination.js';
import type { TokenRepository } from '../../domain/ports/metadata-store.js';
import type { TokenRole } from '../../domain/roles.js';
import { pageById } from './cursor.js';
import { toNum, toNumOrNull } from './row-values.js';
import type { ApiTokensTable, Database } from './schema.js';
import { conflictsAs } from './unique-violation.js';

const toToken = (r: Selectable<ApiTokensTable>): ApiToken => ({
  id: r.id,
  user_id: r.user_id,
  name: r.name,
  role: r.role as TokenRole,
  project_id: r.project_id,
  token_hash: r.token_hash,
  prefix: r.prefix,
  created_at: toNum(r.created_at),
  expires_at: toNumOrNull(r.expires_at),
  revoked_at: toNumOrNull(r.revoked_at),
  last_used_at: toNumOrNull(r.last_used_at),
});

export class KyselyTokenRepository implements TokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(token: ApiToken): Promise<void> {
    await conflictsAs(() => this.db.insertInto('api_tokens').values(token).execute(), {
      token_hash: 'a token with this token_hash already exists',
      id: `a token with id '${token.id}' already exists`,
    });
  }

  async getById(id: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toToken(row);
  }

  async getByHash(tokenHash: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && toToken(row);
  }

  async listForUser(userId: string, page: PageRequest): Promise<Page<ApiToken>> {
    return pageById(
      this.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('user_id', '=', userId),
      page,
      toToken,
      'asc',
    );
  }

  async markUsed(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  /** Revoke the token; a token already revoked keeps its first revocation time. */
  async revoke(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }
}
