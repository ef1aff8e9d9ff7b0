// The "Sources" panel of a dataset page: its scheduled sources (kind, where from, schedule, time
// zone, next pull and commit, last run), and for those who may change the dataset: add, edit
// (schedule, switch, commit policy, format or query; the URL or connection string can be
// replaced, never shown), delete with confirmation, and "Run now" (a background job, followed
// until it ends; a disabled source is pulled too, its schedule stays off). Each source's last
// runs open below the list. Also where files can be dropped for the same staging area.
import { useEffect, useRef, useState } from 'react';
import type { SourceView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { Badge } from '../../badge.js';
import { ConfirmButton } from '../../confirm-button.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { useAction } from '../../use-action.js';
import { SourceEditForm } from './source-edit-form.js';
import { SourceForm } from './source-form.js';
import { runSummary, SourceRuns } from './source-runs.js';
import { useCanWriteDatasets } from './use-can-write.js';
import './dataset-sources.css';

/** A pull started from this page: its job, followed until it ends, then what its run did. */
interface Following {
  source: string;
  jobId: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  detail: string | null;
  byHand: boolean;
}

/** A due time, short (no seconds): in the viewer's zone, or in `zone` (the schedule's, shown on hover). */
function dueTime(ms: number | null, zone?: string): string {
  if (ms === null) return '—';
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(ms)) + (zone ? ` ${zone}` : '');
  } catch {
    return formatTime(ms);
  }
}

function commitText(s: SourceView): string | null {
  const parts = [s.commit_every_rows !== null ? `every ${s.commit_every_rows.toLocaleString()} rows` : '', s.commit_cron ? `at ${s.commit_cron}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : null;
}

export function SourcesPanel({ project, dataset }: { project: string; dataset: string }) {
  const canWrite = useCanWriteDatasets(project);
  const [reloadKey, setReloadKey] = useState(0);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<SourceView | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [following, setFollowing] = useState<Following | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  const reload = () => setReloadKey((k) => k + 1);

  const runNow = useAction(async (s: SourceView) => {
    setNotice(null);
    const job = await client.runSource({ params: { project, dataset, source: s.name } });
    const byHand = !s.enabled;
    setShown(s.name);
    setFollowing({ source: s.name, jobId: job.id, state: job.status, detail: null, byHand });
    let last = job;
    for (let i = 0; i < 600 && alive.current && (last.status === 'queued' || last.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 500));
      last = await client.getJob({ params: { project, job: job.id } });
      if (!alive.current) return;
      setFollowing({ source: s.name, jobId: job.id, state: last.status, detail: last.last_error, byHand });
    }
    if (last.status === 'succeeded' || last.status === 'failed') {
      const runs = await client.listSourceRuns({ params: { project, dataset, source: s.name }, query: { limit: 20 } });
      const run = runs.items.find((r) => r.job_id === job.id);
      if (run && alive.current) setFollowing({ source: s.name, jobId: job.id, state: last.status, detail: runSummary(run), byHand });
    }
    reload();
  });

  const remove = useAction(async (name: string) => {
    setNotice(null);
    await client.deleteSource({ params: { project, dataset, source: name } });
    setEditing((e) => (e?.name === name ? null : e));
    setShown((s) => (s === name ? null : s));
    setFollowing((f) => (f?.source === name ? null : f));
    setNotice(`Deleted source ${name} with its runs and its stored credentials; rows it staged stay staged.`);
    reload();
  });

  const columns: Column<SourceView>[] = [
    {
      header: 'Source',
      cell: (s) => (
        <span className="source-cell">
          <strong>{s.name}</strong>
          <span className="muted">{s.kind === 'http' ? 'HTTP' : 'PostgreSQL'}</span>
          <code title={s.query ?? undefined}>{s.location}</code>
        </span>
      ),
    },
    {
      header: 'Schedule',
      cell: (s) => (
        <span className="source-cell">
          <code>{s.schedule}</code>
          <span className="muted">{s.timezone}</span>
        </span>
      ),
      className: 'nowrap',
    },
    {
      header: 'Next run',
      cell: (s) =>
        !s.enabled ? (
          <span title="The schedule is off: the source is pulled only by hand">
            <Badge value="disabled" />
          </span>
        ) : (
          <span title={s.next_run_at === null ? undefined : dueTime(s.next_run_at, s.timezone)}>{dueTime(s.next_run_at)}</span>
        ),
      className: 'nowrap',
    },
    {
      header: 'Commit',
      cell: (s) => (
        <span className="source-cell">
          {commitText(s) ?? <span className="muted">by hand</span>}
          {s.next_commit_at !== null && <span className="muted">next {dueTime(s.next_commit_at)}</span>}
        </span>
      ),
    },
    {
      header: 'Last run',
      cell: (s) =>
        s.last_run ? (
          <span className="source-cell">
            <span>
              <Badge value={s.last_run.status} />
            </span>
            <span className={s.last_run.status === 'failed' ? 'run-error' : undefined}>{runSummary(s.last_run)}</span>
            <span className="muted">{formatTime(s.last_run.started_at)}</span>
          </span>
        ) : (
          <span className="muted">never</span>
        ),
    },
    {
      header: '',
      cell: (s) => (
        <span className="row-actions source-actions">
          {canWrite && (
            <button
              type="button"
              className="btn-small"
              aria-label={`Run ${s.name} now`}
              title={s.enabled ? 'Pull it now, as a background job' : 'The schedule is off: this pulls it once, by hand'}
              disabled={runNow.busy}
              onClick={() => void runNow.run(s)}
            >
              Run now
            </button>
          )}
          <button type="button" className="btn-small btn-secondary" aria-label={`Runs of ${s.name}`} aria-pressed={shown === s.name} onClick={() => setShown(shown === s.name ? null : s.name)}>
            Runs
          </button>
          {canWrite && (
            <button
              type="button"
              className="btn-small btn-secondary"
              aria-label={`Edit ${s.name}`}
              onClick={() => {
                setNotice(null);
                setEditing(s);
              }}
            >
              Edit
            </button>
          )}
          {canWrite && <ConfirmButton label="Delete" ariaLabel={`Delete source ${s.name}`} disabled={remove.busy} onConfirm={() => void remove.run(s.name)} />}
        </span>
      ),
      className: 'nowrap',
    },
  ];

  return (
    <section aria-labelledby="sources-title" data-testid="sources-panel">
      <div className="section-head">
        <h3 id="sources-title">Sources</h3>
        {canWrite && !adding && (
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
            reload();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      <ErrorBanner error={runNow.error} onDismiss={runNow.clear} />
      <ErrorBanner error={remove.error} onDismiss={remove.clear} />
      {notice && (
        <div className="banner banner-ok" role="status" data-testid="sources-notice">
          <span className="banner-text">{notice}</span>
          <button type="button" className="btn-link" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      {following && (
        <div className={following.state === 'failed' ? 'banner banner-error' : 'banner banner-ok'} role="status" data-testid="source-pull-status">
          <span className="banner-text">
            Pull of {following.source}
            {following.byHand ? ' (schedule off, pulled by hand)' : ''}: {following.state}
            {following.detail ? ` — ${following.detail}` : ''}
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
      {editing && (
        <SourceEditForm
          key={editing.id}
          project={project}
          dataset={dataset}
          source={editing}
          onSaved={(changed) => {
            setNotice(changed ? `Saved source ${editing.name}.` : `Nothing changed in source ${editing.name}.`);
            setEditing(null);
            reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {shown && <SourceRuns project={project} dataset={dataset} source={shown} reloadKey={reloadKey} />}
    </section>
  );
}
