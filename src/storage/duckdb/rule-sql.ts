// The row-level cleansing step as one SQL statement: each record's normalised and typed values,
// its PII finds, and the first rule it breaks, with a readable reason. Every value from the rules
// is a bound parameter.
//
// Order of the checks (a row is quarantined under the first rule it breaks):
//   1. parse                      records the parser could not split (`parse.<problem>`)
//   2. normalise                  trim / case, applied before every check below and stored
//   3. per column, in schema order: type → not_null → range → allowed → regex → pii (drop)
//      (this statement)
//   4. dedupe                     by key, over the rows that passed 1–3 (set-rules-sql.ts)
//   5. unique                     per column in schema order, over the rows that passed 1–4
//   6. outliers                   bounds from the rows that passed 1–5, all columns at once
// Then, on the accepted rows only (output-sql.ts): PII masks and imputation of empty values.
// A column with `impute` never breaks its `not_null` (its empty values are filled instead).
import type { ColumnRule, RulesDocument } from '../../domain/cleansing-rules.js';
import { piiRuleOf, ruleId } from '../../domain/cleansing-rules.js';
import type { ColumnType } from '../../domain/datasets.js';
import { detectorsWith, PII_DETECTORS, PII_LABELS, type PiiDetector } from '../../domain/pii.js';
import { ident, Params } from './duckdb-session.js';
import { bitsOf, maskExpr, PII_BIT, piiBitsExpr } from './pii-sql.js';
import { boundAs, presentExpr, SQL_TYPE, typedExpr } from './typed-sql.js';
import type { NativeColumn } from './stage-source.js';

const A: Record<ColumnType, string> = { integer: 'an integer', double: 'a number', boolean: 'a boolean', date: 'a date (YYYY-MM-DD)', timestamp: 'a timestamp (ISO 8601)', string: 'a string' };

/** One column as the cleansing SQL sees it: its rule, and the PII rule that applies to it. */
export interface ColumnPlan {
  name: string;
  type: ColumnType;
  /** Position in the schema: the typed value is `__fw_t<index>`, the PII finds `__fw_p<index>`. */
  index: number;
  rule: ColumnRule | undefined;
  /** PII detectors looking at this column (its own rule, or the document's for strings). */
  detectors: PiiDetector[];
  /** The detectors whose finds are only counted (report.pii_flagged). */
  flagged: PiiDetector[];
  /** The detectors whose finds are masked in the stored value. */
  masked: PiiDetector[];
  /** The detectors whose finds quarantine the row (`<column>.pii`). */
  dropped: PiiDetector[];
  /** How to read the value as `type` from a typed file, instead of casting text (see NativeColumn). */
  native?: NativeColumn;
}

/** The column's value is read natively (a typed file's column with no text normalisation). */
function nativeOf(plan: ColumnPlan): NativeColumn | undefined {
  return plan.rule?.normalize ? undefined : plan.native;
}

/** The column's raw text as the checks and the quarantine see it (before normalisation). */
export function rawTextOf(plan: ColumnPlan): string {
  return nativeOf(plan)?.text ?? ident(plan.name);
}

export function planColumns(columns: Array<{ name: string; type: ColumnType }>, rules: RulesDocument | null | undefined): ColumnPlan[] {
  return columns.map((c, index) => {
    const pii = c.type === 'string' ? piiRuleOf(rules, c.name, c.type) : undefined;
    return {
      name: c.name,
      type: c.type,
      index,
      rule: rules?.columns[c.name],
      detectors: PII_DETECTORS.filter((d) => pii?.[d] !== undefined),
      flagged: detectorsWith(pii, 'flag'),
      masked: detectorsWith(pii, 'mask'),
      dropped: detectorsWith(pii, 'drop'),
    };
  });
}

/** Escape text for a printf format. */
export const fmt = (text: string) => text.replace(/%/g, '%%');

