// Rules documents as text, JSON or YAML (a query parameter, a CLI file, a form): JSON is tried
// first; anything else is read as one YAML 1.2 document (core schema: `2012-01-01` and `yes`
// stay strings, duplicate keys are errors). Errors name the line and column.
import { parseDocument } from 'yaml';
import { parseRules, type RulesDocument } from './cleansing-rules.js';
import { ValidationError } from './errors.js';

const MAX_ALIASES = 100;

/**
 * Parse and validate a rules document given as JSON or YAML text.
 * @example parseRulesText('columns:\n  wind: {type: double, range: {min: 0}}\n')
 */
export function parseRulesText(text: string, field = 'rules'): RulesDocument {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return parseRules(JSON.parse(trimmed), field);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // Not JSON: it may still be a YAML flow mapping such as {columns: {a: {not_null: true}}}.
    }
  }
  const doc = parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: true, strict: true, prettyErrors: true });
  const [error] = doc.errors;
  if (error) {
    const at = error.linePos?.[0];
    const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    throw new ValidationError(`${field}: is not valid JSON or YAML: ${what}${where}`, { field, ...(at ? { line: at.line, column: at.col } : {}) });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    throw new ValidationError(`${field}: could not be read as YAML: ${e instanceof Error ? e.message : String(e)}`, { field });
  }
  return parseRules(value ?? null, field);
}
