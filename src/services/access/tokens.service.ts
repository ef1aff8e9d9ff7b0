// API tokens: created for a user with a role (and optionally one project), shown once, stored
// as a sha256 hash, optionally expiring, revocable.
import type { Clock } from '../../domain/clock.js';
import type { ApiToken } from '../../domain/entities.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { TokenRole } from '../../domain/roles.js';
import { generateToken, sha256Hex } from '../secrets/tokens.js';
import type { OperationRunner } from '../operation.js';
import { resolveProject } from './authorize.js';
import type { CallContext } from './principal.js';

export interface TokenInfo {
  id: string;
  name: string;
  username: string;
  role: TokenRole;
  project: string | null;
  prefix: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface NewToken {
  name: string;
  role: TokenRole;
  /** Another user's name (admins only); the caller by default. */
  user?: string;
  project?: string;
  expires_in_days?: number;
}

const DAY_MS = 86_400_000;

export class TokensService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
  ) {}

  async create(ctx: CallContext, input: NewToken): Promise<{ token: TokenInfo; secret: string }> {
    const caller = ctx.principal;
    const callerIsAdmin = caller.user.is_admin && (caller.via !== 'token' || caller.token?.role === 'admin');
    const owner = input.user ? await this.store.users.getByUsername(input.user) : await this.store.users.getById(caller.user.id);
    if (!owner) throw new NotFoundError('user', input.user ?? caller.user.username);
    if (owner.id !== caller.user.id && !callerIsAdmin) throw new ForbiddenError('only an admin may create tokens for another user', { field: 'body.user' });
    if (input.role === 'admin' && !owner.is_admin) {
      throw new ForbiddenError(`'${owner.username}' is not an admin, so a token with role 'admin' is not allowed`, { field: 'body.role' });
    }
    if (caller.via === 'token' && caller.token && caller.token.role !== 'admin') {
      throw new ForbiddenError('only an admin token may create tokens', { field: 'body.role' });
    }
    let projectId: string | null = null;
    let projectName: string | null = null;
    if (input.project) {
      const project = await resolveProject(this.store, input.project);
      const member = await this.store.members.get(project.id, owner.id);
      if (!member && !owner.is_admin) {
        throw new ForbiddenError(`'${owner.username}' is not a member of project '${project.name}'`, { field: 'body.project' });
      }
      projectId = project.id;
      projectName = project.name;
    }
    const secret = generateToken('fwt');
    const now = this.clock.now();
    const token: ApiToken = {
      id: newId(),
      user_id: owner.id,
      name: input.name,
      role: input.role,
      project_id: projectId,
      token_hash: sha256Hex(secret),
      prefix: secret.slice(0, 10),
      created_at: now,
      expires_at: input.expires_in_days ? now + input.expires_in_days * DAY_MS : null,
      revoked_at: null,
      last_used_at: null,
    };
    const draft = { action: 'token.create', project_id: projectId, target_ids: { token: token.id, user: owner.id }, details: { name: input.name, role: input.role } };
    await this.ops.run(ctx, draft, (tx) => tx.tokens.create(token));
    return { token: this.info(token, owner.username, projectName), secret };
  }

  async list(ctx: CallContext, page: PageRequest): Promise<Page<TokenInfo>> {
    const result = await this.store.tokens.listForUser(ctx.principal.user.id, page);
    const names = new Map<string, string | null>();
    for (const t of result.items) {
      if (t.project_id && !names.has(t.project_id)) names.set(t.project_id, (await this.store.projects.getById(t.project_id))?.name ?? null);
    }
    return {
      items: result.items.map((t) => this.info(t, ctx.principal.user.username, t.project_id ? names.get(t.project_id) ?? null : null)),
      next_cursor: result.next_cursor,
    };
  }

  async revoke(ctx: CallContext, id: string): Promise<void> {
    const token = await this.store.tokens.getById(id);
    const callerIsAdmin = ctx.principal.user.is_admin && (ctx.principal.via !== 'token' || ctx.principal.token?.role === 'admin');
    if (!token || (token.user_id !== ctx.principal.user.id && !callerIsAdmin)) throw new NotFoundError('token', id);
    await this.ops.run(ctx, { action: 'token.revoke', project_id: token.project_id, target_ids: { token: id, user: token.user_id } }, (tx) =>
      tx.tokens.revoke(id, this.clock.now()),
    );
  }

  private info(t: ApiToken, username: string, project: string | null): TokenInfo {
    return {
      id: t.id,
      name: t.name,
      username,
      role: t.role,
      project,
      prefix: t.prefix,
      created_at: t.created_at,
      expires_at: t.expires_at,
      revoked_at: t.revoked_at,
      last_used_at: t.last_used_at,
    };
  }
}
