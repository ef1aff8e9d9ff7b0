// Application-made identifiers: UUIDv7 strings (time-ordered, so they sort by creation).
import { v7 } from 'uuid';

/** A new UUIDv7, e.g. `01a2216e-ee7f-740a-a380-b533f52db9c9`. */
export function newId(): string {
  return v7();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isId(value: string): boolean {
  return UUID_RE.test(value);
}
