// Cursor pagination shared by every list: `{ items, next_cursor }` with a bounded `limit`.

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

export interface PageRequest {
  limit?: number;
  cursor?: string | null;
}

/** Clamp a requested page size into [1, MAX_LIMIT]. */
export function pageLimit(limit?: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit)));
}
