// Users of the instance: the first admin, creation by admins, password resets.
import type { Clock } from '../../domain/clock.js';
import type { User } from '../../domain/entities.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { NAME_PATTERN, NAME_RULE } from '../../domain/names.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import { generatePassword, hashPassword } from '../secrets/passwords.js';
import type { OperationRunner } from '../operation.js';
import type { CallContext } from './principal.js';
import { publicUser } from './views.js';

export interface NewUser {
  username: string;
  display_name?: string;
  is_admin?: boolean;
  password?: string;
}

export class UsersService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * On an empty instance, create the admin with a generated password and return it (shown once).
   * Answers null when users already exist.
   */
  async bootstrapAdmin(username = 'admin'): Promise<{ user: User; password: string } | null> {
    if ((await this.store.users.count()) > 0) return null;
    const password = generatePassword();
    const user = await this.insert(this.store, { username, display_name: 'Administrator', is_admin: true }, password);
    return { user, password };
  }

  async create(ctx: CallContext, input: NewUser): Promise<{ user: User; password: string | null }> {
    const generated = input.password ? null : generatePassword();
    const hash = await hashPassword(input.password ?? generated!);
    const user = await this.ops.run(ctx, { action: 'user.create', details: { username: input.username } }, async (tx, ev) => {
      const u = await this.insertHashed(tx, input, hash);
      ev.target_ids = { user: u.id };
      return u;
    });
    return { user, password: generated };
  }

  list(page: PageRequest): Promise<Page<User>> {
    return this.store.users.list(page);
  }

  async get(username: string): Promise<User> {
    const u = await this.store.users.getByUsername(username);
    if (!u) throw new NotFoundError('user', username);
    return publicUser(u);
  }

  async update(ctx: CallContext, username: string, patch: { display_name?: string; is_admin?: boolean; disabled?: boolean }): Promise<User> {
    const user = await this.get(username);
    if (user.id === ctx.principal.user.id && (patch.is_admin === false || patch.disabled === true)) {
      throw new ValidationError('you cannot remove your own admin role or disable yourself', { field: 'body' });
    }
    return this.ops.run(ctx, { action: 'user.update', target_ids: { user: user.id }, details: { ...patch } }, async (tx) => {
      await tx.users.update(user.id, patch);
      if (patch.disabled) await tx.sessions.deleteForUser(user.id);
      return { ...user, ...patch };
    });
  }

  /** A new generated password (shown once); the user's sessions end. */
  async resetPassword(ctx: CallContext | null, username: string): Promise<{ user: User; password: string }> {
    const user = await this.get(username);
    const password = generatePassword();
    const hash = await hashPassword(password);
    await this.ops.run(ctx, { action: 'user.reset-password', target_ids: { user: user.id } }, async (tx) => {
      await tx.users.setPasswordHash(user.id, hash);
      await tx.sessions.deleteForUser(user.id);
    });
    return { user, password };
  }

  private async insert(repos: Repositories, input: NewUser, password: string): Promise<User> {
    return this.insertHashed(repos, input, await hashPassword(password));
  }

  private async insertHashed(repos: Repositories, input: NewUser, passwordHash: string): Promise<User> {
    if (!NAME_PATTERN.test(input.username)) throw new ValidationError(`username ${NAME_RULE}`, { field: 'username' });
    return repos.users.create({
      id: newId(),
      username: input.username,
      display_name: input.display_name?.trim() || input.username,
      is_admin: input.is_admin ?? false,
      disabled: false,
      created_at: this.clock.now(),
      password_hash: passwordHash,
    });
  }
}
