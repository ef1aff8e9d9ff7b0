// A project's background jobs: status, progress, attempts, errors; cancel unfinished ones.
import { useState } from 'react';
import type { JobView } from '../../../src/contracts/index.js';
import { client } from '../api.js';
import { Badge } from '../badge.js';
import { ErrorBanner } from '../error-banner.js';
import { formatTime } from '../format.js';
import { PagedList, type Column } from '../paged-list.js';
import { useAction } from '../use-action.js';

export function JobsSection({ project }: { project: string }) {
  const [reloadKey, setReloadKey] = useState(0);
  const cancel = useAction(async (job: string) => {
    await client.cancelJob({ params: { project, job } });
    setReloadKey((k) => k + 1);
  });

  const columns: Column<JobView>[] = [
    { header: 'Task', cell: (j) => <code>{j.task}</code> },
    { header: 'Status', cell: (j) => <Badge value={j.status} /> },
    {
      header: 'Progress',
      cell: (j) => (
        <span>
          {Math.round(j.progress * 100)}%{j.progress_message && <span className="muted"> {j.progress_message}</span>}
        </span>
      ),
    },
    { header: 'Attempts', cell: (j) => `${j.attempts} / ${j.max_attempts}`, className: 'num' },
    { header: 'Created', cell: (j) => formatTime(j.created_at), className: 'nowrap' },
    { header: 'Finished', cell: (j) => formatTime(j.finished_at), className: 'nowrap' },
    { header: 'Error', cell: (j) => (j.last_error ? <span className="error-text">{j.last_error}</span> : '—') },
    {
      header: '',
      cell: (j) =>
        (j.status === 'queued' || j.status === 'running') && !j.cancel_requested ? (
          <button type="button" className="btn-small" disabled={cancel.busy} onClick={() => void cancel.run(j.id)}>
            Cancel
          </button>
        ) : j.cancel_requested && j.status === 'running' ? (
          <span className="muted">stopping…</span>
        ) : null,
    },
  ];

  return (
    <section aria-labelledby="jobs-title">
      <h2 id="jobs-title">Jobs</h2>
      <p className="lead">Background work of this project — ingests, training, evaluation, drift checks, pipeline steps — newest first.</p>
      <ErrorBanner error={cancel.error} onDismiss={cancel.clear} />
      <PagedList
        testId="job-list"
        label="Jobs"
        loader={(cursor) => client.listJobs({ params: { project }, query: { cursor: cursor ?? undefined } })}
        columns={columns}
        rowKey={(j) => j.id}
        reloadKey={reloadKey}
        empty={
          <>
            <strong>No jobs yet.</strong> Jobs appear here when this project ingests data, trains, evaluates, checks drift or
            runs a pipeline.
          </>
        }
      />
    </section>
  );
}
