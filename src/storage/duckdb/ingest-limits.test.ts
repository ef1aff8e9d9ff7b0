// Record-level limits and declared encodings: a record over the size limit is quarantined with
// its line (the rest of the file is kept), and Latin-1 text is converted when it is declared.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataFormat } from '../../domain/datasets.js';
import type { IngestRequest } from '../../domain/ports/data-engine.js';
import { DuckDbDataEngine } from './duckdb-data-engine.js';

const engine = new DuckDbDataEngine();
afterAll(() => engine.close());
const root = mkdtempSync(path.join(tmpdir(), 'flywheel-limits-'));
let n = 0;

async function ingest(content: string | Buffer, format: DataFormat, more: Partial<IngestRequest> = {}) {
  const file = path.join(root, `source-${n}`);
  writeFileSync(file, content);
  return engine.ingest({ path: file, format, workDir: mkdtempSync(path.join(root, `work-${n++}-`)), ...more });
}

describe('record size limit', () => {
  it('quarantines a CSV record with a 1 MB field over the configured limit, keeping the others', async () => {
    const big = 'y'.repeat(1_000_000);
    const out = await ingest(`a,b\n1,x\n2,${big}\n3,z\n`, 'csv', { maxRecordBytes: 256 * 1024 });
    expect(out.report).toEqual({ rows_read: 3, accepted: 2, quarantined: 1, by_rule: { 'parse.record_too_long': 1 } });
    const [q] = await engine.readQuarantine(out.quarantine!.path, { limit: 5 });
    expect(q).toMatchObject({ line: 3, rule: 'parse.record_too_long', reason: 'the record is longer than 262144 bytes (the configured limit for one record)' });
    expect((await engine.readColumns([out.accepted.path], ['a'])).columns.a).toEqual(new Float64Array([1, 3]));
  });

  it('keeps a 1 MB field under the default limit of 1 MiB, and applies the limit to JSON Lines', async () => {
    const field = 'y'.repeat(1_000_000);
    const kept = await ingest(`a,b\n1,${field}\n`, 'csv');
    expect(kept.report.accepted).toBe(1);
    const lines = [JSON.stringify({ a: 1, b: 'x' }), JSON.stringify({ a: 2, b: field }), JSON.stringify({ a: 3, b: 'z' })].join('\n') + '\n';
    const out = await ingest(lines, 'jsonl', { maxRecordBytes: 64 * 1024 });
    expect(out.report).toEqual({ rows_read: 3, accepted: 2, quarantined: 1, by_rule: { 'parse.record_too_long': 1 } });
    const [q] = await engine.readQuarantine(out.quarantine!.path, { limit: 5 });
    expect(q).toMatchObject({ line: 2, rule: 'parse.record_too_long' });
  });
});

describe('declared encoding', () => {
  it('converts Latin-1 to UTF-8 and records the original bytes as the source', async () => {
    const latin1 = Buffer.from('city,temp\nZürich,4.5\nSão Paulo,25\nKøbenhavn,3\n', 'latin1');
    expect(latin1.includes(Buffer.from('ü', 'utf8'))).toBe(false);
    await expect(ingest(latin1, 'csv')).rejects.toThrow(/not UTF-8/);
    const out = await ingest(latin1, 'csv', { encoding: 'latin-1' });
    expect(out.source).toEqual({ bytes: latin1.length, sha256: createHash('sha256').update(latin1).digest('hex') });
    expect((await engine.readColumns([out.accepted.path], ['city'])).columns.city).toEqual(['Zürich', 'São Paulo', 'København']);
  });
});
