// The groups of rows one ingest may hold: a coalesced push stages several pushed batches in one
// table, each a contiguous range of record order (__fw_o), and reports and writes each group on
// its own. `expr` is the SQL of a row's group number (0-based) over __fw_o.
export interface RowGroups {
  count: number;
  expr: string;
  /** Each group's first and last __fw_o (inclusive). */
  ranges: Array<[number, number]>;
}

/** A single group holding every row. */
export const ONE_GROUP: RowGroups = { count: 1, expr: '0', ranges: [[1, Number.MAX_SAFE_INTEGER]] };

/** Groups of `sizes[k]` rows each, in order (record order starts at 1). */
export function rowGroups(sizes: number[]): RowGroups {
  if (sizes.length === 1) return { ...ONE_GROUP, ranges: [[1, Math.max(sizes[0], 1)]] };
  const ranges: Array<[number, number]> = [];
  let first = 1;
  for (const n of sizes) {
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`a group holds at least one row, got ${n}`);
    ranges.push([first, first + n - 1]);
    first += n;
  }
  // Integers of our own making (not input), so written into the SQL.
  const whens = ranges.map(([, last], k) => `WHEN __fw_o <= ${last} THEN ${k}`).join(' ');
  return { count: sizes.length, expr: `(CASE ${whens} END)`, ranges };
}
