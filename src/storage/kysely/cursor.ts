// Opaque page cursors (base64url of the last item's sort key) and pages built from limit+1 rows.
import { ValidationError } from '../../domain/errors.js';
import type { SelectQueryBuilder } from 'kysely';
import { pageLimit, type Page, type PageRequest } from '../../domain/pagination.js';

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

/**
 * One page of rows ordered by their id (UUIDv7, so creation order): `asc` pages forward from the
 * cursor, `desc` gives newest first.
 * @example return pageById(db.selectFrom('runs').selectAll().where('project_id', '=', p), page, toRun, 'desc')
 */
export async function pageById<R extends { id: string }, T>(
  query: SelectQueryBuilder<any, any, R>,
  page: PageRequest,
  map: (row: R) => T,
  order: 'asc' | 'desc' = 'asc',
): Promise<Page<T>> {
  const limit = pageLimit(page.limit);
  const key = cursorKey(page);
  let q = query.orderBy('id', order).limit(limit + 1);
  if (key !== undefined) q = q.where('id', order === 'asc' ? '>' : '<', key);
  const rows = await q.execute();
  const p = toPage(rows, limit, (r) => r.id);
  return { items: p.items.map(map), next_cursor: p.next_cursor };
}
