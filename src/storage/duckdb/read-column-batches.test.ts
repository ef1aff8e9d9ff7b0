// Streaming a version's columns in bounded batches: the batches, joined, are exactly what one
// readColumns answers (in file order, across two files and across DuckDB's 2,048-row chunks),
// no batch is longer than asked, and stopping early ends the read.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../../domain/ports/data-engine.js';
import { DuckDbDataEngine } from './duckdb-data-engine.js';

const engine = new DuckDbDataEngine();
afterAll(() => engine.close());
const root = mkdtempSync(path.join(tmpdir(), 'flywheel-batches-'));

async function parquetOf(name: string, rows: number, offset: number): Promise<string> {
  const file = path.join(root, `${name}.csv`);
  const lines = Array.from({ length: rows }, (_, i) => `${offset + i},${i % 7 === 0 ? '' : `s${offset + i}`},${i % 2 === 0},2014-01-${String((i % 28) + 1).padStart(2, '0')}`);
  writeFileSync(file, `n,s,b,d\n${lines.join('\n')}\n`);
  const out = await engine.ingest({ path: file, format: 'csv', workDir: mkdtempSync(path.join(root, `work-${name}-`)) });
  return out.accepted.path;
}

const column = (batches: ColumnBatch[], name: string): unknown[] => batches.flatMap((b) => Array.from(b.columns[name] as ArrayLike<unknown>));

describe('DuckDbDataEngine.readColumnBatches', () => {
  it('streams the same rows as readColumns, in batches of at most batchRows', async () => {
    const paths = [await parquetOf('a', 5000, 0), await parquetOf('b', 1234, 5000)];
    const columns = ['n', 's', 'b', 'd'];
    const whole = await engine.readColumns(paths, columns);
    expect(whole.rowCount).toBe(6234);
    for (const size of [1000, 3000, 10_000]) {
      const batches: ColumnBatch[] = [];
      for await (const b of engine.readColumnBatches(paths, columns, size)) batches.push(b);
      expect(batches.map((b) => b.rowCount)).toEqual(size === 10_000 ? [6234] : size === 1000 ? [1000, 1000, 1000, 1000, 1000, 1000, 234] : [3000, 3000, 234]);
      for (const c of columns) expect(column(batches, c)).toEqual(Array.from(whole.columns[c] as ArrayLike<unknown>));
      expect(batches[0].types).toEqual(whole.types);
    }
    // File order: the first file's rows, then the second's.
    const firsts: number[] = [];
    for await (const b of engine.readColumnBatches(paths, ['n'], 5000)) firsts.push((b.columns.n as Float64Array)[0], (b.columns.n as Float64Array)[b.rowCount - 1]);
    expect(firsts).toEqual([0, 4999, 5000, 6233]);
  });

  it('stops reading when the caller stops, and refuses a bad batch size or column', async () => {
    const paths = [await parquetOf('c', 3000, 0)];
    let seen = 0;
    for await (const b of engine.readColumnBatches(paths, ['n'], 100)) {
      seen += b.rowCount;
      if (seen >= 300) break;
    }
    expect(seen).toBe(300);
    // The engine is still usable afterwards.
    expect((await engine.readColumns(paths, ['n'])).rowCount).toBe(3000);
    await expect(engine.readColumnBatches(paths, ['n'], 0)[Symbol.asyncIterator]().next()).rejects.toThrow(/batchRows must be a positive integer/);
    await expect(engine.readColumnBatches(paths, ['nope'], 10)[Symbol.asyncIterator]().next()).rejects.toThrow(/column 'nope' was not found/);
  });
});
