// Writing metric points: NaN stored as 0 with is_nan = 1 (as MLflow's SQL store does), a point
// logged twice kept once (the unique index, ON CONFLICT DO NOTHING), all points of a call in multi-row inserts, and each key's latest point
// (greatest step, then timestamp, then value, as MLflow's latest_metrics) upserted only when newer.
import { CompiledQuery, type Kysely } from 'kysely';
import type { Dialect } from './connect.js';
import type { MetricPoint } from '../../domain/tracking.js';
import type { Database } from './schema.js';

/** Rows per INSERT: 6 bound values each stays well under SQLite's and PostgreSQL's limits. */
const ROWS_PER_INSERT = 2000;

export interface MetricRow {
  run_id: string;
  key: string;
  value: number;
  is_nan: number;
  step: number;
  timestamp: number;
}

export function toMetricRow(runId: string, p: MetricPoint): MetricRow {
  const nan = Number.isNaN(p.value);
  return { run_id: runId, key: p.key, value: nan ? 0 : p.value, is_nan: nan ? 1 : 0, step: p.step, timestamp: p.timestamp };
}

export function toMetricPoint(r: { key: string; value: number | string; is_nan: number | string; step: number | string; timestamp: number | string }): MetricPoint {
  return { key: r.key, value: Number(r.is_nan) === 1 ? NaN : Number(r.value), step: Number(r.step), timestamp: Number(r.timestamp) };
}

/** a is more recent than b: by step, then timestamp, then (stored) value. */
export function newer(a: MetricRow, b: MetricRow): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

/** Each key's most recent row. */
export function latestPerKey(rows: MetricRow[]): MetricRow[] {
  const best = new Map<string, MetricRow>();
  for (const r of rows) {
    const b = best.get(r.key);
    if (!b || newer(r, b)) best.set(r.key, r);
  }
  return [...best.values()];
}

/** INSERT … VALUES for `n` metric rows, per dialect and row count (the statement cache reuses it). */
const insertSql = new Map<string, string>();
function metricInsert(dialect: Dialect, n: number): string {
  const id = `${dialect}:${n}`;
  let text = insertSql.get(id);
  if (!text) {
    let k = 0;
    const p = () => (dialect === 'postgres' ? `$${++k}` : '?');
    const tuples = Array.from({ length: n }, () => `(${p()}, ${p()}, ${p()}, ${p()}, ${p()}, ${p()})`);
    text = `insert into "run_metrics" ("run_id", "key", "value", "step", "timestamp", "is_nan") values ${tuples.join(', ')} on conflict do nothing`;
    insertSql.set(id, text);
  }
  return text;
}

/**
 * Insert the points of one run (repeats of stored points are skipped) and move each key's latest
 * point forward. Call inside a transaction when the two writes must land together. The points go
 * in as one precompiled multi-row statement per 2,000 (bound values, no query building per row).
 */
export async function writeMetricPoints(db: Kysely<Database>, dialect: Dialect, runId: string, points: MetricPoint[], experimentId?: string): Promise<void> {
  if (points.length === 0) return;
  const rows = points.map((p) => toMetricRow(runId, p));
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const slice = rows.slice(i, i + ROWS_PER_INSERT);
    const values: unknown[] = new Array(slice.length * 6);
    let j = 0;
    for (const r of slice) {
      values[j++] = r.run_id;
      values[j++] = r.key;
      values[j++] = r.value;
      values[j++] = r.step;
      values[j++] = r.timestamp;
      values[j++] = r.is_nan;
    }
    await db.executeQuery(CompiledQuery.raw(metricInsert(dialect, slice.length), values));
  }
  const experiment = experimentId ?? (await db.selectFrom('runs').select('experiment_id').where('id', '=', runId).executeTakeFirst())?.experiment_id;
  if (experiment === undefined) return;
  const latest = latestPerKey(rows).map((r) => ({ ...r, experiment_id: experiment }));
  for (let i = 0; i < latest.length; i += ROWS_PER_INSERT) {
    await db
      .insertInto('run_latest_metrics')
      .values(latest.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) =>
        oc
          .columns(['run_id', 'key'])
          .doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            is_nan: eb.ref('excluded.is_nan'),
            step: eb.ref('excluded.step'),
            timestamp: eb.ref('excluded.timestamp'),
          }))
          .where((eb) =>
            eb.or([
              eb('excluded.step', '>', eb.ref('run_latest_metrics.step')),
              eb.and([eb('excluded.step', '=', eb.ref('run_latest_metrics.step')), eb('excluded.timestamp', '>', eb.ref('run_latest_metrics.timestamp'))]),
              eb.and([
                eb('excluded.step', '=', eb.ref('run_latest_metrics.step')),
                eb('excluded.timestamp', '=', eb.ref('run_latest_metrics.timestamp')),
                eb('excluded.value', '>', eb.ref('run_latest_metrics.value')),
              ]),
            ]),
          ),
      )
      .execute();
  }
}
