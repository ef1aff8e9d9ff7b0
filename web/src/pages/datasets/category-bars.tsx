// The most frequent values of a categorical, boolean or string column as horizontal SVG bars:
// the value, a bar scaled to the most frequent one, and its count with its share of non-null rows.
import './dataset-charts.css';

/** At most this many bars; the profile keeps up to 50 values, the rest are summarised below the chart. */
export const MAX_CATEGORY_BARS = 12;

const ROW = 20;
const LABEL_W = 110;
const COUNT_W = 96;

function clip(text: string, max = 16): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface CategoryBarsProps {
  top: { value: string; count: number }[];
  /** The column name (the chart's accessible name is "Top values of NAME"). */
  label: string;
  /** Non-null rows, for each value's share. */
  nonNull: number;
  width?: number;
}

export function CategoryBars({ top, label, nonNull, width = 340 }: CategoryBarsProps) {
  const shown = top.slice(0, MAX_CATEGORY_BARS);
  const max = Math.max(1, ...shown.map((t) => t.count));
  const barMax = width - LABEL_W - COUNT_W;
  const height = shown.length * ROW + 4;
  const share = (n: number) => (nonNull > 0 ? `${((n / nonNull) * 100).toFixed(1)}%` : '—');
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Top values of ${label}`} className="category-bars chart">
      <title>{`Top values of ${label}: ${shown.map((t) => `${t.value} ${t.count.toLocaleString()}`).join(', ')}`}</title>
      {shown.map((t, i) => {
        const y = i * ROW + 2;
        const w = Math.max(1, (t.count / max) * barMax);
        return (
          <g key={t.value} className="category-row">
            <text x={LABEL_W - 6} y={y + ROW / 2} dy="0.32em" textAnchor="end" className="category-label">
              {clip(t.value === '' ? '(empty)' : t.value)}
            </text>
            <rect x={LABEL_W} y={y + 3} width={w} height={ROW - 6} rx={2} className="category-bar">
              <title>{`${t.value}: ${t.count.toLocaleString()} (${share(t.count)})`}</title>
            </rect>
            <text x={LABEL_W + w + 5} y={y + ROW / 2} dy="0.32em" className="category-count">
              {t.count.toLocaleString()} <tspan className="category-share">{share(t.count)}</tspan>
            </text>
          </g>
        );
      })}
    </svg>
  );
}
