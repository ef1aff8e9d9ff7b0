// Recognise a unique-key violation from either driver and turn it into a ConflictError.
import { ConflictError } from '../../domain/errors.js';

const SQLITE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const PG_UNIQUE_VIOLATION = '23505';

/**
 * The columns of the violated unique key, or undefined when `err` is not a unique violation.
 * better-sqlite3: "UNIQUE constraint failed: users.username"; pg: detail "Key (username)=(ann) already exists."
 */
export function uniqueViolation(err: unknown): string[] | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, message, detail } = err as { code?: unknown; message?: unknown; detail?: unknown };
  if (typeof code === 'string' && SQLITE_CODES.has(code)) {
    const m = /constraint failed: (.*)$/.exec(String(message));
    return m ? m[1].split(',').map((c) => c.trim().split('.').pop() ?? c) : [];
  }
  if (code === PG_UNIQUE_VIOLATION) {
    const m = /^Key \(([^)]*)\)=/.exec(String(detail ?? ''));
    return m ? m[1].split(',').map((c) => c.trim().replace(/"/g, '')) : [];
  }
  return undefined;
}

/**
 * Run a write; a unique violation becomes a ConflictError whose message is `messages[column]`.
 * Example: `await conflictsAs(() => insert(), { username: "a user named 'ann' already exists" })`.
 */
export async function conflictsAs<T>(write: () => Promise<T>, messages: Record<string, string>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const columns = uniqueViolation(err);
    if (!columns) throw err;
    const field = columns.find((c) => c in messages) ?? columns.join(', ');
    throw new ConflictError(messages[field] ?? `a row with this ${field || 'key'} already exists`, { field });
  }
}
