// The shapes services hand out: entities without their secrets.
import type { User, UserWithSecret } from '../../domain/entities.js';

/** A user without the password hash. */
export function publicUser(u: User | UserWithSecret): User {
  return {
    id: u.id,
    username: u.username,
    display_name: u.display_name,
    is_admin: u.is_admin,
    disabled: u.disabled,
    created_at: u.created_at,
  };
}
