// The monitor's one chart (uPlot) over the months: PSI per feature on a log scale with the PSI
// threshold dashed; accuracy and macro-F1 on a second scale with baseline − tolerance dashed;
// the alerts on the same time axis as markers per window (orange: drift, red: performance, whose
// windows also get a red dashed rule), and retraining decisions as green rules.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmt3, metricName } from '../loop/metric-format.js';
import type { ChartModel } from './chart-model.js';
import './monitoring.css';

const FEATURE_COLORS = ['#2e90fa', '#15b79e', '#ee46bc', '#66c61c', '#0ba5ec', '#f63d68', '#9e77ed', '#a15c07'];
const PERF_COLORS: Record<string, string> = { accuracy: '#101828', macro_f1: '#7f56d9' };
const THRESHOLD_COLOR = '#dc6803';
const DRIFT_COLOR = '#f79009';
const PERF_ALERT_COLOR = '#d92d20';
const DECISION_COLOR = '#12805c';
/** Where the alert markers sit on their own 0–1 scale: a strip above the lines. */
const DRIFT_LANE = 0.955;
const PERF_LANE = 0.905;
/** The lines keep below this share of the plot height, leaving the strip to the markers. */
const LINE_CEILING = 0.84;
const HEIGHT = 380;

const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');

/** Log range for PSI with room above for the alert strip: from a decade under the data to above it. */
function psiRange(threshold: number) {
  return (_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax => {
    const low = Math.min(min ?? threshold, threshold);
    const lo = 10 ** Math.floor(Math.log10(Math.max(low, 1e-4) * 0.95));
    const top = Math.max(max ?? threshold, threshold * 2);
    const hi = 10 ** (Math.log10(lo) + (Math.log10(top) - Math.log10(lo)) / LINE_CEILING);
    return [lo, hi];
  };
}

/** Ticks 1, 2, 5 per decade inside the range (the uPlot default shows every integer multiple). */
function psiSplits(_u: uPlot, _axis: number, min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); 10 ** e <= max; e++) for (const m of [1, 2, 5]) if (m * 10 ** e >= min && m * 10 ** e <= max) out.push(+(m * 10 ** e).toPrecision(3));
  return out;
}

/** Dashed vertical rules with a label at the top: performance alerts and retraining decisions. */
function rulesPlugin(model: ChartModel): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        const px = uPlot.pxRatio;
        const { top, height, left, width } = u.bbox;
        const rule = (ts: number, color: string, label: string, row: number) => {
          const x = Math.round(u.valToPos(ts, 'x', true));
          if (x < left - 1 || x > left + width + 1) return;
          ctx.save();
          ctx.strokeStyle = color;
          ctx.lineWidth = 1.5 * px;
          ctx.setLineDash([5 * px, 4 * px]);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.font = `600 ${11 * px}px system-ui, sans-serif`;
          const w = ctx.measureText(label).width;
          const tx = x + 4 * px + w > left + width ? x - 4 * px - w : x + 4 * px;
          const ty = top + height * (1 - LINE_CEILING) + (14 + 15 * row) * px;
          ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
          ctx.fillRect(tx - 2 * px, ty - 11 * px, w + 4 * px, 14 * px);
          ctx.fillStyle = color;
          ctx.fillText(label, tx, ty);
          ctx.restore();
        };
        model.performanceNotes.forEach((notes, i) => notes.length && rule(model.x[i], PERF_ALERT_COLOR, notes.join('; '), 0));
        model.decisions.forEach((d) => rule(d.at, DECISION_COLOR, d.text, 1));
      },
    },
  };
}

function options(model: ChartModel, width: number): uPlot.Options {
  const perIndex = (counts: number[]) => (_u: uPlot, _v: number, _s: number, i: number | null) => (i === null ? '—' : String(counts[i] ?? 0));
  const marker = (label: string, color: string, counts: number[]): uPlot.Series => ({
    label,
    scale: 'alerts',
    stroke: color,
    fill: color,
    width: 0,
    paths: () => null,
    points: { show: true, size: 10, width: 1.5, stroke: '#fff', fill: color },
    value: perIndex(counts),
  });
  const num = (_u: uPlot, v: number | null) => fmt3(v);
  return {
    width,
    height: HEIGHT,
    tzDate: utc,
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: {
      x: { time: true },
      psi: { distr: 3, log: 10, range: psiRange(model.psiThreshold) },
      perf: { range: [0, 1 / LINE_CEILING] },
      alerts: { range: [0, 1] },
    },
    axes: [
      { stroke: '#475467', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#d0d5dd' } },
      { scale: 'psi', label: 'PSI (log scale)', stroke: '#475467', splits: psiSplits, values: (_u, splits) => splits.map((s) => String(s)), grid: { stroke: '#eef0f3' }, ticks: { stroke: '#d0d5dd' }, size: 56 },
      {
        scale: 'perf',
        side: 1,
        label: 'accuracy, macro-F1',
        stroke: '#475467',
        splits: () => [0, 0.2, 0.4, 0.6, 0.8, 1],
        values: (_u, splits) => splits.map((s) => s.toFixed(1)),
        grid: { show: false },
        ticks: { stroke: '#d0d5dd' },
        size: 56,
      },
    ],
    series: [
      { label: 'Month', value: (_u, ts) => (ts === null ? '—' : utc(ts).toLocaleDateString(undefined, { month: 'short', year: 'numeric' })) },
      ...model.psi.map((p, i): uPlot.Series => ({ label: `PSI ${p.feature}`, scale: 'psi', stroke: FEATURE_COLORS[i % FEATURE_COLORS.length], width: 1.5, value: num, points: { size: 5 } })),
      { label: `PSI threshold ${model.psiThreshold}`, scale: 'psi', stroke: THRESHOLD_COLOR, width: 1.5, dash: [6, 4], value: num, points: { show: false } },
      ...model.performance.map((p): uPlot.Series => ({ label: metricName(p.metric), scale: 'perf', stroke: PERF_COLORS[p.metric], width: 2.5, value: num, points: { size: 6 } })),
      ...model.performance.map(
        (p): uPlot.Series => ({
          label: `${metricName(p.metric)} floor`,
          scale: 'perf',
          stroke: PERF_COLORS[p.metric],
          width: 1.25,
          dash: [4, 4],
          value: num,
          paths: uPlot.paths.stepped!({ align: 1 }),
          points: { show: false },
        }),
      ),
      marker('drift alerts', DRIFT_COLOR, model.alerts.drift),
      marker('performance alerts', PERF_ALERT_COLOR, model.alerts.performance),
    ],
    plugins: [rulesPlugin(model)],
  };
}

function data(model: ChartModel): uPlot.AlignedData {
  const lane = (counts: number[], y: number) => counts.map((n) => (n > 0 ? y : null));
  return [
    model.x,
    ...model.psi.map((p) => p.values),
    model.x.map(() => model.psiThreshold),
    ...model.performance.map((p) => p.values),
    ...model.performance.map((p) => p.floor),
    lane(model.alerts.drift, DRIFT_LANE),
    lane(model.alerts.performance, PERF_LANE),
  ];
}

export function MonitorChart({ model, label }: { model: ChartModel; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = new uPlot(options(model, Math.max(320, el.clientWidth)), data(model), el);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [model]);
  return <div ref={box} className="monitor-chart" data-testid="monitor-chart" role="figure" aria-label={label} />;
}
