// Values bound as connection variables answer what the same values bound as parameters answer,
// are folded to constants when a statement is planned, and stay out of the SQL text.
import { DuckDBInstance, DOUBLE, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { bindAsVariables } from './bound-variables.js';
import { DuckSession, Params } from './duckdb-session.js';

const instance = await DuckDBInstance.create(':memory:');
afterAll(() => instance.closeSync());

describe('bindAsVariables', () => {
  it('answers what the bound statement answers, with no value in the SQL', async () => {
    const session = await DuckSession.workspace(instance, { singleThreaded: true });
    try {
      const p = new Params();
      const values: Array<string | number | boolean | null> = ["it's \"q\" $1", 7, 2 ** 40, 0.1, 1e21, -0, true, null, 'é ✓'];
      const cols = values.map((v, k) => `${p.add(v)} AS c${k}`).join(', ');
      const unsafe = p.add(2 ** 60, DOUBLE);
      const list = p.add(listValue(['/a', '/b~1c']), LIST(VARCHAR));
      const sql = `SELECT ${cols}, ${unsafe} AS big, typeof(${p.add(5)}) AS t, ${list} AS l, '$1' AS "$2"`;
      const bound = await session.rows(sql, p.values, p.types);
      const rewritten = await bindAsVariables(session, sql, p);
      expect(rewritten).not.toContain("it's");
      expect(rewritten).toContain(`'$1' AS "$2"`);
      const viaVariables = await session.rows(rewritten);
      expect(viaVariables).toEqual(bound);
      expect(viaVariables[0].t).toBe('INTEGER');
    } finally {
      await session.release();
    }
  });

  it('folds the values into the plan (a regex pattern is a constant)', async () => {
    const session = await DuckSession.workspace(instance, { singleThreaded: true });
    try {
      const p = new Params();
      const sql = `EXPLAIN SELECT regexp_full_match(s, ${p.add('a+')}) FROM (SELECT i::VARCHAR AS s FROM range(3) r(i))`;
      const plan = JSON.stringify(await session.rows(await bindAsVariables(session, sql, p)));
      expect(plan).toContain("regexp_full_match(s, 'a+')");
      expect(plan).not.toContain('getvariable');
    } finally {
      await session.release();
    }
  });

  it('refuses a placeholder without a value and a prefix that is not a plain name', async () => {
    const session = await DuckSession.workspace(instance, { singleThreaded: true });
    try {
      await expect(bindAsVariables(session, 'SELECT $2', Object.assign(new Params(), {}))).rejects.toThrow(/\$2 has no value/);
      await expect(bindAsVariables(session, 'SELECT 1', new Params(), "x'; DROP")).rejects.toThrow(/plain lowercase name/);
    } finally {
      await session.release();
    }
  });
});
