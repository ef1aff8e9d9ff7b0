// A small live time-series chart (uPlot): one x axis of epoch seconds, lines on a left scale and
// optionally a right one. Created once; new data is drawn in place as it arrives.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './live-charts.css';

export interface Line {
  label: string;
  color: string;
  values: Array<number | null>;
  /** Draw on the right-hand scale. */
  right?: boolean;
}

const HEIGHT = 200;
const clock = (ts: number) => new Date(ts * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const fmt = (v: number | null) => (v === null || v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function options(lines: Line[], width: number, leftLabel: string, rightLabel?: string): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: { x: { time: true }, left: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 1) * 1.1)] }, right: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 1) * 1.1)] } },
    axes: [
      { stroke: '#475467', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#d0d5dd' }, space: 90, values: (_u, splits) => splits.map(clock) },
      { scale: 'left', label: leftLabel, stroke: '#475467', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#d0d5dd' }, size: 56 },
      ...(rightLabel ? [{ scale: 'right', side: 1, label: rightLabel, stroke: '#475467', grid: { show: false }, ticks: { stroke: '#d0d5dd' }, size: 64 } as uPlot.Axis] : []),
    ],
    series: [
      { label: 'time', value: (_u, ts) => (ts === null ? '—' : clock(ts)) },
      ...lines.map((l): uPlot.Series => ({ label: l.label, scale: l.right ? 'right' : 'left', stroke: l.color, width: 2, value: (_u, v) => fmt(v), points: { show: false }, spanGaps: false })),
    ],
  };
}

export function TimeChart({ x, lines, leftLabel, rightLabel, label, testId }: { x: number[]; lines: Line[]; leftLabel: string; rightLabel?: string; label: string; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const shape = lines.map((l) => `${l.label}:${l.right ? 'r' : 'l'}`).join('|');
  const data = [x, ...lines.map((l) => l.values)] as uPlot.AlignedData;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = new uPlot(options(lines, Math.max(280, el.clientWidth), leftLabel, rightLabel), data, el);
    chart.current = c;
    const resize = new ResizeObserver(() => c.setSize({ width: Math.max(280, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      c.destroy();
      chart.current = null;
    };
    // The chart is rebuilt only when its lines change; data updates are drawn in place below.
  }, [shape, leftLabel, rightLabel]);
  useEffect(() => {
    chart.current?.setData(data);
  });
  return <div ref={box} className="live-chart" data-testid={testId} data-points={x.length} role="figure" aria-label={label} />;
}
