// The SQLite statement cache under Kysely: queries answer as before, a statement is prepared once
// per SQL text (the least recently used dropped beyond the limit), and streamed queries work.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './sqlite-statement-cache.js';

interface Db {
  t: { id: number; name: string };
}

describe('withStatementCache', () => {
  it('prepares each SQL text once and answers as better-sqlite3 does', async () => {
    const raw = new Database(':memory:');
    let prepared = 0;
    const prepare = raw.prepare.bind(raw);
    (raw as unknown as { prepare: typeof prepare }).prepare = ((s: string) => {
      prepared++;
      return prepare(s);
    }) as typeof prepare;
    const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: withStatementCache(raw, 3) }) });
    await sql`create table t (id integer primary key, name text)`.execute(db);
    for (let i = 1; i <= 5; i++) await db.insertInto('t').values({ id: i, name: `n${i}` }).execute();
    const before = prepared;
    for (let i = 1; i <= 5; i++) expect(await db.selectFrom('t').select('name').where('id', '=', i).executeTakeFirst()).toEqual({ name: `n${i}` });
    expect(prepared - before).toBe(1); // one select text, prepared once
    const r = await db.updateTable('t').set({ name: 'x' }).where('id', '>', 3).executeTakeFirst();
    expect(Number(r.numUpdatedRows)).toBe(2);

    // A streamed query (its own statement) and the same text run to completion both answer.
    const seen: string[] = [];
    for await (const row of db.selectFrom('t').select('name').orderBy('id').stream()) seen.push(row.name);
    expect(seen).toEqual(['n1', 'n2', 'n3', 'x', 'x']);
    expect((await db.selectFrom('t').select('name').orderBy('id').execute()).map((r) => r.name)).toEqual(seen);

    // Beyond the limit the least recently used text is prepared again.
    const q = (k: number) => sql.raw(`select ${k} as k`).execute(db);
    for (const k of [1, 2, 3, 4]) await q(k);
    const mid = prepared;
    await q(4);
    expect(prepared).toBe(mid);
    await q(1);
    expect(prepared).toBe(mid + 1);
    await db.destroy();
  });
});
