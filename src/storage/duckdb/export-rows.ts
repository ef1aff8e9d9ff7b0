// Write the rows of Parquet files (a dataset version's files) to one file, Parquet (zstd) or CSV
// with a header, for programs that read files (a trainer command). Paths are bound parameters.
import { LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { DuckSession } from './duckdb-session.js';

export type ExportFormat = 'parquet' | 'csv';

/** Copy every row of `paths` (columns united by name, in file order) to `outPath`; answers the row count. */
export async function exportRows(session: DuckSession, paths: string[], outPath: string, format: ExportFormat): Promise<number> {
  const options = format === 'parquet' ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
  await session.run(`COPY (SELECT * FROM read_parquet($1, union_by_name = true)) TO $2 (${options})`, [listValue(paths), outPath], [LIST(VARCHAR), VARCHAR]);
  const [row] = await session.rows<{ n: string | number }>('SELECT count(*)::BIGINT AS n FROM read_parquet($1, union_by_name = true)', [listValue(paths)], [LIST(VARCHAR)]);
  return Number(row.n);
}
