// Values of a statement prepared once and run many times (push-workspace.ts), bound as variables
// of its connection: `SET VARIABLE fw_v3 = $1` with the value bound, and `getvariable('fw_v3')`
// in the statement where `$3` stood. DuckDB folds getvariable() to a constant when it plans the
// statement (a regex compiled once, JSON paths parsed once), whereas a parameter beyond the
// statement's own input would make it plan again at every run. No value is written into SQL.
import type { DuckSession, Params } from './duckdb-session.js';

/** The variable that holds placeholder `$n` (the prefix keeps groups of values apart). */
export const variableName = (prefix: string, n: number) => `${prefix}_v${n}`;

/**
 * Bind every value of `params` as a variable of the session's connection and answer `sql` with
 * its placeholders $1…$n read from them (placeholders inside quoted identifiers and string
 * literals are text, and left alone). The variables live as long as the connection.
 */
export async function bindAsVariables(session: DuckSession, sql: string, params: Params, prefix = 'fw'): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`variable prefix '${prefix}' must be a plain lowercase name`);
  for (let n = 1; n <= params.values.length; n++) await session.run(`SET VARIABLE ${variableName(prefix, n)} = $1`, [params.values[n - 1]], [params.types[n - 1]]);
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (quote) {
      out += ch;
      // A doubled quote stays inside (it is read twice, once here and once on the next character).
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
      continue;
    }
    if (ch === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j])) j++;
      const n = Number(sql.slice(i + 1, j));
      if (n < 1 || n > params.values.length) throw new Error(`placeholder $${n} has no value`);
      out += `getvariable('${variableName(prefix, n)}')`;
      i = j - 1;
      continue;
    }
    out += ch;
  }
  return out;
}
