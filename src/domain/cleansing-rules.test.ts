// Unit tests of the rules document: what it accepts, and every error naming its path.
import { describe, expect, it } from 'vitest';
import { checkRulesFit, parseRules, parseRulesJson, piiRuleOf, ruleId } from './cleansing-rules.js';
import { ValidationError } from './errors.js';

function fieldOf(fn: () => unknown): { field: unknown; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const e = error as ValidationError;
    return { field: e.details?.field, message: e.message };
  }
  throw new Error('expected a ValidationError');
}

describe('parseRules', () => {
  it('accepts a full document and keeps it as given', () => {
    const doc = {
      columns: {
        date: { type: 'date', not_null: true, range: { min: '2012-01-01', max: '2015-12-31' } },
        precipitation: { type: 'double', not_null: true, range: { min: 0, max: 500 } },
        weather: { type: 'string', allowed: ['drizzle', 'fog', 'rain', 'snow', 'sun'], semantic: 'label' },
        wind: { range: { min: 0 } },
      },
    };
    expect(parseRules(doc)).toEqual(doc);
    expect(parseRules({})).toEqual({ columns: {} });
    expect(ruleId('precipitation', 'range')).toBe('precipitation.range');
  });

  it.each([
    [[], 'rules', /must be an object \(JSON or YAML\)/],
    [{ column: {} }, 'rules.column', /unknown key 'column'/],
    [{ columns: [] }, 'rules.columns', /object keyed by column name/],
    [{ columns: { a: 'double' } }, 'rules.columns.a', /must be an object of rules/],
    [{ columns: { a: { maximum: 1 } } }, 'rules.columns.a.maximum', /unknown key 'maximum'/],
    [{ columns: { a: { type: 'float' } } }, 'rules.columns.a.type', /must be one of integer, double/],
    [{ columns: { a: { not_null: 'yes' } } }, 'rules.columns.a.not_null', /true or false/],
    [{ columns: { a: { range: { min: 600, max: 500 } } } }, 'rules.columns.a.range.min', /min \(600\) is greater than max \(500\)/],
    [{ columns: { a: { range: { min: '2015-01-01', max: '2012-01-01' } } } }, 'rules.columns.a.range.min', /greater than max/],
    [{ columns: { a: { range: {} } } }, 'rules.columns.a.range', /needs min, max or both/],
    [{ columns: { a: { range: { low: 1 } } } }, 'rules.columns.a.range.low', /unknown key 'low'/],
    [{ columns: { a: { range: { min: 'soon' } } } }, 'rules.columns.a.range.min', /finite number or an ISO date/],
    [{ columns: { a: { range: { min: 0, max: '2012-01-01' } } } }, 'rules.columns.a.range.min', /same kind/],
    [{ columns: { a: { type: 'string', range: { min: 0 } } } }, 'rules.columns.a.range', /needs an integer, double, date or timestamp column/],
    [{ columns: { a: { type: 'double', range: { min: '2012-01-01' } } } }, 'rules.columns.a.range.min', /must be a number for a double column/],
    [{ columns: { a: { type: 'date', range: { max: 5 } } } }, 'rules.columns.a.range.max', /ISO date string/],
    [{ columns: { a: { allowed: [] } } }, 'rules.columns.a.allowed', /non-empty list/],
    [{ columns: { a: { type: 'string', allowed: ['x', 1] } } }, 'rules.columns.a.allowed.1', /must be a string for a string column/],
    [{ columns: { a: { type: 'integer', allowed: [1.5] } } }, 'rules.columns.a.allowed.0', /must be an integer/],
    [{ columns: { a: { allowed: [{}] } } }, 'rules.columns.a.allowed.0', /string, number or boolean/],
    [{ columns: { a: { semantic: 'feature' } } }, 'rules.columns.a.semantic', /must be one of numeric, categorical/],
    [{ columns: { '': {} } }, 'rules.columns', /1-255 characters/],
    [{ columns: { a: { regex: 5 } } }, 'rules.columns.a.regex', /must be a pattern string/],
    [{ columns: { a: { regex: '' } } }, 'rules.columns.a.regex', /not a valid RE2 pattern: must not be empty/],
    [{ columns: { a: { regex: '(ab' } } }, 'rules.columns.a.regex', /1 group '\(' not closed/],
    [{ columns: { a: { regex: 'ab)' } } }, 'rules.columns.a.regex', /unmatched '\)' at position 3/],
    [{ columns: { a: { regex: '[a-z' } } }, 'rules.columns.a.regex', /character class '\[' is not closed/],
    [{ columns: { a: { regex: 'a(?=b)' } } }, 'rules.columns.a.regex', /lookahead \(\?=…\) is not supported/],
    [{ columns: { a: { regex: '(?<!x)a' } } }, 'rules.columns.a.regex', /lookbehind/],
    [{ columns: { a: { regex: '(a)\\1' } } }, 'rules.columns.a.regex', /backreferences/],
    [{ columns: { a: { regex: '*a' } } }, 'rules.columns.a.regex', /nothing to repeat/],
    [{ columns: { a: { regex: 'a++' } } }, 'rules.columns.a.regex', /possessive/],
    [{ columns: { a: { regex: 'a{2000}' } } }, 'rules.columns.a.regex', /at most 1000/],
    [{ columns: { a: { unique: 'yes' } } }, 'rules.columns.a.unique', /true or false/],
    [{ columns: { a: { outliers: 'iqr' } } }, 'rules.columns.a.outliers', /must be an object like/],
    [{ columns: { a: { outliers: { method: 'mad' } } } }, 'rules.columns.a.outliers.method', /"iqr" or "zscore"/],
    [{ columns: { a: { outliers: { method: 'iqr', k: -1 } } } }, 'rules.columns.a.outliers.k', /positive number/],
    [{ columns: { a: { outliers: { method: 'iqr', threshold: 3 } } } }, 'rules.columns.a.outliers.threshold', /unknown key 'threshold'/],
    [{ columns: { a: { outliers: { method: 'zscore', threshold: 0 } } } }, 'rules.columns.a.outliers.threshold', /positive number/],
    [{ columns: { a: { type: 'string', outliers: { method: 'iqr' } } } }, 'rules.columns.a.outliers', /integer or double column, not string/],
    [{ columns: { a: { normalize: {} } } }, 'rules.columns.a.normalize', /needs "trim": true, a "case", or both/],
    [{ columns: { a: { normalize: { case: 'title' } } } }, 'rules.columns.a.normalize.case', /"lower" or "upper"/],
    [{ columns: { a: { normalize: { trim: 1 } } } }, 'rules.columns.a.normalize.trim', /true or false/],
    [{ columns: { a: { normalize: { strip: true } } } }, 'rules.columns.a.normalize.strip', /unknown key 'strip'/],
    [{ columns: { a: { impute: { strategy: 'zero' } } } }, 'rules.columns.a.impute.strategy', /mean, median, mode, constant/],
    [{ columns: { a: { impute: { strategy: 'constant' } } } }, 'rules.columns.a.impute.value', /needs a value/],
    [{ columns: { a: { impute: { strategy: 'mean', value: 1 } } } }, 'rules.columns.a.impute.value', /only the constant strategy/],
    [{ columns: { a: { type: 'string', impute: { strategy: 'median' } } } }, 'rules.columns.a.impute.strategy', /median needs an integer or double column/],
    [{ columns: { a: { type: 'integer', impute: { strategy: 'constant', value: 1.5 } } } }, 'rules.columns.a.impute.value', /must be an integer/],
    [{ columns: { a: { type: 'date', impute: { strategy: 'constant', value: 'soon' } } } }, 'rules.columns.a.impute.value', /ISO date string/],
    [{ columns: { a: { type: 'string', impute: { strategy: 'constant', value: '' } } } }, 'rules.columns.a.impute.value', /must not be empty/],
    [{ columns: { a: { allowed: ['x'], impute: { strategy: 'constant', value: 'y' } } } }, 'rules.columns.a.impute.value', /not one of the column's allowed values/],
    [{ columns: { a: { range: { max: 10 }, impute: { strategy: 'constant', value: 11 } } } }, 'rules.columns.a.impute.value', /outside the column's range/],
    [{ columns: { a: { pii: ['email'] } } }, 'rules.columns.a.pii', /detector → action/],
    [{ columns: { a: { pii: { ssn: 'drop' } } } }, 'rules.columns.a.pii.ssn', /unknown detector 'ssn'/],
    [{ columns: { a: { pii: { email: 'hide' } } } }, 'rules.columns.a.pii.email', /flag, mask, drop/],
    [{ columns: { a: { type: 'integer', pii: { card: 'mask' } } } }, 'rules.columns.a.pii', /needs a string column/],
    [{ dedupe: ['id'] }, 'rules.dedupe', /must be an object like/],
    [{ dedupe: { key: [] } }, 'rules.dedupe.key', /non-empty list/],
    [{ dedupe: { key: ['id', 'id'] } }, 'rules.dedupe.key.1', /named twice/],
    [{ dedupe: { key: ['id', 3] } }, 'rules.dedupe.key.1', /must be a column name/],
    [{ dedupe: { key: ['id'], keep: 'newest' } }, 'rules.dedupe.keep', /"first" or "last"/],
    [{ dedupe: { key: ['id'], order: 'x' } }, 'rules.dedupe.order', /unknown key 'order'/],
    [{ pii: { phone: 'erase' } }, 'rules.pii.phone', /flag, mask, drop/],
  ])('rejects %j at %s', (doc, field, message) => {
    const got = fieldOf(() => parseRules(doc));
    expect(got.field).toBe(field);
    expect(got.message).toMatch(message);
    expect(got.message.startsWith(`${field}: `)).toBe(true);
  });

  it('accepts every new rule kind and fills in the defaults', () => {
    const doc = {
      columns: {
        id: { type: 'integer', unique: true },
        code: { regex: '(?i)[a-z]{2}[0-9]{4}', normalize: { trim: true, case: 'upper' } },
        amount: { outliers: { method: 'iqr' }, impute: { strategy: 'median' } },
        score: { outliers: { method: 'zscore', threshold: 2.5 }, impute: { strategy: 'constant', value: 0 } },
        day: { type: 'date', impute: { strategy: 'constant', value: '2012-01-01' } },
        contact: { pii: { email: 'mask', phone: 'flag' } },
        notes: { pii: {} },
      },
      dedupe: { key: ['id', 'day'] },
      pii: { card: 'drop', iban: 'mask' },
    };
    expect(parseRules(doc)).toEqual({
      ...doc,
      columns: { ...doc.columns, amount: { outliers: { method: 'iqr', k: 1.5 }, impute: { strategy: 'median' } } },
      dedupe: { key: ['id', 'day'], keep: 'first' },
    });
    expect(ruleId('id', 'unique')).toBe('id.unique');
  });

  it('resolves the PII rule of a column: its own, else the document-wide one for strings', () => {
    const rules = parseRules({ columns: { a: { pii: { email: 'flag' } }, b: { pii: {} } }, pii: { card: 'drop' } });
    expect(piiRuleOf(rules, 'a', 'string')).toEqual({ email: 'flag' });
    expect(piiRuleOf(rules, 'b', 'string')).toBeUndefined();
    expect(piiRuleOf(rules, 'c', 'string')).toEqual({ card: 'drop' });
    expect(piiRuleOf(rules, 'c', 'integer')).toBeUndefined();
  });

  it('parses JSON text and names bad JSON', () => {
    expect(parseRulesJson('{"columns":{"a":{"not_null":true}}}')).toEqual({ columns: { a: { not_null: true } } });
    expect(fieldOf(() => parseRulesJson('{columns')).field).toBe('rules');
  });
});

describe('checkRulesFit', () => {
  const columns = [
    { name: 'date', type: 'date' as const },
    { name: 'precipitation', type: 'double' as const },
    { name: 'weather', type: 'string' as const },
  ];

  it('accepts rules that fit the file', () => {
    expect(() => checkRulesFit(parseRules({ columns: { precipitation: { range: { min: 0 } }, weather: { allowed: ['sun'] } } }), columns)).not.toThrow();
  });

  it('names unknown columns, kinds that do not fit and types that contradict the schema', () => {
    const unknown = fieldOf(() => checkRulesFit(parseRules({ columns: { rain: { not_null: true } } }), columns));
    expect(unknown).toMatchObject({ field: 'rules.columns.rain' });
    expect(unknown.message).toMatch(/column 'rain' is not in the file \(its columns: date, precipitation, weather\)/);
    expect(fieldOf(() => checkRulesFit(parseRules({ columns: { weather: { range: { min: 0 } } } }), columns)).field).toBe('rules.columns.weather.range');
    expect(fieldOf(() => checkRulesFit(parseRules({ columns: { date: { range: { min: 0 } } } }), columns)).field).toBe('rules.columns.date.range.min');
    expect(fieldOf(() => checkRulesFit(parseRules({ columns: { precipitation: { allowed: ['x'] } } }), columns)).field).toBe('rules.columns.precipitation.allowed.0');
    expect(fieldOf(() => checkRulesFit(parseRules({ columns: { weather: { type: 'double' } } }), columns, { fixedTypes: true })).field).toBe('rules.columns.weather.type');
  });

  it.each([
    [{ columns: { weather: { outliers: { method: 'iqr' } } } }, 'rules.columns.weather.outliers', /outliers need an integer or double column, and weather is string/],
    [{ columns: { weather: { impute: { strategy: 'mean' } } } }, 'rules.columns.weather.impute.strategy', /mean needs an integer or double column/],
    [{ columns: { precipitation: { impute: { strategy: 'constant', value: 'none' } } } }, 'rules.columns.precipitation.impute.value', /must be a number for a double column/],
    [{ columns: { date: { impute: { strategy: 'constant', value: '2012-13' } } } }, 'rules.columns.date.impute.value', /ISO date string/],
    [{ columns: { precipitation: { pii: { email: 'flag' } } } }, 'rules.columns.precipitation.pii', /needs a string column, and precipitation is double/],
    [{ dedupe: { key: ['date', 'station'] } }, 'rules.dedupe.key.1', /column 'station' is not in the file/],
  ])('names a new rule that does not fit: %j at %s', (doc, field, message) => {
    const got = fieldOf(() => checkRulesFit(parseRules(doc), columns));
    expect(got.field).toBe(field);
    expect(got.message).toMatch(message);
  });

  it('accepts new rules that fit', () => {
    const rules = parseRules({
      columns: { precipitation: { outliers: { method: 'zscore' }, impute: { strategy: 'mean' } }, weather: { pii: { email: 'mask' }, impute: { strategy: 'mode' } } },
      dedupe: { key: ['date'] },
      pii: { phone: 'flag' },
    });
    expect(() => checkRulesFit(rules, columns)).not.toThrow();
  });
});
