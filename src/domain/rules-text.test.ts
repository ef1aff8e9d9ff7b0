// Unit tests of rules given as text: JSON, YAML (block and flow), and errors naming line and column.
import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { parseRulesText } from './rules-text.js';

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

const YAML_RULES = `# rules for the weather file
columns:
  date: {type: date, not_null: true, range: {min: 2012-01-01}}
  weather:
    normalize: {trim: true, case: lower}
    allowed: [drizzle, fog, rain, snow, sun]
  station:
    regex: '[A-Z]{2}[0-9]{4}'
    unique: true
dedupe:
  key: [date]
  keep: last
pii:
  email: mask
`;

describe('parseRulesText', () => {
  it('reads YAML: dates and words stay strings, defaults are filled in', () => {
    expect(parseRulesText(YAML_RULES)).toEqual({
      columns: {
        date: { type: 'date', not_null: true, range: { min: '2012-01-01' } },
        weather: { normalize: { trim: true, case: 'lower' }, allowed: ['drizzle', 'fog', 'rain', 'snow', 'sun'] },
        station: { regex: '[A-Z]{2}[0-9]{4}', unique: true },
      },
      dedupe: { key: ['date'], keep: 'last' },
      pii: { email: 'mask' },
    });
  });

  it('reads JSON, and YAML flow mappings that are not JSON', () => {
    expect(parseRulesText('{"columns":{"a":{"not_null":true}}}')).toEqual({ columns: { a: { not_null: true } } });
    expect(parseRulesText('{columns: {a: {not_null: true}}}')).toEqual({ columns: { a: { not_null: true } } });
  });

  it('names the line and column of a YAML error', () => {
    const bad = errorOf(() => parseRulesText('columns:\n  a:\n    type: double\n  a: {not_null: true}\n'));
    expect(bad.message).toBe('rules: is not valid JSON or YAML: Map keys must be unique at line 4, column 3');
    expect(bad.details).toMatchObject({ field: 'rules', line: 4, column: 3 });
    const open = errorOf(() => parseRulesText('{columns', 'rules'));
    expect(open.message).toMatch(/^rules: is not valid JSON or YAML: .* at line 1, column 9$/);
    const tabs = errorOf(() => parseRulesText('columns:\n\ta: {}\n', '--rules'));
    expect(tabs.message).toMatch(/^--rules: is not valid JSON or YAML: Tabs are not allowed as indentation at line 2, column 1$/);
  });

  it('validates what the YAML holds, naming the path', () => {
    const bad = errorOf(() => parseRulesText('columns:\n  a:\n    outliers: {method: iqr, k: -2}\n'));
    expect(bad.message).toBe('rules.columns.a.outliers.k: must be a positive number, got -2');
    expect(errorOf(() => parseRulesText('- columns\n')).message).toMatch(/^rules: must be an object/);
    expect(errorOf(() => parseRulesText('')).message).toMatch(/^rules: must be an object/);
  });
});
