// Users on Kysely: accounts with their password hash; is_admin/disabled are 0/1 in the database.
import type { Kysely, Selectable } from 'kysely';
import type { User, UserWithSecret } from '../../domain/entities.js';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';
import type { UserRepository } from '../../domain/ports/metadata-store.js';
import { cursorKey, toPage } from './cursor.js';
import { toBool, toFlag, toNum } from './row-values.js';
import type { Database, UsersTable } from './schema.js';
import { conflictsAs } from './unique-violation.js';

const USER_COLUMNS = ['id', 'username', 'display_name', 'is_admin', 'disabled', 'created_at'] as const;

function toUser(r: Omit<Selectable<UsersTable>, 'password_hash'>): User {
  return {
    id: r.id,
    username: r.username,
    display_name: r.display_name,
    is_admin: toBool(r.is_admin),
    disabled: toBool(r.disabled),
    created_at: toNum(r.created_at),
  };
}

const toUserWithSecret = (r: Selectable<UsersTable>): UserWithSecret => ({ ...toUser(r), password_hash: r.password_hash });

export class KyselyUserRepository implements UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(user: UserWithSecret): Promise<User> {
    await conflictsAs(
      () =>
        this.db
          .insertInto('users')
          .values({ ...user, is_admin: toFlag(user.is_admin), disabled: toFlag(user.disabled) })
          .execute(),
      { username: `a user named '${user.username}' already exists`, id: `a user with id '${user.id}' already exists` },
    );
    return toUser({ ...user, is_admin: toFlag(user.is_admin), disabled: toFlag(user.disabled) });
  }

  async getById(id: string): Promise<UserWithSecret | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUserWithSecret(row);
  }

  async getByUsername(username: string): Promise<UserWithSecret | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row && toUserWithSecret(row);
  }

  async list(page: PageRequest): Promise<Page<User>> {
    const limit = pageLimit(page.limit);
    const after = cursorKey(page);
    const rows = await this.db
      .selectFrom('users')
      .select(USER_COLUMNS)
      .$if(after !== undefined, (q) => q.where('id', '>', after!))
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    return toPage(rows.map(toUser), limit, (u) => u.id);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }

  async update(id: string, patch: Partial<Pick<User, 'display_name' | 'is_admin' | 'disabled'>>): Promise<void> {
    const set: Partial<Pick<UsersTable, 'display_name' | 'is_admin' | 'disabled'>> = {};
    if (patch.display_name !== undefined) set.display_name = patch.display_name;
    if (patch.is_admin !== undefined) set.is_admin = toFlag(patch.is_admin);
    if (patch.disabled !== undefined) set.disabled = toFlag(patch.disabled);
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('users').set(set).where('id', '=', id).execute();
  }
}
