// Records ingested without a file read exactly as the same records in a JSON Lines file: the
// same schema, report, quarantine lines and reasons, and stored values.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../domain/cleansing-rules.js';
import { DuckDbDataEngine } from './duckdb-data-engine.js';

const engine = new DuckDbDataEngine();
afterAll(() => engine.close());
const root = mkdtempSync(path.join(tmpdir(), 'flywheel-records-'));

describe('DuckDbDataEngine.ingestRecords', () => {
  it('reads records as a JSON Lines file of them reads', async () => {
    const records: Array<Record<string, unknown>> = [
      { id: 1, at: '2024-01-01T10:00:00Z', x: 1.5, ok: true, tags: ['a', 'b'], note: 'plain' },
      { id: 2, at: '2024-01-02T10:00:00+02:00', x: -3, ok: false, note: null },
      { id: 3, at: 'soon', x: 'n/a', ok: true, meta: { k: 1 } },
      { id: 4, at: '2024-01-04', x: 1e21, ok: 'yes', note: '' },
    ];
    const rules = parseRules({ columns: { at: { type: 'timestamp' }, x: { type: 'double', range: { min: -5 } } } });
    const jsonl = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const file = path.join(root, 'records.jsonl');
    writeFileSync(file, jsonl);
    const fromFile = await engine.ingest({ path: file, format: 'jsonl', rules, workDir: mkdtempSync(path.join(root, 'f-')) });
    const source = { bytes: Buffer.byteLength(jsonl), sha256: createHash('sha256').update(jsonl).digest('hex') };
    const fromRecords = await engine.ingestRecords({ records, source, rules, workDir: mkdtempSync(path.join(root, 'r-')) });

    expect(fromRecords.schema).toEqual(fromFile.schema);
    expect(fromRecords.report).toEqual(fromFile.report);
    expect(fromRecords.source).toEqual(fromFile.source);
    expect(fromRecords.profile).toEqual(fromFile.profile);
    const names = fromFile.schema.map((c) => c.name);
    expect(await engine.readColumns([fromRecords.accepted.path], names)).toEqual(await engine.readColumns([fromFile.accepted.path], names));
    const q = await engine.readQuarantine(fromRecords.quarantine!.path, { limit: 10 });
    expect(q).toEqual(await engine.readQuarantine(fromFile.quarantine!.path, { limit: 10 }));
    expect(q.map((r) => [r.line, r.rule])).toEqual([[3, 'at.type']]);
  });

  it('refuses keys that the schema does not have, naming them', async () => {
    const first = await engine.ingestRecords({ records: [{ a: 1 }], source: { bytes: 7, sha256: 'x' }, workDir: mkdtempSync(path.join(root, 's-')) });
    await expect(
      engine.ingestRecords({ records: [{ a: 2, b: 3 }], schema: first.schema, source: { bytes: 13, sha256: 'y' }, workDir: mkdtempSync(path.join(root, 't-')) }),
    ).rejects.toThrow(/unexpected 'b'/);
  });
});
