// The cleansing rules that look across rows, run after the row-level checks of rule-sql.ts on
// the rows still accepted, each stage on the survivors of the one before: de-duplication by key,
// then `unique` per column (schema order), then outliers (the bounds of every column computed
// once, from the same rows). A stage writes its rule and reason into fw_checked's __fw_rule and
// __fw_reason, so a row keeps the first rule it broke. Rows are ordered by their source line.
import { DOUBLE } from '@duckdb/node-api';
import { DEDUPE_RULE, ruleId, type DedupeRule, type OutlierRule } from '../../domain/cleansing-rules.js';
import { Params, type DuckSession } from './duckdb-session.js';
import { fmt, shownText, type ColumnPlan } from './rule-sql.js';

/** Quarantine the rows `select` yields (columns __fw_o, rule, reason). */
async function quarantineRows(session: DuckSession, select: string, p: Params): Promise<void> {
  await session.run(`CREATE OR REPLACE TEMP TABLE fw_late AS ${select}`, p.values, p.types);
  await session.run('UPDATE fw_checked SET __fw_rule = l.rule, __fw_reason = l.reason FROM fw_late l WHERE fw_checked.__fw_o = l.__fw_o');
  await session.run('DROP TABLE fw_late');
}

/** A typed value as text for a reason ('(empty)' for NULL, masked when the column masks PII). */
function valueText(plan: ColumnPlan): string {
  return shownText(plan, `coalesce(CAST(__fw_t${plan.index} AS VARCHAR), '(empty)')`);
}

/**
 * Rows sharing the key of an earlier (keep first) or later (keep last) accepted row. Empty key
 * values are equal to each other. Only keys that occur more than once are ranked.
 */
async function dedupe(session: DuckSession, plans: ColumnPlan[], rule: DedupeRule): Promise<void> {
  const keys = rule.key.map((name) => plans.find((c) => c.name === name)!);
  const cols = keys.map((c) => `__fw_t${c.index}`);
  const p = new Params();
  const format = `duplicate key ${keys.map((c) => `${fmt(c.name)}=%s`).join(', ')}: line %s is the one kept (keep ${rule.keep})`;
  const same = cols.map((c) => `r.${c} IS NOT DISTINCT FROM d.${c}`).join(' AND ');
  await quarantineRows(
    session,
    `WITH d AS (SELECT ${cols.join(', ')} FROM fw_checked WHERE __fw_rule IS NULL GROUP BY ALL HAVING count(*) > 1)
     SELECT __fw_o, ${p.add(DEDUPE_RULE)} AS rule, printf(${p.add(format)}, ${keys.map(valueText).join(', ')}, CAST(__fw_kept AS VARCHAR)) AS reason
     FROM (SELECT r.__fw_o, ${cols.map((c) => `r.${c}`).join(', ')}, row_number() OVER w AS __fw_rn, first_value(r.__fw_line) OVER w AS __fw_kept
           FROM fw_checked r SEMI JOIN d ON ${same}
           WHERE r.__fw_rule IS NULL
           WINDOW w AS (PARTITION BY ${cols.map((c) => `r.${c}`).join(', ')} ORDER BY r.__fw_o ${rule.keep === 'last' ? 'DESC' : 'ASC'}))
     WHERE __fw_rn > 1`,
    p,
  );
}

/** Rows whose value an earlier accepted row already has (empty values never clash). */
async function unique(session: DuckSession, plan: ColumnPlan): Promise<void> {
  const col = `__fw_t${plan.index}`;
  const p = new Params();
  await quarantineRows(
    session,
    `WITH d AS (SELECT ${col} FROM fw_checked WHERE __fw_rule IS NULL AND ${col} IS NOT NULL GROUP BY ALL HAVING count(*) > 1)
     SELECT __fw_o, ${p.add(ruleId(plan.name, 'unique'))} AS rule, printf(${p.add(`${fmt(plan.name)}: '%s' is already on line %s`)}, ${valueText(plan)}, CAST(__fw_kept AS VARCHAR)) AS reason
     FROM (SELECT r.__fw_o, r.${col}, row_number() OVER w AS __fw_rn, first_value(r.__fw_line) OVER w AS __fw_kept
           FROM fw_checked r SEMI JOIN d ON r.${col} = d.${col}
           WHERE r.__fw_rule IS NULL
           WINDOW w AS (PARTITION BY r.${col} ORDER BY r.__fw_o))
     WHERE __fw_rn > 1`,
    p,
  );
}

