// One metric over steps (uPlot), one line per run: the run page draws one series, the compare
// view overlays several. New points (a run still training) update the chart in place.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmtMetric } from './run-values.js';

export interface ChartSeries {
  label: string;
  points: Array<{ step: number; value: number }>;
}

const COLORS = ['#2257d6', '#d9480f', '#12805c', '#862e9c', '#c2255c', '#0b7285', '#5c940d', '#e67700'];
const HEIGHT = 220;
/** Whole steps on the x axis: 1, 2, 5, 10, 20, 50, … */
const STEP_INCREMENTS = Array.from({ length: 30 }, (_, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));

/** Steps on x (the union of all series' steps); values that are NaN or infinite leave gaps. */
function aligned(series: ChartSeries[]): uPlot.AlignedData {
  const steps = [...new Set(series.flatMap((s) => s.points.map((p) => p.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const ys = series.map((s) => {
    const y: Array<number | null> = new Array(steps.length).fill(null);
    for (const p of s.points) if (Number.isFinite(p.value)) y[index.get(p.step)!] = p.value;
    return y;
  });
  return [steps, ...ys] as uPlot.AlignedData;
}

function options(title: string, series: ChartSeries[], width: number): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    title,
    scales: { x: { time: false } },
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    axes: [
      { label: 'step', stroke: '#475467', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#d0d5dd' }, incrs: STEP_INCREMENTS },
      { stroke: '#475467', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#d0d5dd' }, size: 60, values: (_u, splits) => splits.map((v) => fmtMetric(v)) },
    ],
    series: [
      { label: 'step' },
      ...series.map((s, i): uPlot.Series => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.75, spanGaps: true, points: { show: s.points.length < 60, size: 4 }, value: (_u, v) => fmtMetric(v ?? undefined) })),
    ],
  };
}

export function MetricChart({ title, series }: { title: string; series: ChartSeries[] }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('\u0000');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const made = new uPlot(options(title, series, Math.max(300, el.clientWidth)), aligned(series), el);
    chart.current = made;
    const resize = new ResizeObserver(() => made.setSize({ width: Math.max(300, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      made.destroy();
      chart.current = null;
    };
    // Rebuilt when the runs drawn change; new points of the same runs go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [title, shape]);

  useEffect(() => {
    chart.current?.setData(aligned(series));
  }, [series]);

  const points = series.reduce((n, s) => n + s.points.length, 0);
  return <div ref={box} className="metric-chart" data-testid="metric-chart" data-metric={title} data-points={points} role="figure" aria-label={`${title} by step`} />;
}
