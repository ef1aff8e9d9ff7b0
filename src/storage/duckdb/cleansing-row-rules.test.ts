// Unit tests of the row-level cleansing rules run by DuckDbDataEngine.ingest on small CSVs:
// normalisation, regex, PII (flag, mask, drop) and imputation — the exact quarantined lines,
// rules and reasons, the report's counts, and the values stored in the accepted Parquet.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../domain/cleansing-rules.js';
import type { DataFormat } from '../../domain/datasets.js';
import { DuckDbDataEngine } from './duckdb-data-engine.js';

const engine = new DuckDbDataEngine();
afterAll(() => engine.close());
const root = mkdtempSync(path.join(tmpdir(), 'flywheel-row-rules-'));
let n = 0;

async function ingest(content: string, rules: unknown, format: DataFormat = 'csv') {
  const file = path.join(root, `source-${n}`);
  writeFileSync(file, content);
  const out = await engine.ingest({ path: file, format, workDir: mkdtempSync(path.join(root, `work-${n++}-`)), rules: parseRules(rules) });
  const quarantine = out.quarantine ? await engine.readQuarantine(out.quarantine.path, { limit: 1000 }) : [];
  // The invariant, every time: rows read = accepted + quarantined, and the files agree.
  expect(out.report.accepted + out.report.quarantined).toBe(out.report.rows_read);
  expect(quarantine.length).toBe(out.report.quarantined);
  expect(Object.values(out.report.by_rule).reduce((a, b) => a + b, 0)).toBe(out.report.quarantined);
  return { out, quarantine, lines: quarantine.map((r) => [r.line, r.rule, r.reason]) };
}

async function stored(out: { accepted: { path: string } }, columns: string[]) {
  return (await engine.readColumns([out.accepted.path], columns)).columns;
}

describe('normalize', () => {
  it('trims and changes case before every check, and stores the normalised value', async () => {
    const csv = 'id,weather,code\n1, Rain ,ab1234\n2,SUN,cd5678\n3,hail,ef9012\n4,  ,gh3456\n5,sun,  ij7890\n';
    const { out, quarantine, lines } = await ingest(csv, {
      columns: {
        weather: { normalize: { trim: true, case: 'lower' }, not_null: true, allowed: ['rain', 'sun'] },
        code: { normalize: { case: 'upper' }, regex: '[A-Z]{2}[0-9]{4}' },
      },
    });
    expect(lines).toEqual([
      [4, 'weather.allowed', "weather: 'hail' is not one of rain, sun"],
      [5, 'weather.not_null', 'weather is empty'],
      [6, 'code.regex', "code: '  IJ7890' does not match the pattern [A-Z]{2}[0-9]{4}"],
    ]);
    // The quarantine keeps what the file had.
    expect(quarantine[1].values).toEqual({ id: '4', weather: '  ', code: 'gh3456' });
    expect(await stored(out, ['weather', 'code'])).toEqual({ weather: ['rain', 'sun'], code: ['AB1234', 'CD5678'] });
  });
});

