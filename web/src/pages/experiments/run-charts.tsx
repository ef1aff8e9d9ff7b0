// A run's metric charts, one per metric with more than one point (single values are in the
// metrics table). While the run is queued or running they poll every 2 seconds and redraw in
// place, and stop once it has ended.
import { useEffect, useState } from 'react';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { MetricChart } from './metric-chart.js';
import { toNumber } from './run-values.js';

const POLL_MS = 2000;
type History = Awaited<ReturnType<typeof client.getMetricHistory>>;

export function RunCharts({ project, run, onStatus }: { project: string; run: string; onStatus?: (status: History['status']) => void }) {
  const [history, setHistory] = useState<History>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const h = await client.getMetricHistory({ params: { project, run }, query: { max_points: 1000 } });
        if (!live) return;
        setHistory(h);
        setError(undefined);
        onStatus?.(h.status);
        if (h.status === 'running' || h.status === 'queued') timer = setTimeout(load, POLL_MS);
      } catch (err) {
        if (live) setError(err);
      }
    };
    void load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [project, run]);

  const charted = (history?.series ?? []).filter((s) => s.points.length > 1);
  return (
    <div className="run-charts" data-testid="run-charts" data-status={history?.status} aria-busy={history === undefined}>
      <ErrorBanner error={error} />
      {history && charted.length === 0 && <p className="muted">No metric has more than one step yet{history.status === 'running' ? '; the charts appear as the run logs them' : ''}.</p>}
      <div className="chart-grid">
        {charted.map((s) => (
          <MetricChart key={s.key} title={s.key} series={[{ label: s.total > s.points.length ? `${s.key} (${s.points.length} of ${s.total} points)` : s.key, points: s.points.map((p) => ({ step: p.step, value: toNumber(p.value)! })) }]} />
        ))}
      </div>
    </div>
  );
}
