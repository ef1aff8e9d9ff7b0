// The cleansing step as one SQL statement: each record's typed values and the first rule it
// breaks (parse, then per column in schema order: type, not_null, range, allowed), with a
// readable reason. Every value from the rules is a bound parameter.
import type { ColumnRule, RulesDocument } from '../../domain/cleansing-rules.js';
import { ruleId } from '../../domain/cleansing-rules.js';
import type { ColumnType } from '../../domain/datasets.js';
import { ident, Params } from './duckdb-session.js';
import { boundAs, presentExpr, typedExpr } from './typed-sql.js';

const A: Record<ColumnType, string> = { integer: 'an integer', double: 'a number', boolean: 'a boolean', date: 'a date (YYYY-MM-DD)', timestamp: 'a timestamp (ISO 8601)', string: 'a string' };

/** Escape text for a printf format. */
const fmt = (text: string) => text.replace(/%/g, '%%');

function shown(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

interface Check {
  when: string;
  rule: string;
  reason: string;
}

function columnChecks(name: string, index: number, type: ColumnType, rule: ColumnRule | undefined, p: Params): Check[] {
  const raw = ident(name);
  const typed = `__fw_t${index}`;
  const present = presentExpr(type, raw);
  const value = type === 'string' ? raw : `trim(${raw})`;
  const checks: Check[] = [];
  const add = (kind: Parameters<typeof ruleId>[1], when: string, reasonFormat: string) =>
    checks.push({ when, rule: p.add(ruleId(name, kind)), reason: `printf(${p.add(reasonFormat)}, ${value})` });

  if (type !== 'string') add('type', `${present} AND ${typed} IS NULL`, `${fmt(name)}: '%s' is not ${A[type]}`);
  if (rule?.not_null) checks.push({ when: `NOT ${present}`, rule: p.add(ruleId(name, 'not_null')), reason: p.add(`${name} is empty`) });
  if (rule?.range) {
    const { min, max } = rule.range;
    if (min !== undefined) add('range', `${typed} < ${boundAs(type, p.add(min))}`, `${fmt(name)}: %s is below the minimum ${fmt(shown(min))}`);
    if (max !== undefined) add('range', `${typed} > ${boundAs(type, p.add(max))}`, `${fmt(name)}: %s is above the maximum ${fmt(shown(max))}`);
  }
  if (rule?.allowed) {
    const list = rule.allowed.map((v) => boundAs(type, p.add(v))).join(', ');
    const listed = rule.allowed.slice(0, 12).map(shown).join(', ') + (rule.allowed.length > 12 ? `, … (${rule.allowed.length} values)` : '');
    add('allowed', `${typed} IS NOT NULL AND ${typed} NOT IN (${list})`, `${fmt(name)}: '%s' is not one of ${fmt(listed)}`);
  }
  return checks;
}

/**
 * SQL creating `fw_checked` from `fw_records`: __fw_o, __fw_line, __fw_raw, __fw_parse_rule,
 * the raw columns, the typed columns __fw_t0… (schema order), __fw_rule and __fw_reason
 * (NULL when the record is accepted).
 */
export function checkedTableSql(columns: Array<{ name: string; type: ColumnType }>, rules: RulesDocument | null | undefined): { sql: string; params: Params } {
  const p = new Params();
  const checks = columns.flatMap((c, i) => columnChecks(c.name, i, c.type, rules?.columns[c.name], p));
  const ruleCase = ['WHEN __fw_parse_rule IS NOT NULL THEN __fw_parse_rule', ...checks.map((k) => `WHEN ${k.when} THEN ${k.rule}`)].join('\n      ');
  const reasonCase = ['WHEN __fw_parse_rule IS NOT NULL THEN __fw_parse_reason', ...checks.map((k) => `WHEN ${k.when} THEN ${k.reason}`)].join('\n      ');
  const typed = columns.map((c, i) => `${typedExpr(c.type, ident(c.name))} AS __fw_t${i}`).join(',\n    ');
  const raws = columns.map((c) => ident(c.name)).join(', ');
  // Typed values are computed once, in the inner query; the checks read them.
  const sql = `CREATE TABLE fw_checked AS
    SELECT *,
    CASE ${ruleCase} END AS __fw_rule,
    CASE ${reasonCase} END AS __fw_reason
    FROM (SELECT __fw_o, __fw_line, __fw_raw, __fw_parse_rule, __fw_parse_reason, ${raws},
      ${typed}
      FROM fw_records)`;
  return { sql, params: p };
}
