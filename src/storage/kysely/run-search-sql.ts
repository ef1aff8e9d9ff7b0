// A run search as SQL with bound values: one join per metric, param or tag the filter or the order
// names (inner for a filter, left for an order term; one join when both name the same key), the
// clauses as conditions, and sort keys whose values page the result (keyset, no OFFSET scans).
// Metric order: values, then NaN, then runs without the metric, in either direction (as MLflow).
// When the first order term can be missing, the search runs in segments (runs with a value, then
// NaN, then without), each a plain join whose order an index can give: "the 50 best runs by auc"
// walks run_latest_metrics_sort and stops, instead of sorting every run of the experiment.
import { sql, type RawBuilder } from 'kysely';
import { ValidationError } from '../../domain/errors.js';
import type { Clause, Entity, OrderTerm, RunSearchQuery, SortKey } from '../../domain/run-search.js';
import type { Dialect } from './connect.js';

type Expr = RawBuilder<unknown>;

export interface SortExpr {
  expr: Expr;
  ascending: boolean;
}

export interface SearchSql {
  joins: Expr[];
  conditions: Expr[];
  sort: SortExpr[];
  /** How many segments the first order term splits the runs into (0: not segmented). */
  segments: number;
  /** The first sort key is a metric's latest value that every run found has: its index should lead. */
  metricLeads: boolean;
}

type Joinable = Exclude<Entity, 'attribute'>;

const TABLE: Record<Joinable, string> = { metric: 'run_latest_metrics', param: 'run_params', tag: 'run_tags' };
const COMPARE: Record<string, string> = { '=': '=', '!=': '<>', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

/** The SQL expression of a run attribute (names from RUN_ATTRIBUTES, checked by the service). */
function attribute(key: string): { expr: Expr; nullable: boolean } {
  switch (key) {
    case 'run_id':
      return { expr: sql`r.id`, nullable: false };
    case 'run_name':
      return { expr: sql`r.name`, nullable: false };
    case 'status':
      return { expr: sql`r.status`, nullable: false };
    case 'user_id':
      return { expr: sql`r.user_id`, nullable: true };
    case 'lifecycle_stage':
      return { expr: sql`r.lifecycle_stage`, nullable: false };
    case 'start_time':
      return { expr: START, nullable: false };
    case 'end_time':
      return { expr: sql`r.end_time`, nullable: true };
    case 'created':
      return { expr: sql`r.created_at`, nullable: false };
    default:
      throw new ValidationError(`unknown run attribute '${key}'`, { field: 'filter' });
  }
}

/** A run's start, or its creation while it has not started (indexed as runs_experiment_start). */
export const START = sql`COALESCE(r.start_time, r.created_at)`;

/** The sort value of the segment of runs without the value (an expression: a bare 0 would mean "column 0" in ORDER BY). */
const NONE = sql`CAST(0 AS INTEGER)`;

/** MLflow's status names in SQL, for ordering by status as MLflow clients see it. */
const MLFLOW_STATUS_SQL = sql`CASE r.status WHEN 'queued' THEN 'SCHEDULED' WHEN 'running' THEN 'RUNNING' WHEN 'finished' THEN 'FINISHED' WHEN 'failed' THEN 'FAILED' ELSE 'KILLED' END`;

/** A SQL LIKE pattern as a case-sensitive GLOB pattern (SQLite's LIKE ignores ASCII case). */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const c of pattern) out += c === '%' ? '*' : c === '_' ? '?' : c === '*' || c === '?' || c === '[' ? `[${c}]` : c;
  return out;
}

function textCondition(column: Expr, c: Clause, dialect: Dialect): Expr {
  const v = c.value;
  if (c.op === 'IN' || c.op === 'NOT IN') {
    const list = v as string[];
    if (list.length === 0) return c.op === 'IN' ? sql`1 = 0` : sql`${column} IS NOT NULL`;
    return sql`${column} ${sql.raw(c.op)} (${sql.join(list)})`;
  }
  if (c.op === 'LIKE') return dialect === 'sqlite' ? sql`${column} GLOB ${likeToGlob(String(v))}` : sql`${column} LIKE ${String(v)}`;
  if (c.op === 'ILIKE') return sql`lower(${column}) LIKE lower(${String(v)})`;
  return sql`${column} ${sql.raw(COMPARE[c.op])} ${v as string | number}`;
}

/** How many segments an order term splits runs into: with a value / NaN (metrics) / without. */
function segmentsOf(t: OrderTerm, filtered: boolean): number {
  if (t.entity === 'attribute') return t.key === 'user_id' || t.key === 'end_time' ? 2 : 0;
  if (filtered) return 0;
  return t.entity === 'metric' ? 3 : 2;
}

/**
 * The joins, conditions and sort keys of a query (the runs table is `r`). With `segment`, the
 * first order term is fixed to that segment (0: has a value, 1: NaN for metrics, last: missing)
 * and leaves the sort; the caller pages through the segments in order.
 */
