// Per-column profile computed in DuckDB over the accepted rows (the `fw_accepted` view, typed
// columns __fw_t0…): counts, nulls, distinct, min/max, mean/std, quantiles and a 20-bin
// histogram for numbers, the most frequent values for strings and booleans.
import { HISTOGRAM_BINS, PROFILE_QUANTILES, type ColumnProfile, type ColumnType, type Semantic } from '../../domain/datasets.js';
import { Params, type DuckSession } from './duckdb-session.js';

const NUMERIC: ReadonlySet<ColumnType> = new Set(['integer', 'double']);
const TOP_LIMIT = 50;

function isoOf(type: ColumnType, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  if (type === 'timestamp') return s.replace(' ', 'T') + (/[Z+-]\d*$/.test(s.slice(19)) ? '' : 'Z');
  return s;
}

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Profiles of the columns of `fw_accepted` (column i is `__fw_t{i}`). */
export async function profileColumns(
  session: DuckSession,
  table: string,
  columns: Array<{ name: string; type: ColumnType; semantic: Semantic }>,
): Promise<ColumnProfile[]> {
  const selects = ['count(*) AS rows'];
  columns.forEach((c, i) => {
    const col = `__fw_t${i}`;
    selects.push(`count(${col}) AS nn${i}`, `count(DISTINCT ${col}) AS d${i}`);
    if (NUMERIC.has(c.type)) {
      const x = `CAST(${col} AS DOUBLE)`;
      selects.push(
        `min(${x}) AS min${i}`,
        `max(${x}) AS max${i}`,
        `avg(${x}) AS mean${i}`,
        `stddev_samp(${x}) AS std${i}`,
        `quantile_cont(${x}, [${PROFILE_QUANTILES.join(', ')}]) AS q${i}`,
      );
    } else {
      selects.push(`CAST(min(${col}) AS VARCHAR) AS min${i}`, `CAST(max(${col}) AS VARCHAR) AS max${i}`);
    }
  });
  const [row] = await session.rows<Record<string, unknown>>(`SELECT ${selects.join(', ')} FROM ${table}`);
  const rows = Number(row.rows);
  const out: ColumnProfile[] = [];
  for (const [i, c] of columns.entries()) {
    const col = `__fw_t${i}`;
    const nonNull = Number(row[`nn${i}`]);
    const distinct = Number(row[`d${i}`]);
    const profile: ColumnProfile = {
      name: c.name,
      type: c.type,
      semantic: c.semantic,
      count: rows,
      nulls: rows - nonNull,
      distinct,
      unique: rows > 0 && nonNull === rows && distinct === rows,
      min: null,
      max: null,
      mean: null,
      std: null,
      quantiles: null,
      histogram: null,
      top: null,
    };
    if (NUMERIC.has(c.type)) {
      profile.min = num(row[`min${i}`]);
      profile.max = num(row[`max${i}`]);
      profile.mean = num(row[`mean${i}`]);
      profile.std = num(row[`std${i}`]);
      const q = row[`q${i}`] as number[] | null;
      profile.quantiles = q ? PROFILE_QUANTILES.map((quantile, k) => ({ q: quantile, value: Number(q[k]) })) : null;
      if (profile.min !== null && profile.max !== null) {
        profile.histogram = await histogram(session, table, col, profile.min, profile.max);
      }
    } else {
      profile.min = isoOf(c.type, row[`min${i}`]);
      profile.max = isoOf(c.type, row[`max${i}`]);
      if (c.type === 'string' || c.type === 'boolean') {
        const top = await session.rows<{ value: string; n: string }>(
          `SELECT CAST(${col} AS VARCHAR) AS value, count(*) AS n FROM ${table} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY n DESC, value LIMIT ${TOP_LIMIT}`,
        );
        profile.top = top.map((t) => ({ value: t.value, count: Number(t.n) }));
      }
    }
    out.push(profile);
  }
  return out;
}

/** HISTOGRAM_BINS equal-width bins over [min, max] (a value equal to max falls in the last bin). */
async function histogram(session: DuckSession, table: string, col: string, min: number, max: number): Promise<{ edges: number[]; counts: number[] }> {
  const width = (max - min) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, k) => (k === HISTOGRAM_BINS ? max : min + k * width));
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const p = new Params();
  const bin =
    width > 0
      ? `least(greatest(CAST(floor((CAST(${col} AS DOUBLE) - ${p.add(min)}) / ${p.add(width)}) AS BIGINT), 0), ${HISTOGRAM_BINS - 1})`
      : '0';
  const rows = await session.rows<{ b: string; n: string }>(`SELECT ${bin} AS b, count(*) AS n FROM ${table} WHERE ${col} IS NOT NULL GROUP BY 1`, p.values, p.types);
  for (const r of rows) counts[Number(r.b)] = Number(r.n);
  return { edges, counts };
}
