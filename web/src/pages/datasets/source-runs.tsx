// A source's last runs, newest first: when each started and finished (and how long it took), what
// started it, its status, rows read, staged and quarantined, and why it failed.
import type { SourceRunView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { Badge } from '../../badge.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';

/** What a run did, in a few words: its error, or what it staged. */
export function runSummary(r: SourceRunView): string {
  if (r.status === 'failed') return r.error ?? 'failed';
  if (r.status === 'running') return 'running…';
  if (r.unchanged) return 'unchanged (already staged)';
  return `${r.rows_staged.toLocaleString()} staged, ${r.rows_quarantined.toLocaleString()} quarantined`;
}

/** The finishing time of a run without its date (the full time is shown on hover). */
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

function took(r: SourceRunView): string {
  if (r.finished_at === null) return '';
  const ms = r.finished_at - r.started_at;
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

const columns: Column<SourceRunView>[] = [
  { header: 'Started', cell: (r) => formatTime(r.started_at), className: 'nowrap' },
  {
    header: 'Finished',
    cell: (r) =>
      r.finished_at === null ? (
        <span className="muted">—</span>
      ) : (
        <span title={formatTime(r.finished_at)}>
          {clock.format(new Date(r.finished_at))} <span className="muted">({took(r)})</span>
        </span>
      ),
    className: 'nowrap',
  },
  { header: 'Trigger', cell: (r) => r.trigger },
  { header: 'Status', cell: (r) => <Badge value={r.status} /> },
  { header: 'Read', cell: (r) => r.rows_read.toLocaleString(), className: 'num' },
  { header: 'Staged', cell: (r) => r.rows_staged.toLocaleString(), className: 'num' },
  { header: 'Quarantined', cell: (r) => r.rows_quarantined.toLocaleString(), className: 'num' },
  {
    header: 'Note',
    cell: (r) => (r.error ? <span className="run-error">{r.error}</span> : r.unchanged ? 'unchanged (already staged)' : r.committed_version_id ? 'committed as a version' : ''),
  },
];

export function SourceRuns({ project, dataset, source, reloadKey }: { project: string; dataset: string; source: string; reloadKey: unknown }) {
  return (
    <>
      <h4>Last runs of {source}</h4>
      <PagedList
        testId="source-runs"
        label={`Runs of ${source}`}
        loader={(cursor) => client.listSourceRuns({ params: { project, dataset, source }, query: { cursor: cursor ?? undefined, limit: 20 } })}
        columns={columns}
        rowKey={(r) => r.id}
        reloadKey={`${source}:${String(reloadKey)}`}
        rowClass={(r) => (r.status === 'failed' ? 'row-failed' : undefined)}
        empty={<strong>No runs yet.</strong>}
      />
    </>
  );
}
