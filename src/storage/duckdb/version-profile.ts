// Profile and quarantine work over stored Parquet (a commit of staged batches): profile the typed
// files of a version, and merge quarantine files with their lines shifted to stay unique.
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { VARCHAR } from '@duckdb/node-api';
import type { ColumnProfile, ColumnSchema } from '../../domain/datasets.js';
import { DuckSession, ident, Params } from './duckdb-session.js';
import { profileColumns } from './profile-sql.js';
import { parquetSource } from './read-columns.js';

const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880';

export async function profileParquet(paths: string[], schema: ColumnSchema[], workDir: string): Promise<ColumnProfile[]> {
  await mkdir(path.join(workDir, 'spill'), { recursive: true });
  const session = await DuckSession.open({ tempDir: path.join(workDir, 'spill'), memoryLimit: '1GB' });
  try {
    const p = new Params();
    const cols = schema.map((c, i) => `${ident(c.name)} AS __fw_t${i}`).join(', ');
    await session.run(`CREATE TABLE fw_accepted AS SELECT ${cols} FROM ${parquetSource(p, paths)}`, p.values, p.types);
    return await profileColumns(session, 'fw_accepted', schema);
  } finally {
    session.close();
  }
}

export async function mergeQuarantineFiles(parts: Array<{ path: string; lineOffset: number }>, outPath: string): Promise<{ path: string; rows: number }> {
  const session = await DuckSession.open();
  try {
    const p = new Params();
    const selects = parts.map(
      (part, k) => `SELECT ${k} AS __fw_k, line + ${p.add(part.lineOffset)} AS line, rule, reason, raw, "values" FROM read_parquet(${p.add(part.path, VARCHAR)})`,
    );
    await session.run('SET threads = 1');
    await session.run(`CREATE TABLE fw_q AS ${selects.join(' UNION ALL ')}`, p.values, p.types);
    await session.run(`COPY (SELECT * EXCLUDE (__fw_k) FROM fw_q ORDER BY __fw_k, line) TO $1 (${PARQUET_OPTIONS})`, [outPath], [VARCHAR]);
    const [{ n }] = await session.rows<{ n: string }>('SELECT count(*) AS n FROM fw_q');
    return { path: outPath, rows: Number(n) };
  } finally {
    session.close();
  }
}