describe('regex', () => {
  it('must match the whole value; empty values are not checked', async () => {
    const csv = 'code,zip\nAB1234,02139\nxAB1234,02139\nAB12345,02139\n,2139\nCD5678,02139\n';
    const { out, lines } = await ingest(csv, { columns: { code: { regex: '[A-Z]{2}[0-9]{4}' }, zip: { type: 'string', regex: '[0-9]{5}' } } });
    expect(lines).toEqual([
      [3, 'code.regex', "code: 'xAB1234' does not match the pattern [A-Z]{2}[0-9]{4}"],
      [4, 'code.regex', "code: 'AB12345' does not match the pattern [A-Z]{2}[0-9]{4}"],
      [5, 'zip.regex', "zip: '2139' does not match the pattern [0-9]{5}"],
    ]);
    expect(out.report.by_rule).toEqual({ 'code.regex': 2, 'zip.regex': 1 });
    expect(await stored(out, ['code', 'zip'])).toEqual({ code: ['AB1234', 'CD5678'], zip: ['02139', '02139'] });
  });

  it('checks numbers as their text, trimmed', async () => {
    const { lines } = await ingest('n\n 42 \n7\n', { columns: { n: { type: 'integer', regex: '[0-9]{2}' } } });
    expect(lines).toEqual([[3, 'n.regex', "n: '7' does not match the pattern [0-9]{2}"]]);
  });

  it('rejects a pattern DuckDB cannot compile before reading a row', async () => {
    const error = await ingest('code\nAB\n', { columns: { code: { regex: String.raw`\p{Nope}` } } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_input', details: { field: 'rules.columns.code.regex' } });
    expect((error as Error).message).toMatch(/^rules\.columns\.code\.regex: is not a valid RE2 pattern: /);
  });
});

describe('pii', () => {
  const csv = [
    'id,contact,notes,name',
    '1,alice@example.com,call +1 206 555 0100,al@x.io',
    '2,bob at example dot com,card 4111 1111 1111 1111,bob',
    '3,+44 20 7946 0958,iban GB82 WEST 1234 5698 7654 32,carol',
    '4,"(206) 555-0100, dave@ex.org",card 4111 1111 1111 1112 is not valid,dave',
    '5,nobody,DE89 3704 0044 0532 0130 01 fails the check,eve@x.io',
  ].join('\n');
  const rules = {
    columns: { contact: { pii: { email: 'mask', phone: 'flag' } }, name: { pii: {} } },
    pii: { card: 'drop', iban: 'mask', phone: 'flag' },
  };

  it('flags, masks and drops; a drop never repeats the value; the report counts each detector', async () => {
    const { out, quarantine, lines } = await ingest(csv, rules);
    expect(lines).toEqual([[3, 'notes.pii', 'notes: contains a card number (PII rule: drop)']]);
    expect(quarantine[0].reason).not.toMatch(/4111/);
    expect(out.report).toEqual({
      rows_read: 5,
      accepted: 4,
      quarantined: 1,
      by_rule: { 'notes.pii': 1 },
      pii_flagged: { 'contact.phone': 2, 'notes.phone': 1 },
      pii_masked: { 'contact.email': 2, 'notes.iban': 1 },
    });
    expect(await stored(out, ['contact', 'notes', 'name'])).toEqual({
      contact: ['***@***', '+44 20 7946 0958', '(206) 555-0100, ***@***', 'nobody'],
      notes: ['call +1 206 555 0100', 'iban GB** **** 5432', 'card 4111 1111 1111 1112 is not valid', 'DE89 3704 0044 0532 0130 01 fails the check'],
      name: ['al@x.io', 'carol', 'dave', 'eve@x.io'],
    });
  });

  it('masks card numbers keeping the last four, and phones entirely', async () => {
    const { out } = await ingest('v\n"pay 4111-1111-1111-1111, call (206) 555-0100"\n5500 0000 0000 0004\nplain\n', { columns: { v: { pii: { card: 'mask', phone: 'mask' } } } });
    expect(out.report.pii_masked).toEqual({ 'v.card': 2, 'v.phone': 1 });
    expect((await stored(out, ['v'])).v).toEqual(['pay **** **** **** 1111, call ***-***-****', '**** **** **** 0004', 'plain']);
  });

  it('masks the values a quarantined row shows, in its values and its reason', async () => {
    const { quarantine } = await ingest('id,email\n1,a@b.co\n1,c@d.co\n', { columns: { email: { pii: { email: 'mask' } } }, dedupe: { key: ['id'] } });
    expect(quarantine.map((r) => [r.line, r.rule, r.values.email])).toEqual([[3, 'dedupe', '***@***']]);
    const unique = await ingest('email\na@b.co\na@b.co\n', { columns: { email: { unique: true, pii: { email: 'mask' } } } });
    expect(unique.lines).toEqual([[3, 'email.unique', "email: '***@***' is already on line 2"]]);
  });
});

describe('impute', () => {
  const csv = [
    'id,amount,qty,color,day,score',
    '1,10.5,3,red,2012-01-01,1',
    '2,,4,blue,,2',
    '3,20.5,,red,2012-01-03,',
    '4,abc,5,,2012-01-04,4',
    '5,,9,blue,2012-01-05,5',
    '6,30,10,,,6',
  ].join('\n');
  const rules = {
    columns: {
      amount: { type: 'double', impute: { strategy: 'mean' } },
      qty: { impute: { strategy: 'median' } },
      color: { not_null: true, impute: { strategy: 'mode' } },
      day: { type: 'date', not_null: true, impute: { strategy: 'constant', value: '2000-01-01' } },
      score: { impute: { strategy: 'constant', value: 0 } },
    },
  };

  it('fills empty values of accepted rows from the accepted rows, and counts them', async () => {
    const { out, lines } = await ingest(csv, rules);
    // An imputing column never breaks its not_null; the quarantined row's values are not in the statistics.
    expect(lines).toEqual([[5, 'amount.type', "amount: 'abc' is not a number"]]);
    expect(out.report.imputed).toEqual({ amount: 2, qty: 1, color: 1, day: 2, score: 1 });
    const v = await stored(out, ['amount', 'qty', 'color', 'day', 'score']);
    const mean = (10.5 + 20.5 + 30) / 3;
    expect(Array.from(v.amount as Float64Array)).toEqual([10.5, mean, 20.5, mean, 30]);
    // The median of 3, 4, 9, 10 is 6.5, rounded for an integer column.
    expect(Array.from(v.qty as Float64Array)).toEqual([3, 4, 7, 9, 10]);
    // red and blue tie (2 each): the smallest wins.
    expect(v.color).toEqual(['red', 'blue', 'red', 'blue', 'blue']);
    expect(Array.from(v.day as Float64Array)).toEqual([Date.UTC(2012, 0, 1), Date.UTC(2000, 0, 1), Date.UTC(2012, 0, 3), Date.UTC(2012, 0, 5), Date.UTC(2000, 0, 1)]);
    expect(Array.from(v.score as Float64Array)).toEqual([1, 2, 0, 5, 6]);
    // The profile describes the stored values.
    expect(out.profile.find((c) => c.name === 'qty')).toMatchObject({ nulls: 0, min: 3, max: 10 });
  });

  it('imputes nothing when no accepted row has a value to compute from', async () => {
    const { out } = await ingest('a,b\n1,\n2,\n', { columns: { b: { type: 'double', impute: { strategy: 'mean' } } } });
    expect(out.report.imputed).toEqual({});
    expect(Number.isNaN((await stored(out, ['b'])).b[0] as number)).toBe(true);
  });
});
