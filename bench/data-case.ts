// One case of `npm run bench -- data`, run in its own process so its peak memory is its own:
//   node --import tsx bench/data-case.ts flywheel|duckdb FILE FORMAT [RULES_JSON]
// Prints one JSON line: { ms, rows, maxRssMb }.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataFormat } from '../src/domain/datasets.js';
import { configFromEnv, openPlatform } from '../src/platform.js';

const [mode, file, format, rulesJson] = process.argv.slice(2) as [string, string, DataFormat, string | undefined];

async function duckdb(): Promise<{ ms: number; rows: number }> {
  const started = performance.now();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const reader = format === 'parquet' ? 'read_parquet' : 'read_csv';
  const prepared = await c.prepare(`CREATE TABLE t AS SELECT * FROM ${reader}($1)`);
  prepared.bindVarchar(1, file);
  await prepared.run();
  await c.runAndReadAll('SUMMARIZE t');
  const n = await c.runAndReadAll('SELECT count(*)::BIGINT AS n FROM t');
  const ms = performance.now() - started;
  c.closeSync();
  return { ms, rows: Number(n.getRowObjects()[0].n) };
}

async function flywheel(): Promise<{ ms: number; rows: number }> {
  const home = mkdtempSync(join(tmpdir(), 'flywheel-bench-data-'));
  const platform = await openPlatform(configFromEnv({ FLYWHEEL_HOME: home, FLYWHEEL_DATABASE_URL: `sqlite:${join(home, 'flywheel.db')}`, FLYWHEEL_DEMO: '0' }));
  try {
    const boot = await platform.services.users.bootstrapAdmin();
    const ctx = { principal: { user: boot!.user, via: 'local' as const } };
    const project = await platform.services.projects.create(ctx, { name: 'bench' });
    const access = { project, role: 'owner' as const };
    await platform.services.datasets.create(ctx, access, { name: 'data' });
    const started = performance.now();
    const v = await platform.services.datasets.ingestFile(ctx, access, 'data', file, { format, rules: rulesJson ?? null });
    const ms = performance.now() - started;
    if (v.report.rows_read !== v.report.accepted + v.report.quarantined) throw new Error('rows read ≠ accepted + quarantined');
    return { ms, rows: v.report.rows_read };
  } finally {
    await platform.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const result = mode === 'duckdb' ? await duckdb() : await flywheel();
console.log(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
process.exit(0);
