// Compile every `regex` rule in DuckDB (RE2) before the ingest reads a row, so a pattern the
// quick check in the domain let through still fails as a bad request naming its field.
import type { RulesDocument } from '../../domain/cleansing-rules.js';
import { ValidationError } from '../../domain/errors.js';
import { duckMessage, type DuckSession } from './duckdb-session.js';

export async function checkRegexRules(session: DuckSession, rules: RulesDocument | null | undefined, field = 'rules'): Promise<void> {
  for (const [name, rule] of Object.entries(rules?.columns ?? {})) {
    if (rule.regex === undefined) continue;
    try {
      await session.rows('SELECT regexp_full_match($1, $2) AS ok', ['', rule.regex]);
    } catch (error) {
      const f = `${field}.columns.${name}.regex`;
      throw new ValidationError(`${f}: is not a valid RE2 pattern: ${duckMessage(error)}`, { field: f });
    }
  }
}
