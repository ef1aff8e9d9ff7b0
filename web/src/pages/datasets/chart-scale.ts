// Scales for the dataset charts: "nice" axis ticks (1, 2, 5 × 10^k) and compact tick labels.

/** The round step (1, 2 or 5 × 10^k) nearest `raw` on a log scale. */
export function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).reduce((best, s) => (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw)) ? s : best));
}

/** About `count` round ticks inside [min, max], e.g. niceTicks(0.4, 9.5, 4) → [2, 4, 6, 8]. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max === min) return [min];
  const step = niceStep((max - min) / Math.max(1, count));
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * A count axis from 0 that ends on a labelled round tick at or above `max`, e.g.
 * countAxis(1080) → { top: 1500, ticks: [0, 500, 1000, 1500] }. Steps are whole numbers.
 */
export function countAxis(max: number, count = 3): { top: number; ticks: number[] } {
  const step = Math.max(1, niceStep(Math.max(max, 1) / count));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return { top, ticks };
}

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const plain = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4 });

/** A short axis label: 12, 1.5K, 0.25, 3.2M. */
export function tickLabel(v: number): string {
  return Math.abs(v) >= 10_000 ? compact.format(v) : plain.format(v);
}

/** A date axis label (values are epoch milliseconds, UTC). */
export function dateLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
