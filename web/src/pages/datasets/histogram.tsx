// A column's histogram as a small SVG chart: equal-width bins from the profile, a count axis with
// gridlines, a value axis (dates for date/timestamp columns, whose edges are epoch milliseconds),
// a title for assistive technology and a tooltip per bin.
import { countAxis, dateLabel, niceTicks, tickLabel } from './chart-scale.js';
import './dataset-charts.css';

const M = { top: 8, right: 10, bottom: 30, left: 42 };

export interface HistogramProps {
  edges: number[];
  counts: number[];
  /** The column name (the chart's accessible name is "Histogram of NAME"). */
  label: string;
  /** Date/timestamp columns label the value axis with dates. */
  dates?: boolean;
  width?: number;
  height?: number;
}

export function Histogram({ edges, counts, label, dates = false, width = 340, height = 160 }: HistogramProps) {
  const format = dates ? dateLabel : tickLabel;
  const lo = edges[0];
  const hi = edges[edges.length - 1];
  const total = counts.reduce((a, b) => a + b, 0);
  const { top, ticks: yTicks } = countAxis(Math.max(0, ...counts));
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const span = hi - lo;
  // A column with one value has zero-width bins: its one bar then fills the plot.
  const xOf = (v: number) => M.left + (span > 0 ? ((v - lo) / span) * plotW : 0);
  const binW = (i: number) => (span > 0 ? xOf(edges[i + 1]) - xOf(edges[i]) : i === 0 ? plotW : 0);
  const yOf = (c: number) => M.top + plotH - (c / top) * plotH;
  const xTicks = span > 0 ? niceTicks(lo, hi, dates ? 3 : 4).filter((t) => t >= lo && t <= hi) : [lo];
  const summary = `Histogram of ${label}: ${counts.length} bins from ${format(lo)} to ${format(hi)}, ${total.toLocaleString()} values`;
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Histogram of ${label}`} className="histogram chart">
      <title>{summary}</title>
      {yTicks.map((t) => (
        <g key={`y${t}`} className="chart-tick">
          <line x1={M.left} x2={M.left + plotW} y1={yOf(t)} y2={yOf(t)} className="chart-grid" />
          <text x={M.left - 5} y={yOf(t)} dy="0.32em" textAnchor="end">
            {tickLabel(t)}
          </text>
        </g>
      ))}
      {counts.map((c, i) => {
        const x = span > 0 ? xOf(edges[i]) : M.left;
        const w = binW(i);
        const h = M.top + plotH - yOf(c);
        return (
          <rect key={i} x={x + 0.5} y={yOf(c)} width={Math.max(0, w - 1)} height={h} className="histogram-bar">
            <title>{`${format(edges[i])} – ${format(edges[i + 1])}: ${c.toLocaleString()}`}</title>
          </rect>
        );
      })}
      <line x1={M.left} x2={M.left + plotW} y1={M.top + plotH} y2={M.top + plotH} className="chart-axis" />
      {xTicks.map((t) => (
        <g key={`x${t}`} className="chart-tick">
          <line x1={xOf(t)} x2={xOf(t)} y1={M.top + plotH} y2={M.top + plotH + 4} className="chart-axis" />
          <text x={xOf(t)} y={M.top + plotH + 16} textAnchor="middle">
            {format(t)}
          </text>
        </g>
      ))}
      <text x={M.left + plotW / 2} y={height - 2} textAnchor="middle" className="chart-axis-label">
        {label}
      </text>
    </svg>
  );
}