/** A bound for a reason: up to 8 significant digits. */
function num(x: number): string {
  return String(Number(x.toPrecision(8)));
}

interface Bounds {
  plan: ColumnPlan;
  rule: OutlierRule;
  lo: number;
  hi: number;
  mean: number;
  std: number;
}

/** Quarantine values outside each column's bounds; the first such column (schema order) names the rule. */
async function outliers(session: DuckSession, plans: ColumnPlan[]): Promise<void> {
  const stats = plans.flatMap((c) => {
    const x = `CAST(__fw_t${c.index} AS DOUBLE)`;
    return c.rule!.outliers!.method === 'iqr'
      ? [`quantile_cont(${x}, [0.25, 0.75]) AS q${c.index}`]
      : [`avg(${x}) AS m${c.index}`, `stddev_samp(${x}) AS s${c.index}`];
  });
  const [row] = await session.rows<Record<string, unknown>>(`SELECT ${stats.join(', ')} FROM fw_checked WHERE __fw_rule IS NULL`);
  const bounds: Bounds[] = [];
  for (const plan of plans) {
    const rule = plan.rule!.outliers!;
    if (rule.method === 'iqr') {
      const q = row[`q${plan.index}`] as number[] | null;
      if (!q) continue; // no values to take bounds from
      const iqr = q[1] - q[0];
      bounds.push({ plan, rule, lo: q[0] - rule.k * iqr, hi: q[1] + rule.k * iqr, mean: 0, std: 0 });
    } else {
      const mean = row[`m${plan.index}`] as number | null;
      const std = row[`s${plan.index}`] as number | null;
      if (mean === null || std === null || !(std > 0)) continue; // fewer than two values, or all equal
      bounds.push({ plan, rule, lo: mean - rule.threshold * std, hi: mean + rule.threshold * std, mean, std });
    }
  }
  if (bounds.length === 0) return;
  const p = new Params();
  const whens = bounds.map((b) => {
    const x = `__fw_t${b.plan.index}`;
    const when = `(${x} < ${p.add(b.lo, DOUBLE)} OR ${x} > ${p.add(b.hi, DOUBLE)})`;
    const range = `[${num(b.lo)}, ${num(b.hi)}]`;
    const reason =
      b.rule.method === 'iqr'
        ? `printf(${p.add(`${fmt(b.plan.name)}: %s is outside ${range} (IQR rule, k = ${b.rule.k})`)}, CAST(${x} AS VARCHAR))`
        : `printf(${p.add(`${fmt(b.plan.name)}: %s is outside ${range} (z-score %.2f, threshold ${b.rule.threshold})`)}, CAST(${x} AS VARCHAR), (${x} - ${p.add(b.mean, DOUBLE)}) / ${p.add(b.std, DOUBLE)})`;
    return { when, rule: p.add(ruleId(b.plan.name, 'outliers')), reason };
  });
  await session.run(
    `UPDATE fw_checked SET
       __fw_rule = CASE ${whens.map((w) => `WHEN ${w.when} THEN ${w.rule}`).join(' ')} END,
       __fw_reason = CASE ${whens.map((w) => `WHEN ${w.when} THEN ${w.reason}`).join(' ')} END
     WHERE __fw_rule IS NULL AND (${whens.map((w) => w.when).join(' OR ')})`,
    p.values,
    p.types,
  );
}

/** Run the cross-row stages in order: dedupe, unique (schema order), outliers. */
export async function applySetRules(session: DuckSession, plans: ColumnPlan[], dedupeRule: DedupeRule | undefined): Promise<void> {
  if (dedupeRule) await dedupe(session, plans, dedupeRule);
  for (const plan of plans) if (plan.rule?.unique) await unique(session, plan);
  const withOutliers = plans.filter((c) => c.rule?.outliers);
  if (withOutliers.length > 0) await outliers(session, withOutliers);
}
