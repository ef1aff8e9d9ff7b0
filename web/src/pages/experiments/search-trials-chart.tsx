// A search's trials on its parent run's page: one SVG scatter per searched parameter of the
// validation metric against the parameter's value (a log axis for positive values spanning 100×
// or more; categories and booleans on evenly spaced positions), the best trial marked, each
// point linking to its child run; refreshed while trials are still running.
import { useEffect } from 'react';
import type { SearchTrialsView, TrialView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { niceTicks, tickLabel } from '../datasets/chart-scale.js';
import '../datasets/dataset-charts.css';
import './search-trials.css';

const M = { top: 10, right: 12, bottom: 32, left: 52 };
const W = 320;
const H = 200;

type Value = TrialView['params'][string];

/** How a parameter's values map onto the x axis. */
function xScale(values: Value[]): { at: (v: Value) => number; ticks: Array<{ v: number; label: string }>; log: boolean } {
  const plotW = W - M.left - M.right;
  const numbers = values.filter((v): v is number => typeof v === 'number');
  if (numbers.length === values.length && numbers.length > 0) {
    const lo = Math.min(...numbers);
    const hi = Math.max(...numbers);
    const log = lo > 0 && hi / lo >= 100;
    const f = (v: number) => (log ? Math.log10(v) : v);
    const [a, b] = [f(lo), f(hi)];
    const pad = a === b ? 1 : (b - a) * 0.06;
    const at = (v: Value) => M.left + ((f(v as number) - (a - pad)) / (b - a + 2 * pad)) * plotW;
    const raw = log ? Array.from({ length: Math.floor(b) - Math.ceil(a) + 1 }, (_, i) => Math.ceil(a) + i) : niceTicks(a - pad, b + pad, 4);
    return { at, log, ticks: raw.map((t) => ({ v: log ? 10 ** t : t, label: tickLabel(log ? 10 ** t : t) })) };
  }
  const distinct = [...new Set(values.map((v) => String(v)))];
  const step = plotW / distinct.length;
  return { at: (v) => M.left + step * (distinct.indexOf(String(v)) + 0.5), log: false, ticks: distinct.map((d) => ({ v: NaN, label: d })) };
}

function Scatter({ project, name, search }: { project: string; name: string; search: SearchTrialsView }) {
  // The best trial is drawn last, so no other point covers it.
  const measured = search.items.filter((t) => t.value !== null && name in t.params).sort((a, b) => Number(a.trial === search.best_trial) - Number(b.trial === search.best_trial));
  const plotH = H - M.top - M.bottom;
  const ys = measured.map((t) => t.value as number);
  const [ylo, yhi] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const ypad = ylo === yhi ? Math.max(Math.abs(ylo) * 0.05, 0.01) : (yhi - ylo) * 0.08;
  const yOf = (v: number) => M.top + plotH - ((v - (ylo - ypad)) / (yhi - ylo + 2 * ypad)) * plotH;
  const x = xScale(search.items.map((t) => t.params[name]));
  const yTicks = niceTicks(ylo - ypad, yhi + ypad, 4);
  const label = `${search.metric} (validation) against ${name}${x.log ? ' (log scale)' : ''}`;
  return (
    <figure className="trial-scatter">
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} className="chart" data-testid={`trial-scatter-${name}`}>
        <title>{`${label}: ${measured.length} measured trials`}</title>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={yOf(t)} y2={yOf(t)} className="chart-grid" />
            <text x={M.left - 5} y={yOf(t)} dy="0.32em" textAnchor="end">
              {tickLabel(t)}
            </text>
          </g>
        ))}
        <line x1={M.left} x2={W - M.right} y1={M.top + plotH} y2={M.top + plotH} className="chart-axis" />
        {x.ticks.map((t, i) => {
          const at = Number.isNaN(t.v) ? x.at(t.label) : x.at(t.v);
          return (
            <text key={`x${i}`} x={at} y={M.top + plotH + 14} textAnchor="middle">
              {t.label}
            </text>
          );
        })}
        <text x={M.left + (W - M.left - M.right) / 2} y={H - 3} textAnchor="middle" className="chart-axis-label">
          {name}
        </text>
        {measured.map((t) => {
          const best = t.trial === search.best_trial;
          return (
            <a key={t.run_id} href={href('projects', project, 'experiments', t.run_id)}>
              <circle cx={x.at(t.params[name])} cy={yOf(t.value as number)} r={best ? 6 : 4} className={best ? 'trial-point trial-best' : 'trial-point'} data-trial={t.trial}>
                <title>{`trial ${t.trial + 1}: ${search.metric} ${(t.value as number).toFixed(4)}; ${Object.entries(t.params).map(([k, v]) => `${k}=${v}`).join(', ')}${best ? ' (best)' : ''}`}</title>
              </circle>
            </a>
          );
        })}
      </svg>
    </figure>
  );
}

/** The trials of the search whose parent run is `run`; `running` keeps refreshing them. */
export function SearchTrials({ project, run, running }: { project: string; run: string; running: boolean }) {
  const state = useAsync(() => client.listSearchTrials({ params: { project, run } }), [project, run]);
  const search = state.data;
  const open = running || (search?.items.some((t) => t.status === 'queued' || t.status === 'running') ?? false);
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(state.reload, 2000);
    return () => clearInterval(timer);
  }, [open, state.reload]);
  if (!search) return <ErrorBanner error={state.error} />;
  const names = [...new Set(search.items.flatMap((t) => Object.keys(t.params)))];
  const done = search.items.filter((t) => t.status === 'finished' || t.status === 'failed').length;
  const failed = search.items.filter((t) => t.status === 'failed').length;
  // A cancelled search's stopped (and never started) trials.
  const killed = search.items.filter((t) => t.status === 'killed').length;
  const best = search.items.find((t) => t.trial === search.best_trial);
  return (
    <section aria-labelledby="search-title" data-testid="search-trials">
      <h3 id="search-title">
        Search: {search.method}, {search.items.length} trials
      </h3>
      <p className="small muted" data-testid="search-summary">
        {done}/{search.items.length} trials done{failed > 0 ? `, ${failed} failed` : ''}
        {killed > 0 ? `, ${killed} stopped (search cancelled)` : ''} · best by {search.direction === 'maximize' ? 'highest' : 'lowest'} {search.metric} on the validation rows
        {best && best.value !== null && (
          <>
            {' '}
            · best: <a href={href('projects', project, 'experiments', best.run_id)}>trial {best.trial + 1}</a> ({best.value.toFixed(4)})
          </>
        )}
      </p>
      <div className="trial-scatters">
        {names.map((name) => (
          <Scatter key={name} project={project} name={name} search={search} />
        ))}
      </div>
    </section>
  );
}
