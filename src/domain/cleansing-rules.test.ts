// Unit tests of the rules document: what it accepts, and every error naming its path.
import { describe, expect, it } from 'vitest';
import { checkRulesFit, parseRules, parseRulesJson, ruleId } from './cleansing-rules.js';
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
    [[], 'rules', /must be a JSON object/],
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
  ])('rejects %j at %s', (doc, field, message) => {
    const got = fieldOf(() => parseRules(doc));
    expect(got.field).toBe(field);
    expect(got.message).toMatch(message);
    expect(got.message.startsWith(`${field}: `)).toBe(true);
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
});
