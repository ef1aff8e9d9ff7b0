// Opaque page cursors (base64url of the last item's sort key) and pages built from limit+1 rows.
import { ValidationError } from '../../domain/errors.js';
import type { Page, PageRequest } from '../../domain/pagination.js';

export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key), 'utf8').toString('base64url');
}

function decode(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key === '' || encodeCursor(key) !== cursor) throw new ValidationError('invalid page cursor', { field: 'cursor' });
  return key;
}

/** The string sort key after which the page starts (an id), or undefined for the first page. */
export function cursorKey(page: PageRequest): string | undefined {
  return page.cursor ? decode(page.cursor) : undefined;
}

/** The numeric sort key (an audit seq) of the cursor, or undefined for the first page. */
export function cursorSeq(page: PageRequest): number | undefined {
  if (!page.cursor) return undefined;
  const seq = Number(decode(page.cursor));
  if (!Number.isSafeInteger(seq) || seq < 0) throw new ValidationError('invalid page cursor', { field: 'cursor' });
  return seq;
}

/** Given up to limit+1 items, the page of `limit` items and the cursor of its last one (if more follow). */
export function toPage<T>(items: T[], limit: number, keyOf: (item: T) => string | number): Page<T> {
  if (items.length <= limit) return { items, next_cursor: null };
  const kept = items.slice(0, limit);
  return { items: kept, next_cursor: encodeCursor(keyOf(kept[limit - 1])) };
}
