// Strict casts: a value casts only when all of it is a value of the type.
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../domain/datasets.js';
import { typedExpr } from './typed-sql.js';

async function castAll(type: ColumnType, values: string[]): Promise<unknown[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    await c.run('CREATE TABLE v (i INTEGER, x VARCHAR)');
    const insert = await c.prepare('INSERT INTO v VALUES ($1, $2)');
    for (const [i, x] of values.entries()) {
      insert.bindInteger(1, i);
      insert.bindVarchar(2, x);
      await insert.run();
    }
    const rows = (await c.runAndReadAll(`SELECT CAST(${typedExpr(type, 'x')} AS VARCHAR) AS t FROM v ORDER BY i`)).getRowObjectsJson();
    return rows.map((r) => r.t);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe('typedExpr', () => {
  it('casts integer literals only, with or without sign, zeros and white space around', async () => {
    const values = ['12', ' 12 ', '+5', '007', '-0', '-42', '9223372036854775807', '1.5', '1e3', '0x10', '1_000', '0b11', '1.', '', ' ', 'twelve', '9223372036854775808'];
    expect(await castAll('integer', values)).toEqual(['12', '12', '5', '7', '0', '-42', '9223372036854775807', null, null, null, null, null, null, null, null, null, null]);
  });
});
