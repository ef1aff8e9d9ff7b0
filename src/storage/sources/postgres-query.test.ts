// The PostgreSQL source adapter (needs TEST_DATABASE_URL): rows as JSON Lines, a READ ONLY
// transaction, one statement only, a row cap and a statement timeout; no password in messages.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryPostgres } from './postgres-query.js';

const url = process.env.TEST_DATABASE_URL;
const dir = mkdtempSync(join(tmpdir(), 'flywheel-pgsource-'));
let n = 0;
const run = (sql: string, more: { maxRows?: number; statementTimeoutMs?: number; connectionString?: string } = {}) =>
  // TEST_DATABASE_URL is on this host, which the default address policy refuses (postgres-address.test.ts).
  queryPostgres({ connectionString: more.connectionString ?? url!, sql, dest: join(dir, `rows-${n++}.jsonl`), maxRows: more.maxRows ?? 10_000, statementTimeoutMs: more.statementTimeoutMs ?? 5_000, connectTimeoutMs: 3_000 }, 'any');

describe.skipIf(!url)(`queryPostgres${url ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, () => {
  it('writes the rows as JSON Lines with typed values', async () => {
    const r = await run("SELECT g AS id, g * 1.5::numeric AS x, (DATE '2024-01-01' + g) AS day, 'r' || g AS label, NULL::text AS empty, 9007199254740993::int8 AS huge FROM generate_series(1, 2500) g;");
    expect(r).toMatchObject({ rows: 2500, columns: ['id', 'x', 'day', 'label', 'empty', 'huge'] });
    const lines = readFileSync(join(dir, `rows-${n - 1}.jsonl`), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2500);
    expect(JSON.parse(lines[0])).toEqual({ id: 1, x: 1.5, day: '2024-01-02', label: 'r1', empty: null, huge: '9007199254740993' });
  });

  it('refuses writes, a second statement, duplicate column names, too many rows and slow queries', async () => {
    await expect(run("SELECT nextval('no_such_seq')")).rejects.toThrow(/PostgreSQL: .*no_such_seq/);
    await expect(run('CREATE TEMP SEQUENCE s; SELECT 1')).rejects.toThrow(/cannot insert multiple commands|syntax error/);
    await expect(run('SELECT 1 AS a; DROP TABLE IF EXISTS nothing_here')).rejects.toThrow(/cannot insert multiple commands/);
    await expect(run("SELECT set_config('x.y', '1', false)")).resolves.toMatchObject({ rows: 1 });
    await expect(run('SELECT datname FROM pg_database LIMIT 1 FOR UPDATE')).rejects.toThrow(/read-only/);
    // What slips past READ ONLY (a large object) is rolled back: the transaction never commits.
    const created = await run('SELECT lo_create(0) AS oid');
    const oid = JSON.parse(readFileSync(join(dir, `rows-${n - 1}.jsonl`), 'utf8')).oid;
    expect(created.rows).toBe(1);
    await expect(run(`SELECT count(*)::int AS n FROM pg_largeobject_metadata WHERE oid = ${Number(oid)}`)).resolves.toMatchObject({ rows: 1 });
    expect(JSON.parse(readFileSync(join(dir, `rows-${n - 1}.jsonl`), 'utf8')).n).toBe(0);
    await expect(run('SELECT 1 AS a, 2 AS a')).rejects.toThrow(/two columns named 'a'/);
    await expect(run('SELECT g FROM generate_series(1, 11) g', { maxRows: 10 })).rejects.toThrow(/more than 10 rows/);
    await expect(run('SELECT pg_sleep(2)', { statementTimeoutMs: 200 })).rejects.toThrow(/longer than the statement timeout/);
  });

  it('never puts the password in a message', async () => {
    const bad = new URL(url!);
    bad.port = '9';
    bad.password = 'hunter2-secret';
    const failure = await run('SELECT 1', { connectionString: bad.toString() }).catch((e: Error) => e.message);
    expect(failure).toMatch(/^PostgreSQL: /);
    expect(failure).not.toContain('hunter2-secret');
  });
});
