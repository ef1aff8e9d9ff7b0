// Who is calling: a user, and how they proved it (session cookie, API token, or the local CLI).
import type { ApiToken, User } from '../../domain/entities.js';

export interface Principal {
  user: User;
  via: 'session' | 'token' | 'local' | 'job';
  token?: ApiToken;
}

/** What every service call carries: the caller and the request it belongs to. */
export interface CallContext {
  principal: Principal;
  requestId?: string;
  /** Set once the operation's audit event is written, so a failure is not recorded twice. */
  audited?: boolean;
}

/** Name shown in audit events, e.g. `ann` or `ann (token ci-bot)`. */
export function actorName(p: Principal): string {
  if (p.via === 'token' && p.token) return `${p.user.username} (token ${p.token.name})`;
  if (p.via === 'local') return `${p.user.username} (local cli)`;
  if (p.via === 'job') return `${p.user.username} (background job)`;
  return p.user.username;
}
