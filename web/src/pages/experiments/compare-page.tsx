// Runs side by side (#/projects/P/experiments/compare/ID,ID,…): their params and latest metrics in
// one table, rows whose values differ marked (or shown alone), and each metric's history of all
// the runs overlaid in one chart.
import { useState } from 'react';
import type { RunDetailsView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { Badge } from '../../badge.js';
import { ErrorBanner } from '../../error-banner.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { MetricChart } from './metric-chart.js';
import { RUN_TONE } from './run-format.js';
import { fmtMetric, toNumber } from './run-values.js';

type History = Awaited<ReturnType<typeof client.getMetricHistory>>;

interface Row {
  section: 'param' | 'metric';
  key: string;
  values: string[];
  differs: boolean;
}

function rowsOf(runs: RunDetailsView[]): Row[] {
  const rows: Row[] = [];
  const add = (section: Row['section'], keys: Set<string>, value: (r: RunDetailsView, k: string) => string) => {
    for (const key of [...keys].sort()) {
      const values = runs.map((r) => value(r, key));
      rows.push({ section, key, values, differs: new Set(values).size > 1 });
    }
  };
  add('param', new Set(runs.flatMap((r) => Object.keys(r.params))), (r, k) => r.params[k] ?? '—');
  add('metric', new Set(runs.flatMap((r) => Object.keys(r.metrics))), (r, k) => fmtMetric(r.metrics[k]));
  return rows;
}

export function ComparePage({ project, runIds }: { project: string; runIds: string[] }) {
  const [onlyDiffs, setOnlyDiffs] = useState(false);
  const state = useAsync(
    () =>
      Promise.all(
        runIds.map(async (run) => {
          const [details, history] = await Promise.all([client.getRunDetails({ params: { project, run } }), client.getMetricHistory({ params: { project, run }, query: { max_points: 500 } })]);
          return { details, history };
        }),
      ),
    [project, runIds.join(',')],
  );
  const runs = state.data?.map((x) => x.details) ?? [];
  const rows = rowsOf(runs).filter((r) => !onlyDiffs || r.differs);
  const experiment = runs[0]?.experiment_id;

  const chartKeys = [...new Set((state.data ?? []).flatMap((x) => x.history.series.filter((s) => s.points.length > 1).map((s) => s.key)))].sort();
  const seriesOf = (key: string) =>
    (state.data ?? []).flatMap(({ details, history }: { details: RunDetailsView; history: History }) => {
      const s = history.series.find((x) => x.key === key);
      return s ? [{ label: details.name, points: s.points.map((p) => ({ step: p.step, value: toNumber(p.value)! })) }] : [];
    });

  return (
    <section aria-labelledby="compare-title">
      <div className="crumbs">
        <a href={href('projects', project, 'experiments')}>Experiments</a>
        {experiment && (
          <>
            {' '}
            / <a href={href('projects', project, 'experiments', 'experiment', experiment)}>runs</a>
          </>
        )}{' '}
        / <span>compare</span>
      </div>
      <div className="section-head">
        <h2 id="compare-title">Compare {runIds.length} runs</h2>
        <label className="small">
          <input type="checkbox" checked={onlyDiffs} onChange={(e) => setOnlyDiffs(e.target.checked)} /> Only differences
        </label>
      </div>
      <ErrorBanner error={state.error} />
      {state.loading && !state.data && <div className="muted loading">Loading…</div>}
      {runs.length > 0 && (
        <>
          <div className="table-wrap">
            <table aria-label="Compared runs" data-testid="compare-table">
              <thead>
                <tr>
                  <th>Key</th>
                  {runs.map((r) => (
                    <th key={r.id}>
                      <a href={href('projects', project, 'experiments', r.id)}>{r.name}</a> <Badge value={r.status} tone={RUN_TONE[r.status]} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.section}:${row.key}`} className={row.differs ? 'row-differs' : undefined} data-differs={row.differs}>
                    <th scope="row">
                      <span className="col-kind">{row.section}</span> {row.key}
                      {row.differs && <span className="visually-hidden"> (differs)</span>}
                    </th>
                    {row.values.map((v, i) => (
                      <td key={i} className={row.section === 'metric' ? 'num' : 'mono'}>
                        {v}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Metrics over steps</h3>
          {chartKeys.length === 0 && <p className="muted">No metric has more than one step in these runs.</p>}
          <div className="chart-grid" data-testid="compare-charts">
            {chartKeys.map((key) => (
              <MetricChart key={key} title={key} series={seriesOf(key)} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