export function shown(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A text as a reason may show it: masked when the column masks PII. */
export function shownText(plan: ColumnPlan, text: string): string {
  return plan.masked.length > 0 ? maskExpr(text, plan.masked) : text;
}

/** The raw text normalised by the column's `normalize` rule (or `raw` itself). */
function normalizedExpr(rule: ColumnRule | undefined, raw: string): string {
  let x = raw;
  if (rule?.normalize?.trim) x = `trim(${x})`;
  if (rule?.normalize?.case === 'lower') x = `lower(${x})`;
  if (rule?.normalize?.case === 'upper') x = `upper(${x})`;
  return x;
}

interface Check {
  when: string;
  rule: string;
  reason: string;
}

function columnChecks(plan: ColumnPlan, src: string, p: Params): Check[] {
  const { name, type, index, rule } = plan;
  const typed = `__fw_t${index}`;
  const present = nativeOf(plan)?.present ?? presentExpr(type, src);
  const value = shownText(plan, type === 'string' ? src : `trim(${src})`);
  const checks: Check[] = [];
  const add = (kind: Parameters<typeof ruleId>[1], when: string, reasonFormat: string) =>
    checks.push({ when, rule: p.add(ruleId(name, kind)), reason: `printf(${p.add(reasonFormat)}, ${value})` });

  // The typed value first: the text is looked at only where it did not cast.
  if (type !== 'string') add('type', `${typed} IS NULL AND ${present}`, `${fmt(name)}: '%s' is not ${A[type]}`);
  // A typed value is a present one: the text is looked at only where there is none.
  if (rule?.not_null && !rule.impute) checks.push({ when: `${typed} IS NULL AND NOT ${present}`, rule: p.add(ruleId(name, 'not_null')), reason: p.add(`${name} is empty`) });
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
  if (rule?.regex !== undefined) {
    const text = type === 'string' ? src : `trim(${src})`;
    add('regex', `${present} AND NOT regexp_full_match(${text}, ${p.add(rule.regex)})`, `${fmt(name)}: '%s' does not match the pattern ${fmt(rule.regex)}`);
  }
  const { dropped } = plan;
  if (dropped.length > 0) {
    // The reason names what was found, never the value.
    const which = dropped.map((d) => `WHEN (__fw_p${index} & ${PII_BIT[d]}) <> 0 THEN ${p.add(`${name}: contains ${PII_LABELS[d]} (PII rule: drop)`)}`).join(' ');
    checks.push({ when: `(__fw_p${index} & ${bitsOf(dropped)}) <> 0`, rule: p.add(ruleId(name, 'pii')), reason: `CASE ${which} END` });
  }
  return checks;
}

/**
 * SQL creating `fw_checked` from `fw_records`: __fw_o, __fw_line, __fw_raw, __fw_parse_rule,
 * __fw_parse_reason, the typed columns __fw_t0… (schema order, normalised),
 * the PII finds __fw_p<i> of the columns with detectors, the masked values __fw_m<i> (NULL
 * when nothing is masked) of the columns that mask, __fw_x<i> (a value that did not cast) of
 * `misfitChecks`, __fw_rule and __fw_reason (NULL when the record is accepted so far).
 */
export function checkedTableSql(plans: ColumnPlan[], misfitChecks: ColumnPlan[] = []): { sql: string; params: Params } {
  const { sql, params } = checkedSelectSql(plans, misfitChecks, 'fw_records');
  return { sql: `CREATE TABLE fw_checked AS\n    ${sql}`, params };
}

/** The query of `fw_checked`'s rows (see checkedTableSql) over the relation `from` of fw_records' columns. */
export function checkedSelectSql(plans: ColumnPlan[], misfitChecks: ColumnPlan[], from: string): { sql: string; params: Params } {
  const p = new Params();
  const { sql: numbered, checks } = firstBrokenSql(plans, from, p);
  // The checks run once per row, giving the number of the first one broken (__fw_k, 0 for a
  // parse problem); rule and reason are looked up from it, the reason built only where one is.
  const ruleCase = ['WHEN __fw_k IS NULL THEN NULL WHEN __fw_k = 0 THEN __fw_parse_rule', ...checks.map((k, i) => `WHEN __fw_k = ${i + 1} THEN ${k.rule}`)].join('\n      ');
  const reasonCase = ['WHEN __fw_k IS NULL THEN NULL WHEN __fw_k = 0 THEN __fw_parse_reason', ...checks.map((k, i) => `WHEN __fw_k = ${i + 1} THEN ${k.reason}`)].join('\n      ');
  const meta = ['__fw_o', '__fw_line', '__fw_raw', '__fw_parse_rule', '__fw_parse_reason'].join(', ');
  // Inferred columns' sampled types are confirmed here: a present value that did not cast. A
  // CASE, not AND: an AND in a projection evaluates both sides on every row, and the text test
  // then cost a trim per value of every column (as much as the cast itself, measured).
  const misfits = misfitChecks
    .map((c) => `CASE WHEN __fw_t${c.index} IS NULL THEN ${presentExpr(c.type, ident(c.name))} ELSE false END AS __fw_x${c.index},\n    `)
    .join('');
  const kept = [...plans.map((c) => `__fw_t${c.index}`), ...plans.filter((c) => c.detectors.length > 0).map((c) => `__fw_p${c.index}`)].join(', ');
  // The masked values are computed once, here, for output-sql.ts to store.
  const masks = plans
    .filter((c) => c.masked.length > 0)
    .map((c) => `CASE WHEN (__fw_p${c.index} & ${bitsOf(c.masked)}) <> 0 THEN ${maskExpr(`__fw_t${c.index}`, c.masked)} END AS __fw_m${c.index},\n    `)
    .join('');
  // The raw text columns are not kept (a quarantined row's come from fw_records by __fw_o).
  const sql = `SELECT ${meta}, ${kept},
    ${masks}${misfits}
    CASE ${ruleCase} END AS __fw_rule,
    CASE ${reasonCase} END AS __fw_reason
    FROM (${numbered})`;
  return { sql, params: p };
}

/** The message of allAcceptedSql's failure when a row breaks a rule. */
export const ROW_BREAKS_A_RULE = 'fw: a row breaks a rule';

/**
 * The query of the stored values of `from`'s rows when every one is accepted, as columns named
 * after the schema (for rules that mask and impute nothing): a row that breaks a rule fails the
 * query (DuckDB's error(), ROW_BREAKS_A_RULE), so it never answers part of a batch. A filter on
 * __fw_rule instead would be pushed down into every check that names the rule, many times over.
 */
export function allAcceptedSql(plans: ColumnPlan[], from: string): { sql: string; params: Params } {
  if (plans.some((c) => c.masked.length > 0 || c.rule?.impute)) throw new Error('masks and imputation are stored from fw_checked (output-sql.ts)');
  const p = new Params();
  const { sql: numbered } = firstBrokenSql(plans, from, p);
  const stored = plans.map((c) => {
    const value = c.index === 0 ? `CASE WHEN __fw_k IS NULL THEN __fw_t0 ELSE CAST(error('${ROW_BREAKS_A_RULE}') AS ${SQL_TYPE[c.type]}) END` : `__fw_t${c.index}`;
    return `${value} AS ${ident(c.name)}`;
  });
  return { sql: `SELECT ${stored.join(', ')} FROM (${numbered})`, params: p };
}

/**
 * `from`'s rows with their normalised text, typed values __fw_t<i> and PII finds __fw_p<i>
 * (computed once each, in inner queries), and __fw_k: the number of the first check broken
 * (`checks[k - 1]`; 0 for a parse problem, NULL for none).
 */
function firstBrokenSql(plans: ColumnPlan[], from: string, p: Params): { sql: string; checks: Check[] } {
  const normalized = plans.filter((c) => c.rule?.normalize);
  const src = (c: ColumnPlan) => (c.rule?.normalize ? `__fw_n${c.index}` : rawTextOf(c));
  const checks = plans.flatMap((c) => columnChecks(c, src(c), p));
  const firstBroken = ['WHEN __fw_parse_rule IS NOT NULL THEN 0', ...checks.map((k, i) => `WHEN ${k.when} THEN ${i + 1}`)].join('\n      ');
  const typed = plans.map((c) => `${nativeOf(c)?.value ?? typedExpr(c.type, src(c))} AS __fw_t${c.index}`);
  const finds = plans.filter((c) => c.detectors.length > 0).map((c) => `${piiBitsExpr(src(c), c.detectors)} AS __fw_p${c.index}`);
  const meta = ['__fw_o', '__fw_line', '__fw_raw', '__fw_parse_rule', '__fw_parse_reason'].join(', ');
  // A native column brings its value and the file's own (its text is built only where shown).
  const base = [meta, ...plans.flatMap((c) => (nativeOf(c) ? [nativeOf(c)!.value, nativeOf(c)!.raw] : [ident(c.name)]))].join(', ');
  const norms = normalized.map((c) => `, ${normalizedExpr(c.rule, ident(c.name))} AS __fw_n${c.index}`).join('');
  // Normalised text first, then typed values and PII finds once each; the checks read them.
  // The normalised text itself is not kept by the callers (the typed value is what is stored).
  const sql = `SELECT *, CASE ${firstBroken} END AS __fw_k
      FROM (SELECT ${base}${normalized.map((c) => `, __fw_n${c.index}`).join('')},
        ${[...typed, ...finds].join(',\n        ')}
        FROM ${normalized.length > 0 ? `(SELECT ${base}${norms} FROM ${from})` : from})`;
  return { sql, checks };
}
