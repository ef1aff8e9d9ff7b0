// The "Sources" panel of a dataset page: its scheduled sources (kind, where from, schedule, time
// zone, next run, last run), "Run now" (a background job, followed until it ends), each source's
// last runs, and the form to add one. Also where files can be dropped for the same staging area.
import { useEffect, useRef, useState } from 'react';
import type { SourceRunView, SourceView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { Badge } from '../../badge.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { useAction } from '../../use-action.js';
import { SourceForm } from './source-form.js';

function runSummary(r: SourceRunView): string {
  if (r.status === 'failed') return r.error ?? 'failed';
  if (r.status === 'running') return 'running…';
  if (r.unchanged) return 'unchanged (already staged)';
  return `${r.rows_staged.toLocaleString()} staged, ${r.rows_quarantined.toLocaleString()} quarantined`;
}

/** A pull started from this page: its job, followed until it ends. */
interface Following {
  source: string;
  jobId: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  error: string | null;
}

export function SourcesPanel({ project, dataset }: { project: string; dataset: string }) {
  const [reloadKey, setReloadKey] = useState(0);
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const [following, setFollowing] = useState<Following | null>(null);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const runNow = useAction(async (source: string) => {
    const job = await client.runSource({ params: { project, dataset, source } });
    setFollowing({ source, jobId: job.id, state: job.status, error: null });
    for (let i = 0; i < 600 && alive.current; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const now = await client.getJob({ params: { project, job: job.id } });
      if (!alive.current) return;
      setFollowing({ source, jobId: job.id, state: now.status, error: now.last_error });
      if (now.status !== 'queued' && now.status !== 'running') break;
    }
    setReloadKey((k) => k + 1);
  });

  const columns: Column<SourceView>[] = [
    { header: 'Name', cell: (s) => s.name, className: 'nowrap' },
    { header: 'Kind', cell: (s) => (s.kind === 'http' ? 'HTTP' : 'PostgreSQL') },
    { header: 'From', cell: (s) => <code title={s.query ?? undefined}>{s.location}</code> },
    { header: 'Schedule', cell: (s) => <code>{s.schedule}</code>, className: 'nowrap' },
    { header: 'Time zone', cell: (s) => s.timezone, className: 'nowrap' },
    { header: 'Next run', cell: (s) => (s.enabled ? formatTime(s.next_run_at) : <Badge value="disabled" />), className: 'nowrap' },
    {
      header: 'Last run',
      cell: (s) =>
        s.last_run ? (
          <span className="row-actions">
            <Badge value={s.last_run.status} />
            <span>{runSummary(s.last_run)}</span>
            <span className="muted">{formatTime(s.last_run.started_at)}</span>
          </span>
        ) : (
          <span className="muted">never</span>
        ),
    },
    {
      header: '',
      cell: (s) => (
        <span className="row-actions">
          <button type="button" className="btn-small" aria-label={`Run ${s.name} now`} disabled={runNow.busy} onClick={() => void runNow.run(s.name)}>
            Run now
          </button>
          <button type="button" className="btn-small btn-secondary" aria-label={`Runs of ${s.name}`} onClick={() => setShown(shown === s.name ? null : s.name)}>
            Runs
          </button>
        </span>
      ),
      className: 'nowrap',
    },
  ];

  const runColumns: Column<SourceRunView>[] = [
    { header: 'Started', cell: (r) => formatTime(r.started_at), className: 'nowrap' },
    { header: 'Trigger', cell: (r) => r.trigger },
    { header: 'Status', cell: (r) => <Badge value={r.status} /> },
    { header: 'Rows read', cell: (r) => r.rows_read.toLocaleString(), className: 'num' },
    { header: 'Staged', cell: (r) => r.rows_staged.toLocaleString(), className: 'num' },
    { header: 'Quarantined', cell: (r) => r.rows_quarantined.toLocaleString(), className: 'num' },
    { header: 'Note', cell: (r) => r.error ?? (r.unchanged ? 'unchanged (already staged)' : '') },
  ];

  return (
    <section aria-labelledby="sources-title" data-testid="sources-panel">
      <div className="section-head">
        <h3 id="sources-title">Sources</h3>
        {!adding && (
          <button type="button" onClick={() => setAdding(true)}>
            Add source
          </button>
        )}
      </div>
      <p className="muted">
        Sources are pulled on their schedule into the staging area; staged rows become a version on commit. Files dropped into{' '}
        <code>
          $FLYWHEEL_HOME/drop/{project}/{dataset}/
        </code>{' '}
        are staged the same way.
      </p>
      {adding && (
        <SourceForm
          project={project}
          dataset={dataset}
          onCreated={() => {
            setAdding(false);
            setReloadKey((k) => k + 1);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      <ErrorBanner error={runNow.error} onDismiss={runNow.clear} />
      {following && (
        <div className={following.state === 'failed' ? 'banner banner-error' : 'banner banner-ok'} role="status" data-testid="source-pull-status">
          <span className="banner-text">
            Pull of {following.source}: {following.state}
            {following.error ? ` — ${following.error}` : ''}
          </span>
        </div>
      )}
      <PagedList
        testId="dataset-sources"
        label="Sources"
        loader={(cursor) => client.listSources({ params: { project, dataset }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(s) => s.id}
        reloadKey={`${project}/${dataset}:${reloadKey}`}
        rowClass={(s) => (s.enabled ? undefined : 'row-muted')}
        empty={
          <>
            <strong>No sources yet.</strong> Add one to pull an HTTP(S) file or a PostgreSQL query on a schedule.
          </>
        }
      />
      {shown && (
        <>
          <h4>Last runs of {shown}</h4>
          <PagedList
            testId="source-runs"
            label={`Runs of ${shown}`}
            loader={(cursor) => client.listSourceRuns({ params: { project, dataset, source: shown }, query: { cursor: cursor ?? undefined, limit: 20 } })}
            columns={runColumns}
            rowKey={(r) => r.id}
            reloadKey={`${shown}:${reloadKey}`}
            empty={<strong>No runs yet.</strong>}
          />
        </>
      )}
    </section>
  );
}