export function searchSql(q: Pick<RunSearchQuery, 'clauses' | 'order' | 'experimentIds'>, dialect: Dialect, segment?: number): SearchSql {
  const joins: Expr[] = [];
  const conditions: Expr[] = [];
  const aliases = new Map<string, { alias: string; inner: boolean }>();
  const join = (entity: Joinable, key: string, kind: 'JOIN' | 'LEFT JOIN') => {
    const id = `${entity}\u0000${key}`;
    const found = aliases.get(id);
    if (found) return found;
    const alias = `j${aliases.size}`;
    // The latest metrics also carry the experiment: naming it lets the planner walk their sort index.
    const experiment = entity === 'metric' ? sql` AND ${sql.ref(`${alias}.experiment_id`)} IN (${sql.join(q.experimentIds)})` : sql``;
    joins.push(sql`${sql.raw(kind)} ${sql.table(TABLE[entity])} AS ${sql.raw(alias)} ON ${sql.ref(`${alias}.run_id`)} = r.id AND ${sql.ref(`${alias}.key`)} = ${key}${experiment}`);
    const made = { alias, inner: kind === 'JOIN' };
    aliases.set(id, made);
    return made;
  };

  for (const c of q.clauses) {
    if (c.entity === 'attribute') {
      conditions.push(textCondition(attribute(c.key).expr, c, dialect));
      continue;
    }
    const { alias } = join(c.entity, c.key, 'JOIN');
    const value = sql.ref(`${alias}.value`);
    if (c.entity === 'metric') conditions.push(sql`${sql.ref(`${alias}.is_nan`)} = 0 AND ${value} ${sql.raw(COMPARE[c.op])} ${c.value as number}`);
    else conditions.push(textCondition(value, c, dialect));
  }

  const first = q.order[0];
  const segments = first ? segmentsOf(first, first.entity !== 'attribute' && aliases.has(`${first.entity}\u0000${first.key}`)) : 0;
  const sort: SortExpr[] = [];
  q.order.forEach((t, i) => {
    const fixed = i === 0 && segments > 0 && segment !== undefined ? segment : undefined;
    if (t.entity === 'attribute') return attributeSort(sort, conditions, t, fixed);
    const missing = fixed !== undefined && fixed === segmentsOf(t, false) - 1;
    const { alias, inner } = join(t.entity, t.key, fixed !== undefined && !missing ? 'JOIN' : 'LEFT JOIN');
    const value = sql.ref(`${alias}.value`);
    const present = sql.ref(`${alias}.run_id`);
    const nan = sql.ref(`${alias}.is_nan`);
    if (fixed !== undefined) {
      if (missing) conditions.push(sql`${present} IS NULL`);
      else if (t.entity === 'metric') conditions.push(sql`${nan} = ${fixed}`);
      // Within a segment the value is there (or absent throughout): sort on the bare column.
      return void sort.push({ expr: missing ? NONE : value, ascending: t.ascending });
    }
    if (inner) return void sort.push({ expr: value, ascending: t.ascending });
    const rank = t.entity === 'metric' ? sql`CASE WHEN ${present} IS NULL THEN 2 WHEN ${nan} = 1 THEN 1 ELSE 0 END` : sql`CASE WHEN ${present} IS NULL THEN 1 ELSE 0 END`;
    sort.push({ expr: rank, ascending: true }, { expr: t.entity === 'metric' ? sql`COALESCE(${value}, 0)` : sql`COALESCE(${value}, '')`, ascending: t.ascending });
  });
  const metricLeads = first?.entity === 'metric' && (segments === 0 || (segment !== undefined && segment < segments - 1));
  sort.push({ expr: START, ascending: false }, { expr: sql`r.id`, ascending: true });
  return { joins, conditions, sort, segments, metricLeads };
}

function attributeSort(sort: SortExpr[], conditions: Expr[], t: OrderTerm, fixed: number | undefined): void {
  if (t.key === 'status') return void sort.push({ expr: MLFLOW_STATUS_SQL, ascending: t.ascending });
  const { expr, nullable } = attribute(t.key);
  if (!nullable) return void sort.push({ expr, ascending: t.ascending });
  if (fixed !== undefined) {
    conditions.push(fixed === 0 ? sql`${expr} IS NOT NULL` : sql`${expr} IS NULL`);
    return void sort.push({ expr: fixed === 0 ? expr : NONE, ascending: t.ascending });
  }
  const zero = t.key === 'end_time' ? sql`0` : sql`''`;
  sort.push({ expr: sql`CASE WHEN ${expr} IS NULL THEN 1 ELSE 0 END`, ascending: true }, { expr: sql`COALESCE(${expr}, ${zero})`, ascending: t.ascending });
}

/** Rows after `after` in the sort: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR …, each > flipped for DESC. */
export function afterCondition(sort: SortExpr[], after: SortKey): Expr {
  if (after.length !== sort.length) throw new ValidationError('the page token does not match the order of this search', { field: 'page_token' });
  const alternatives: Expr[] = [];
  for (let i = 0; i < sort.length; i++) {
    const parts: Expr[] = [];
    for (let j = 0; j < i; j++) parts.push(sql`${sort[j].expr} = ${after[j]}`);
    parts.push(sql`${sort[i].expr} ${sql.raw(sort[i].ascending ? '>' : '<')} ${after[i]}`);
    alternatives.push(sql`(${sql.join(parts, sql` AND `)})`);
  }
  return sql`(${sql.join(alternatives, sql` OR `)})`;
}

export function orderBy(sort: SortExpr[]): Expr {
  return sql.join(
    sort.map((s) => sql`${s.expr} ${sql.raw(s.ascending ? 'ASC' : 'DESC')}`),
    sql`, `,
  );
}
