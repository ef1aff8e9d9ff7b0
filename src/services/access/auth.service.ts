// Sign-in, sessions and API-token authentication. Secrets are compared by hash only.
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import type { Session } from '../../domain/entities.js';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { AuditService } from '../audit/audit.service.js';
import { hashPassword, verifyPassword } from '../secrets/passwords.js';
import { generateToken, sha256Hex } from '../secrets/tokens.js';
import type { OperationRunner } from '../operation.js';
import type { CallContext, Principal } from './principal.js';
import { publicUser } from './views.js';

export interface AuthOptions {
  /** Idle time after which a session expires (default 12 h). */
  sessionIdleMs: number;
}

/** Don't write last-seen / last-used more often than this. */
const TOUCH_EVERY_MS = 60_000;

export class AuthService {
  constructor(
    private readonly store: MetadataStore,
    private readonly audit: AuditService,
    private readonly ops: OperationRunner,
    private readonly clock: Clock,
    private readonly options: AuthOptions = { sessionIdleMs: 12 * 3600_000 },
  ) {}

  /** Check a password and open a session; the raw session and CSRF tokens are returned once. */
  async login(username: string, password: string, requestId?: string) {
    const user = await this.store.users.getByUsername(username);
    const ok = user !== undefined && !user.disabled && (await verifyPassword(password, user.password_hash));
    if (!user || !ok) {
      const error = new UnauthorizedError('wrong username or password');
      await this.audit.recordFailure(null, { action: 'auth.login', details: { username } , target_ids: user ? { user: user.id } : {} }, error);
      throw error;
    }
    const now = this.clock.now();
    const sessionToken = generateToken('fws');
    const csrfToken = generateToken('csrf');
    const session: Session = {
      id: newId(),
      user_id: user.id,
      token_hash: sha256Hex(sessionToken),
      csrf_hash: sha256Hex(csrfToken),
      created_at: now,
      last_seen_at: now,
      expires_at: now + this.options.sessionIdleMs,
    };
    const principal: Principal = { user: publicUser(user), via: 'session' };
    await this.ops.run({ principal, requestId }, { action: 'auth.login', target_ids: { user: user.id } }, async (tx) => {
      await tx.sessions.create(session);
    });
    return { user: publicUser(user), session, sessionToken, csrfToken };
  }

  async logout(ctx: CallContext, sessionId: string): Promise<void> {
    await this.ops.run(ctx, { action: 'auth.logout', target_ids: { user: ctx.principal.user.id } }, (tx) => tx.sessions.delete(sessionId));
  }

  /** The principal behind a session cookie; UnauthorizedError when unknown or expired. */
  async authenticateSession(rawToken: string): Promise<{ principal: Principal; session: Session }> {
    const session = await this.store.sessions.getByTokenHash(sha256Hex(rawToken));
    const now = this.clock.now();
    if (!session) throw new UnauthorizedError('your session is not valid: sign in again');
    if (session.expires_at <= now) {
      await this.store.sessions.delete(session.id);
      throw new UnauthorizedError('your session has expired: sign in again', { reason: 'session_expired' });
    }
    const user = await this.store.users.getById(session.user_id);
    if (!user || user.disabled) throw new UnauthorizedError('this account is disabled');
    if (now - session.last_seen_at > TOUCH_EVERY_MS) {
      await this.store.sessions.touch(session.id, now, now + this.options.sessionIdleMs);
    }
    return { principal: { user: publicUser(user), via: 'session' }, session };
  }

  /** Mutations from a browser session must echo the CSRF token (header x-csrf-token). */
  checkCsrf(session: Session, header: string | undefined): void {
    const expected = Buffer.from(session.csrf_hash, 'hex');
    const given = Buffer.from(sha256Hex(header ?? ''), 'hex');
    if (!header || !timingSafeEqual(expected, given)) {
      throw new ForbiddenError('missing or wrong CSRF token (send the x-csrf-token header)', { reason: 'csrf' });
    }
  }

  /** The principal behind a bearer token; UnauthorizedError when unknown, expired or revoked. */
  async authenticateToken(raw: string): Promise<Principal> {
    const token = await this.store.tokens.getByHash(sha256Hex(raw));
    const now = this.clock.now();
    if (!token) throw new UnauthorizedError('the API token is not valid');
    if (token.revoked_at !== null) throw new UnauthorizedError('the API token was revoked', { reason: 'token_revoked' });
    if (token.expires_at !== null && token.expires_at <= now) {
      throw new UnauthorizedError('the API token has expired', { reason: 'token_expired' });
    }
    const user = await this.store.users.getById(token.user_id);
    if (!user || user.disabled) throw new UnauthorizedError('the API token belongs to a disabled account');
    if (token.last_used_at === null || now - token.last_used_at > TOUCH_EVERY_MS) await this.store.tokens.markUsed(token.id, now);
    return { user: publicUser(user), via: 'token', token };
  }

  /** Delete sessions past their expiry (a maintenance task). */
  purgeExpired(): Promise<number> {
    return this.store.sessions.deleteExpired(this.clock.now());
  }

  /** Change the caller's password; every session of theirs ends (they sign in again). */
  async changePassword(ctx: CallContext, current: string, next: string): Promise<void> {
    const user = await this.store.users.getById(ctx.principal.user.id);
    if (!user || !(await verifyPassword(current, user.password_hash))) {
      const error = new ForbiddenError('the current password is wrong', { field: 'body.current_password' });
      await this.audit.recordFailure(ctx, { action: 'auth.password', target_ids: { user: ctx.principal.user.id } }, error);
      throw error;
    }
    const hash = await hashPassword(next);
    await this.ops.run(ctx, { action: 'auth.password', target_ids: { user: user.id } }, async (tx) => {
      await tx.users.setPasswordHash(user.id, hash);
      await tx.sessions.deleteForUser(user.id);
    });
  }
}
