// One run: its facts (experiment, data version, seed, code version, model version), what it ran on
// (git commit and dirty flag, Node, host, data hash), metric charts that follow a run still
// training, the gate report, metrics, params and tags, its artifacts, and delete/restore.
import { useEffect, useState } from 'react';
import type { RunDetailsView, RunView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { Badge } from '../../badge.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { DatasetVersionLink } from '../loop/dataset-version-link.js';
import type { DatasetVersionRef } from '../loop/dataset-version-names.js';
import { fmt3, metricName, sortedMetrics } from '../loop/metric-format.js';
import { experimentOf, RUN_TONE } from './run-format.js';
import { GateReport } from './gate-report.js';
import { ArtifactBrowser } from './artifact-browser.js';
import { RunCharts } from './run-charts.js';
import { RunContextFacts } from './run-context.js';
import { RunLifecycle } from './run-lifecycle.js';
import { fmtMetric, toNumber } from './run-values.js';
import { SearchTrials } from './search-trials-chart.js';

/** The registered model version a run produced: its model name (from the spec) and number. */
async function modelVersionOf(project: string, run: RunView): Promise<{ model: string; version: number } | null> {
  const register = run.spec.register as { model?: unknown } | undefined;
  if (!run.model_version_id || typeof register?.model !== 'string') return null;
  const model = register.model;
  let cursor: string | undefined;
  do {
    const page = await client.listModelVersions({ params: { project, model }, query: { limit: 1000, cursor } });
    const found = page.items.find((v) => v.id === run.model_version_id);
    if (found) return { model, version: found.version };
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return null;
}

function KeyValues({ entries, label, testId, number }: { entries: [string, string | number][]; label: string; testId: string; number?: boolean }) {
  if (entries.length === 0) return <p className="muted">None.</p>;
  return (
    <div className="table-wrap kv-table" data-testid={testId}>
      <table aria-label={label}>
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{number ? metricName(k) : k}</th>
              <td className={number ? 'num' : 'mono'}>{typeof v === 'number' ? fmt3(v) : v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Latest metrics for the table: NaN and infinities shown as such, headline metrics first. */
function metricEntries(metrics: RunDetailsView['metrics']): [string, string | number][] {
  return sortedMetrics(Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, toNumber(v)!]))).map(([k, v]) => [k, Number.isFinite(v) ? v : fmtMetric(v)]);
}

function duration(r: RunView): string {
  if (r.start_time === null || r.end_time === null) return '—';
  const ms = r.end_time - r.start_time;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function RunPage({ project, run, datasets, canWrite = false }: { project: string; run: string; datasets: Map<string, DatasetVersionRef>; canWrite?: boolean }) {
  const state = useAsync(async () => {
    const [r, details] = await Promise.all([client.getRun({ params: { project, run } }), client.getRunDetails({ params: { project, run } })]);
    const version = await modelVersionOf(project, r).catch(() => null);
    return { run: r, details, version };
  }, [project, run]);
  const r = state.data?.run;
  const details = state.data?.details;
  const version = state.data?.version;
  // The charts poll while the run trains; when they see it end, the rest of the page reloads once.
  const [liveStatus, setLiveStatus] = useState<string>();
  useEffect(() => {
    if (liveStatus && r && liveStatus !== r.status && (liveStatus === 'finished' || liveStatus === 'failed' || liveStatus === 'killed')) state.reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [liveStatus]);

  return (
    <section aria-labelledby="run-title">
      <div className="crumbs">
        <a href={href('projects', project, 'experiments')}>Experiments</a> / <span>{r?.name ?? run}</span>
      </div>
      <div className="section-head">
        <h2 id="run-title">{r?.name ?? run}</h2>
        {r && <Badge value={r.status} tone={RUN_TONE[r.status]} />}
        {details?.lifecycle_stage === 'deleted' && <Badge value="deleted" tone="muted" />}
        {details && canWrite && <RunLifecycle project={project} run={run} stage={details.lifecycle_stage} onChange={state.reload} />}
      </div>
      <ErrorBanner error={state.error} />
      {state.loading && !r && <div className="muted loading">Loading…</div>}
      {r && (
        <>
          {r.error && <div className="banner banner-error" role="alert">{r.error}</div>}
          <dl className="facts" data-testid="run-facts">
            <div>
              <dt>Experiment</dt>
              <dd>{experimentOf(r)}</dd>
            </div>
            <div>
              <dt>Dataset version</dt>
              <dd>
                <DatasetVersionLink project={project} id={r.dataset_version_id} names={datasets} />
              </dd>
            </div>
            <div>
              <dt>Model version</dt>
              <dd data-testid="run-model-version">
                {version ? (
                  <a href={href('projects', project, 'models', version.model)}>
                    {version.model} v{version.version}
                  </a>
                ) : r.model_version_id ? (
                  <code className="small">{r.model_version_id.slice(0, 8)}</code>
                ) : (
                  <span className="muted">{r.gate && !r.gate.passed ? 'not registered (gate failed)' : 'not registered'}</span>
                )}
              </dd>
            </div>
            <div>
              <dt>Seed</dt>
              <dd className="mono">{r.seed ?? details?.context.seed ?? '—'}</dd>
            </div>
            <div>
              <dt>Code version</dt>
              <dd className="mono">{r.code_version ?? '—'}</dd>
            </div>
            <div>
              <dt>Started · took</dt>
              <dd>
                {formatTime(r.start_time)} · {duration(r)}
              </dd>
            </div>
          </dl>
          {r.spec.search !== undefined && <SearchTrials project={project} run={r.id} running={r.status === 'queued' || r.status === 'running'} />}
          {details && <RunContextFacts context={details.context} />}
          <h3>Metrics over steps</h3>
          <RunCharts project={project} run={run} onStatus={setLiveStatus} />
          <h3>Validation gate</h3>
          {r.gate ? <GateReport gate={r.gate} testId="run-gate" /> : <p className="muted">No gate report {r.status === 'finished' ? '(no validation policy applied)' : 'yet'}.</p>}
          <div className="two-col">
            <div>
              <h3>Metrics</h3>
              <KeyValues entries={details ? metricEntries(details.metrics) : sortedMetrics(r.metrics)} label="Metrics" testId="run-metrics" number />
            </div>
            <div>
              <h3>Parameters</h3>
              <KeyValues entries={Object.entries(r.params).sort(([a], [b]) => a.localeCompare(b))} label="Parameters" testId="run-params" />
            </div>
          </div>
          {r.model_artifact_sha256 && (
            <p className="small muted">
              ONNX artifact <code title={r.model_artifact_sha256}>{r.model_artifact_sha256.slice(0, 16)}</code>
            </p>
          )}
          <details className="run-tags">
            <summary>Tags ({Object.keys(r.tags).length})</summary>
            <KeyValues entries={Object.entries(r.tags).sort(([a], [b]) => a.localeCompare(b))} label="Tags" testId="run-tags" />
          </details>
          <h3>Artifacts</h3>
          <ArtifactBrowser project={project} run={run} />
        </>
      )}
    </section>
  );
}
