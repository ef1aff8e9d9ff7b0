// Live throughput and latency of a deployment, as the server this page talks to sees it (each
// server keeps its own figures): the stats endpoint is polled every 2 seconds and the last
// minute is drawn — requests/s and rows/s; latency p50 and p99 — with the last 10 seconds summed up.
import { useEffect, useState } from 'react';
import type { StatsPointView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { TimeChart } from './time-chart.js';

const POLL_MS = 2000;
const WINDOW_S = 60;
const RECENT_S = 10;

/** What the last seconds add up to (null figures when nothing was served). */
export function recentSummary(points: StatsPointView[], seconds = RECENT_S) {
  const recent = points.slice(-seconds);
  const requests = recent.reduce((n, p) => n + p.requests, 0);
  const rows = recent.reduce((n, p) => n + p.rows, 0);
  const errors = recent.reduce((n, p) => n + p.errors, 0);
  const runs = recent.reduce((n, p) => n + p.model_runs, 0);
  const runRows = recent.reduce((n, p) => n + (p.rows_per_run ?? 0) * p.model_runs, 0);
  const p99s = recent.map((p) => p.p99_ms).filter((v): v is number => v !== null);
  return {
    requestsPerSecond: requests / Math.max(1, recent.length),
    rowsPerSecond: rows / Math.max(1, recent.length),
    errors,
    p99: p99s.length ? Math.max(...p99s) : null,
    rowsPerRun: runs ? runRows / runs : null,
  };
}

const num = (v: number, digits = 1) => v.toLocaleString(undefined, { maximumFractionDigits: digits });

export function LiveCharts({ project, deployment }: { project: string; deployment: string }) {
  const [points, setPoints] = useState<StatsPointView[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const stats = await client.getDeploymentStats({ params: { project, deployment }, query: { seconds: WINDOW_S } });
        if (!stopped) {
          setPoints(stats.points);
          setError(undefined);
        }
      } catch (err) {
        if (!stopped) setError(err);
      } finally {
        if (!stopped) timer = setTimeout(poll, POLL_MS);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [project, deployment]);

  if (!points) return <ErrorBanner error={error} />;
  const x = points.map((p) => p.t / 1000);
  const s = recentSummary(points);
  return (
    <div data-testid="live-charts">
      <ErrorBanner error={error} />
      <p className="live-summary" data-testid="live-summary">
        <span>
          last {RECENT_S} s: <strong data-testid="live-rps">{num(s.requestsPerSecond)}</strong> requests/s
        </span>
        <span>
          <strong>{num(s.rowsPerSecond)}</strong> rows/s
        </span>
        <span>
          p99 <strong data-testid="live-p99">{s.p99 === null ? '—' : `${num(s.p99)} ms`}</strong>
        </span>
        <span>
          <strong>{s.rowsPerRun === null ? '—' : num(s.rowsPerRun)}</strong> rows per model run
        </span>
        <span>
          <strong>{s.errors}</strong> errors
        </span>
      </p>
      <div className="live-charts">
        <TimeChart
          testId="throughput-chart"
          label={`Throughput of ${deployment}, last minute`}
          x={x}
          leftLabel="requests/s"
          rightLabel="rows/s"
          lines={[
            { label: 'requests/s', color: '#2e90fa', values: points.map((p) => p.requests) },
            { label: 'rows/s', color: '#15b79e', values: points.map((p) => p.rows), right: true },
            { label: 'errors/s', color: '#d92d20', values: points.map((p) => p.errors) },
          ]}
        />
        <TimeChart
          testId="latency-chart"
          label={`Latency of ${deployment}, last minute`}
          x={x}
          leftLabel="ms"
          lines={[
            { label: 'p50 ms', color: '#7f56d9', values: points.map((p) => p.p50_ms) },
            { label: 'p99 ms', color: '#f79009', values: points.map((p) => p.p99_ms) },
          ]}
        />
      </div>
    </div>
  );
}
