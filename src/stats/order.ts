// Deterministic orderings shared by the statistics: Python's sorted() order for strings.

/**
 * Compare strings by Unicode code points (Python's `sorted`, sklearn's label order), not by
 * UTF-16 code units as `Array.prototype.sort` does.
 * @example ['b', 'a', 'B'].sort(compareCodePoints) // ['B', 'a', 'b']
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** Distinct values in code-point order. @example sortedUnique(['b', 'a', 'b']) // ['a', 'b'] */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareCodePoints);
}
