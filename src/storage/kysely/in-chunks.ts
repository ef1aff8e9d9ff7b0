// Run a query per slice of a long id list, so `IN (...)` stays under the drivers' parameter limits.

export const CHUNK = 500;

/** Call `fn` on consecutive slices of at most `size` items (nothing for an empty list). */
export async function inChunks<T>(items: readonly T[], fn: (slice: T[]) => Promise<void>, size = CHUNK): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}
