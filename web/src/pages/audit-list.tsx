// The audit log as a list: local time, actor, action, targets, outcome badge.
import type { AuditEventView } from '../../../src/contracts/index.js';
import type { Page } from '../../../src/domain/pagination.js';
import { Badge } from '../badge.js';
import { formatTime } from '../format.js';
import { PagedList, type Column } from '../paged-list.js';

/** What the event acted on: the names from its details, then the target ids (shortened). */
function Targets({ event }: { event: AuditEventView }) {
  const named = Object.entries(event.details).filter(([, v]) => v !== null && typeof v !== 'object');
  const ids = Object.entries(event.target_ids);
  if (named.length === 0 && ids.length === 0) return <span className="muted">—</span>;
  return (
    <>
      <span className="targets">
        {named.map(([key, value]) => (
          <span key={key} className="target">
            <span className="muted">{key}</span> {String(value)}
          </span>
        ))}
      </span>
      {ids.length > 0 && (
        <span className="target-ids">
          {ids.map(([kind, id], i) => (
            <span key={kind} title={id}>
              {i > 0 && ' · '}
              {kind} <code>{id.length > 13 ? `…${id.slice(-8)}` : id}</code>
            </span>
          ))}
        </span>
      )}
    </>
  );
}

const columns: Column<AuditEventView>[] = [
  { header: 'Time', cell: (e) => formatTime(e.at), className: 'nowrap' },
  { header: 'Actor', cell: (e) => e.actor_name },
  { header: 'Action', cell: (e) => <code>{e.action}</code> },
  { header: 'Targets', cell: (e) => <Targets event={e} /> },
  { header: 'Outcome', cell: (e) => <Badge value={e.outcome} /> },
  { header: '#', cell: (e) => e.seq, className: 'num muted' },
];

interface AuditListProps {
  loader: (cursor: string | null) => Promise<Page<AuditEventView>>;
  reloadKey?: unknown;
  testId: string;
}

export function AuditList({ loader, reloadKey, testId }: AuditListProps) {
  return (
    <PagedList
      testId={testId}
      label="Audit events"
      loader={loader}
      columns={columns}
      rowKey={(e) => e.id}
      reloadKey={reloadKey}
      rowClass={(e) => (e.outcome === 'success' ? undefined : `row-${e.outcome}`)}
      empty={<strong>No audit events yet.</strong>}
    />
  );
}
