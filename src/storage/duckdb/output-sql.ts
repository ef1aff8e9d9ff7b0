// What the accepted rows store, after the checks: PII finds masked (`mask` rules) and empty
// values imputed (`impute` rules; statistics over the accepted rows' stored values, so PII a
// mask hid is never copied into another row). Answers the query of the accepted rows' stored
// values (__fw_o and the stored columns __fw_t0…) that the accepted Parquet and the profile
// read, and counts what was imputed, flagged and masked for the report.
import { VARCHAR } from '@duckdb/node-api';
import type { IngestReport } from '../../domain/datasets.js';
import { PII_DETECTORS } from '../../domain/pii.js';
import { Params, type DuckSession } from './duckdb-session.js';
import { bitsOf, maskExpr, PII_BIT } from './pii-sql.js';
import { rawTextOf, type ColumnPlan } from './rule-sql.js';
import { boundAs, SQL_TYPE } from './typed-sql.js';
import { ONE_GROUP, type RowGroups } from './row-groups.js';

const ACCEPTED = 'fw_checked WHERE __fw_rule IS NULL';

/** A quarantined row's raw value as the quarantine keeps it (masked when the column masks PII). */
export function quarantineValueExpr(plan: ColumnPlan): string {
  const raw = rawTextOf(plan);
  if (plan.masked.length === 0) return raw;
  return `CASE WHEN (__fw_p${plan.index} & ${bitsOf(plan.masked)}) <> 0 THEN ${maskExpr(raw, plan.masked)} ELSE ${raw} END`;
}

/** The value imputed into column `plan` (SQL over the accepted rows), computed once into fw_fill. */
function fillExpr(plan: ColumnPlan, stored: string, p: Params): string {
  const impute = plan.rule!.impute!;
  const x = `__fw_t${plan.index}`;
  const whole = (v: string) => (plan.type === 'integer' ? `CAST(round(${v}) AS BIGINT)` : v);
  switch (impute.strategy) {
    case 'mean':
      return `(SELECT ${whole(`avg(CAST(${x} AS DOUBLE))`)} FROM ${ACCEPTED})`;
    case 'median':
      return `(SELECT ${whole(`quantile_cont(CAST(${x} AS DOUBLE), 0.5)`)} FROM ${ACCEPTED})`;
    case 'mode':
      // The most frequent stored value; the smallest on ties, so the choice is reproducible.
      return `(SELECT v FROM (SELECT ${stored} AS v, count(*) AS n FROM ${ACCEPTED} AND ${x} IS NOT NULL GROUP BY 1) ORDER BY n DESC, v LIMIT 1)`;
    case 'constant': {
      const v = impute.value!;
      if (plan.type === 'date' || plan.type === 'timestamp') return boundAs(plan.type, p.add(String(v), VARCHAR));
      return `CAST(${p.add(v)} AS ${SQL_TYPE[plan.type]})`;
    }
  }
}

export type OutputCounts = Pick<IngestReport, 'imputed' | 'pii_flagged' | 'pii_masked'>;

/** The rules impute, flag or mask something, so the report counts what they did (a query). */
export function countsOutput(plans: ColumnPlan[]): boolean {
  return plans.some((c) => c.rule?.impute || c.flagged.length > 0 || c.masked.length > 0);
}

/**
 * The query of the accepted rows' stored values, and the counts of imputed, flagged and
 * masked values. The report maps are present when the rules ask for them (entries only for
 * counts above zero, as by_rule). With `split`, the counts are per group of rows (the groups
 * of a coalesced push, see ingest-pipeline.ts), one entry per group.
 */
export async function prepareOutput(session: DuckSession, plans: ColumnPlan[], split: RowGroups = ONE_GROUP): Promise<{ relation: string; counts: OutputCounts[] }> {
  const imputing = plans.filter((c) => c.rule?.impute);
  // fw_checked holds the masked values already (__fw_m<i>, see rule-sql.ts).
  const stored = plans.map((c) => (c.masked.length > 0 ? `coalesce(__fw_m${c.index}, __fw_t${c.index})` : `__fw_t${c.index}`));
  if (imputing.length > 0) {
    const p = new Params();
    const fills = imputing.map((c) => `${fillExpr(c, stored[c.index], p)} AS __fw_f${c.index}`).join(', ');
    await session.run(`CREATE TABLE fw_fill AS SELECT ${fills}`, p.values, p.types);
  }
  const outs = plans.map((c) => (c.rule?.impute ? `coalesce(${stored[c.index]}, __fw_f${c.index})` : stored[c.index]));
  // A query, not a view: its few readers inline it (a view is one more statement per push).
  const relation = `SELECT __fw_o, ${outs.map((o, i) => `${o} AS __fw_t${i}`).join(', ')}
    FROM fw_checked${imputing.length > 0 ? ' CROSS JOIN fw_fill' : ''} WHERE __fw_rule IS NULL`;

  const counts: Array<{ map: keyof OutputCounts; key: string; sql: string }> = [];
  for (const c of imputing) counts.push({ map: 'imputed', key: c.name, sql: `__fw_t${c.index} IS NULL AND __fw_f${c.index} IS NOT NULL` });
  for (const c of plans) {
    for (const d of PII_DETECTORS) {
      const map = c.flagged.includes(d) ? 'pii_flagged' : c.masked.includes(d) ? 'pii_masked' : null;
      if (map) counts.push({ map, key: `${c.name}.${d}`, sql: `(__fw_p${c.index} & ${PII_BIT[d]}) <> 0` });
    }
  }
  const empty = (): OutputCounts => {
    const out: OutputCounts = {};
    if (imputing.length > 0) out.imputed = {};
    if (plans.some((c) => c.flagged.length > 0)) out.pii_flagged = {};
    if (plans.some((c) => c.masked.length > 0)) out.pii_masked = {};
    return out;
  };
  const outs2 = Array.from({ length: split.count }, empty);
  if (counts.length === 0) return { relation, counts: outs2 };
  const rows = await session.rows<Record<string, string>>(
    `SELECT ${split.expr} AS g, ${counts.map((k, i) => `count(*) FILTER (WHERE ${k.sql}) AS n${i}`).join(', ')}
     FROM fw_checked${imputing.length > 0 ? ' CROSS JOIN fw_fill' : ''} WHERE __fw_rule IS NULL GROUP BY 1`,
  );
  for (const row of rows) {
    const out = outs2[Number(row.g)];
    counts.forEach((k, i) => {
      const n = Number(row[`n${i}`]);
      if (n > 0) out[k.map]![k.key] = n;
    });
  }
  return { relation, counts: outs2 };
}
