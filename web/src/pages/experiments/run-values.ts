// Metric values as tracking answers them (NaN and infinities spelled as strings) for display,
// charts and comparison, and the order_by terms of the runs table's columns.
import type { WireDouble } from '../../../../src/contracts/index.js';

/** The number a wire double stands for. */
export function toNumber(v: WireDouble | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity;
}

/** A metric for a table cell: 4 significant decimals, 'NaN', '∞'; '—' when absent. */
export function fmtMetric(v: WireDouble | number | undefined): string {
  const n = typeof v === 'number' ? v : toNumber(v);
  if (n === undefined) return '—';
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '−∞';
  if (Number.isInteger(n) && Math.abs(n) < 1e9) return String(n);
  const abs = Math.abs(n);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? n.toExponential(3) : Number(n.toPrecision(4)).toString();
}

/** A column of the runs table: an attribute, a metric or a param, and how the server sorts by it. */
export interface RunColumn {
  kind: 'attribute' | 'metric' | 'param';
  key: string;
}

export const columnId = (c: RunColumn) => `${c.kind}:${c.key}`;

/** The order_by term of a column, e.g. `metrics.auc DESC` (keys with odd characters quoted). */
export function orderTerm(c: RunColumn, ascending: boolean): string {
  const entity = c.kind === 'attribute' ? 'attributes' : c.kind === 'metric' ? 'metrics' : 'params';
  const key = /^[\w.:-]+$/.test(c.key) ? c.key : `\`${c.key}\``;
  return `${entity}.${key} ${ascending ? 'ASC' : 'DESC'}`;
}

/** Short duration of a run, e.g. '4.2 s', '3 min'; '—' while unknown. */
export function runDuration(start: number | null, end: number | null): string {
  if (start === null || end === null) return '—';
  const ms = end - start;
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
