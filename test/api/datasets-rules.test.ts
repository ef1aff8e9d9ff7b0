// Cleansing rules over HTTP on both databases: a YAML rules document with normalisation, regex,
// unique, de-duplication, outliers, imputation and PII (mask, flag, drop) applied to an uploaded
// CSV and to pushed rows; exact quarantine lines, rules and reasons; the report's counts; the
// stored values; and YAML errors answering 400 with their line and column, writing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbDataEngine } from '../../src/storage/duckdb/duckdb-data-engine.js';
import { databaseTargets } from '../support/databases.js';
import { call, signIn, type Headers } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/server.js';

const RULES_YAML = `# contacts: one row per e-mail address, the latest wins
columns:
  id: {type: integer, unique: true}
  name:
    normalize: {trim: true, case: lower}
  code:
    regex: '[A-Z]{2}[0-9]{4}'
  amount:
    type: double
    outliers: {method: iqr, k: 1.5}
    impute: {strategy: median}
  email:
    pii: {email: mask}
  notes:
    pii: {card: drop, phone: flag}
dedupe:
  key: [email]
  keep: last
`;

const CSV = [
  'id,name,code,amount,email,notes',
  '1, Ann ,AB1234,10,ann@example.com,hello', // 2: dedupe (line 7 is kept)
  '2,Bob,ab1234,11,bob@example.com,hi', // 3: regex
  '3,Cy,CD1234,,cy@example.com,call +1 206 555 0100', // 4: accepted, amount imputed, phone flagged
  '4,Di,EF1234,12,di@example.com,card 4111 1111 1111 1111', // 5: PII drop
  '5,Ed,GH1234,9,ed@example.com,ok', // 6: accepted
  '6,Ann,IJ1234,13,ann@example.com,again', // 7: accepted (the kept duplicate)
  '3,Fay,KL1234,11,fay@example.com,dup id', // 8: unique
  '7,Gus,MN1234,1000,gus@example.com,big', // 9: outlier
  '8,Hal,OP1234,10,hal@example.com,x', // 10: accepted
  '',
].join('\n');

