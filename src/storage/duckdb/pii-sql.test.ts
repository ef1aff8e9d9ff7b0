// Unit tests of the PII SQL: Luhn and mod-97 macros, what each detector finds (and does not),
// the masks, and that the quick RE2 check of the rules agrees with DuckDB's compiler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PiiDetector } from '../../domain/pii.js';
import { re2Problem } from '../../domain/re2-pattern.js';
import { DuckSession } from './duckdb-session.js';
import { installPiiMacros, maskExpr, PII_BIT, piiBitsExpr } from './pii-sql.js';

let s: DuckSession;
beforeAll(async () => {
  s = await DuckSession.open();
  await installPiiMacros(s);
});
afterAll(() => s.close());

async function one<T>(sql: string, params: Array<string | null> = []): Promise<T> {
  const [row] = await s.rows<{ v: T }>(`SELECT ${sql} AS v`, params);
  return row.v;
}

const detectedBy = async (text: string, detector: PiiDetector) => ((await one<number>(piiBitsExpr('$1::VARCHAR', [detector]), [text])) & PII_BIT[detector]) !== 0;

describe('PII macros', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
    ['5500000000000004', true],
    ['6011000990139424', true],
    ['378282246310005', true],
  ])('fw_luhn(%s) = %s', async (digits, ok) => {
    expect(await one<boolean>('fw_luhn($1)', [digits])).toBe(ok);
  });

  it.each([
    ['GB82WEST12345698765432', true],
    ['GB82WEST12345698765433', false],
    ['DE89370400440532013000', true],
    ['FR1420041010050500013M02606', true],
    ['NL91ABNA0417164300', true],
    ['NL91ABNA0417164301', false],
    ['GB82WEST', false],
  ])('fw_mod97(%s) = %s', async (iban, ok) => {
    expect(await one<boolean>('fw_mod97($1)', [iban])).toBe(ok);
  });
});

describe('detectors', () => {
  it.each<[PiiDetector, string, boolean]>([
    ['email', 'write to a.b+c@mail.example.co.uk today', true],
    ['email', 'a@b', false],
    ['email', 'user at example dot com', false],
    ['phone', '+1 206 555 0100', true],
    ['phone', '+14155550100', true],
    ['phone', '+44 (0)20 7946 0958', true],
    ['phone', 'call (206) 555-0100', true],
    ['phone', '206.555.0100', true],
    ['phone', '020 7946 0958', true],
    ['phone', '07700 900123', true],
    ['phone', '01 23 45 67 89', true],
    ['phone', '030 1234567', true],
    ['phone', '2012-01-01', false],
    ['phone', '2020-03-08T09:31:15.897Z', false],
    ['phone', '01.02.2023 10:30', false],
    ['phone', '-62.6718', false],
    ['phone', '+1 2', false],
    ['phone', '12345', false],
    ['card', '4111 1111 1111 1111', true],
    ['card', 'card: 4111-1111-1111-1111.', true],
    ['card', '378282246310005', true],
    ['card', '4111 1111 1111 1112', false],
    ['card', '12345678901234567890', false],
    ['card', 'DE89 3704 0044 0532 0130 00', false],
    ['iban', 'GB82 WEST 1234 5698 7654 32 and more', true],
    ['iban', 'iban: de89 3704 0044 0532 0130 00', true],
    ['iban', 'GB82 WEST 1234 5698 7654 33', false],
    ['iban', 'AB12 CDEF GHIJ', false],
  ])('%s finds PII in %j: %s', async (detector, text, found) => {
    expect(await detectedBy(text, detector)).toBe(found);
  });

  it('finds nothing in empty values', async () => {
    expect(await one<number>(piiBitsExpr('$1::VARCHAR', ['email', 'phone', 'card', 'iban']), [null])).toBe(0);
    expect(await one<number>(piiBitsExpr('$1::VARCHAR', ['email', 'phone', 'card', 'iban']), [''])).toBe(0);
  });
});

describe('masks', () => {
  it('replaces each valid find, leaving the rest of the text', async () => {
    const all: PiiDetector[] = ['email', 'phone', 'card', 'iban'];
    const mask = (text: string) => one<string>(maskExpr('$1::VARCHAR', all), [text]);
    expect(await mask('mail a.b@ex.co.uk or +1 206 555 0100')).toBe('mail ***@*** or ***-***-****');
    expect(await mask('4111 1111 1111 1111 and 4111 1111 1111 1112')).toBe('**** **** **** 1111 and 4111 1111 1111 1112');
    expect(await mask('iban GB82 WEST 1234 5698 7654 32.')).toBe('iban GB** **** 5432.');
    expect(await mask('DE89 3704 0044 0532 0130 00')).toBe('DE** **** 3000');
    expect(await mask('nothing here')).toBe('nothing here');
  });
});

describe('re2Problem agrees with DuckDB', () => {
  const compiles = async (pattern: string) =>
    s.rows('SELECT regexp_full_match($1, $2) AS ok', ['', pattern]).then(
      () => true,
      () => false,
    );
  it.each([
    '[A-Z]{2}[0-9]{4}',
    '(?i)abc',
    '(?:a|b)+?',
    '(?P<year>[0-9]{4})-[0-9]{2}',
    '[[:alpha:]]+',
    '[]a]',
    String.raw`\Q(*)\E`,
    String.raw`\d{3}\.\w+\s*$`,
    '^a{2,}b{0,3}c?$',
    'x*?y+?z??',
    '(a(b)c)|d',
  ])('accepts %s, which DuckDB compiles', async (pattern) => {
    expect(re2Problem(pattern)).toBeNull();
    expect(await compiles(pattern)).toBe(true);
  });

  it.each(['(ab', 'ab)', '[a-z', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', String.raw`(a)\1`, '*a', 'a|+b', 'a++', 'a{1001}', 'a{3,2}', '(?>a)', 'x\\'])(
    'rejects %s, which DuckDB rejects too',
    async (pattern) => {
      expect(re2Problem(pattern)).not.toBeNull();
      expect(await compiles(pattern)).toBe(false);
    },
  );
});