for (const target of databaseTargets) {
  describe.skipIf(!target.available)(`cleansing rules over HTTP (${target.name})${target.skipReason ? ` — ${target.skipReason}` : ''}`, () => {
    let t: TestApp;
    let admin: Headers;
    const base = '/api/v1/projects/crm/datasets';

    async function ingest(dataset: string, body: string, rules: string) {
      const res = await t.app.inject({
        method: 'POST',
        url: `${base}/${dataset}/versions?rules=${encodeURIComponent(rules)}`,
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: body,
      });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    }

    beforeAll(async () => {
      t = await createTestApp({ databaseUrl: await target.freshUrl() });
      admin = await signIn(t.app, t.admin.username, t.admin.password);
      expect((await call(t.app, 'POST', '/api/v1/projects', admin, { name: 'crm' })).status).toBe(201);
      for (const name of ['contacts', 'broken']) expect((await call(t.app, 'POST', base, admin, { name })).status).toBe(201);
    }, 60_000);
    afterAll(() => t?.close());

    it('applies a YAML rules document: quarantine, report and stored values', async () => {
      const res = await ingest('contacts', CSV, RULES_YAML);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const v = res.body;
      expect(v.report).toEqual({
        rows_read: 9,
        accepted: 4,
        quarantined: 5,
        by_rule: { dedupe: 1, 'code.regex': 1, 'notes.pii': 1, 'id.unique': 1, 'amount.outliers': 1 },
        imputed: { amount: 1 },
        pii_flagged: { 'notes.phone': 1 },
        pii_masked: { 'email.email': 4 },
      });
      expect(v.rules).toEqual({
        columns: {
          id: { type: 'integer', unique: true },
          name: { normalize: { trim: true, case: 'lower' } },
          code: { regex: '[A-Z]{2}[0-9]{4}' },
          amount: { type: 'double', outliers: { method: 'iqr', k: 1.5 }, impute: { strategy: 'median' } },
          email: { pii: { email: 'mask' } },
          notes: { pii: { card: 'drop', phone: 'flag' } },
        },
        dedupe: { key: ['email'], keep: 'last' },
      });

      const q = await call(t.app, 'GET', `${base}/contacts/versions/1/quarantine`, admin);
      expect(q.status).toBe(200);
      expect(q.body.items.map((x: any) => [x.line, x.rule, x.reason])).toEqual([
        [2, 'dedupe', 'duplicate key email=***@***: line 7 is the one kept (keep last)'],
        [3, 'code.regex', "code: 'ab1234' does not match the pattern [A-Z]{2}[0-9]{4}"],
        [5, 'notes.pii', 'notes: contains a card number (PII rule: drop)'],
        [8, 'id.unique', "id: '3' is already on line 4"],
        [9, 'amount.outliers', 'amount: 1000.0 is outside [-365.25, 634.75] (IQR rule, k = 1.5)'],
      ]);
      expect(q.body.items[0].values).toMatchObject({ name: ' Ann ', email: '***@***' });

      const paths = await Promise.all(v.files.map((f: { sha256: string }) => t.platform.artifacts.localPath(f.sha256)));
      const engine = new DuckDbDataEngine();
      const stored = await engine.readColumns(paths, ['id', 'name', 'amount', 'email', 'notes']).finally(() => engine.close());
      expect(Array.from(stored.columns.id as Float64Array)).toEqual([3, 5, 6, 8]);
      expect(stored.columns.name).toEqual(['cy', 'ed', 'ann', 'hal']);
      expect(Array.from(stored.columns.amount as Float64Array)).toEqual([10, 9, 13, 10]);
      expect(stored.columns.email).toEqual(['***@***', '***@***', '***@***', '***@***']);
      expect(stored.columns.notes).toEqual(['call +1 206 555 0100', 'ok', 'again', 'x']);
    });

    it('applies the version rules to pushed rows, and the commit adds up their counts', async () => {
      const push = await t.app.inject({
        method: 'POST',
        url: `${base}/contacts/rows`,
        headers: { ...admin, 'idempotency-key': 'batch-1' },
        payload: {
          rows: [
            { id: 20, name: ' Zed ', code: 'QR1234', amount: 10, email: 'zed@example.com', notes: 'card 4111-1111-1111-1111' },
            { id: 21, name: 'Amy', code: 'ST1234', amount: 11, email: 'amy@example.com', notes: 'fine' },
          ],
        },
      });
      expect(push.statusCode, push.body).toBe(200);
      expect(JSON.parse(push.body)).toMatchObject({ accepted: 1, quarantined: 1, by_rule: { 'notes.pii': 1 } });
      const commit = await call(t.app, 'POST', `${base}/contacts/commit`, admin);
      expect(commit.status, JSON.stringify(commit.body)).toBe(201);
      expect(commit.body.report).toMatchObject({ rows_read: 2, accepted: 1, quarantined: 1, pii_masked: { 'email.email': 1 } });
    });

    it('answers a YAML error with its line and column, and writes nothing', async () => {
      const res = await ingest('broken', CSV, 'columns:\n  amount: {type: double\n');
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_input', details: { field: 'rules', line: 3, column: 1 } });
      expect(res.body.error.message).toMatch(/^rules: is not valid JSON or YAML: .* at line 3, column 1$/);
      const misfit = await ingest('broken', CSV, 'dedupe:\n  key: [phone]\n');
      expect(misfit.status).toBe(400);
      expect(misfit.body.error).toMatchObject({ details: { field: 'rules.dedupe.key.0' } });
      const versions = await call(t.app, 'GET', `${base}/broken/versions`, admin);
      expect(versions.body.items).toEqual([]);
    });
  });
}
