// One dataset version: its cleansing report, schema with profile (an inline histogram per
// numeric column, top values per categorical one) and its quarantine (line, rule, reason, values).
import type { DatasetVersionView, QuarantineRowView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { PagedList, type Column } from '../../paged-list.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { Histogram } from './histogram.js';
import { formatBytes, stat } from './numbers.js';

type Profile = DatasetVersionView['profile'][number];

function Report({ v }: { v: DatasetVersionView }) {
  const rules = Object.entries(v.report.by_rule).sort((a, b) => b[1] - a[1]);
  return (
    <dl className="facts" data-testid="ingest-report">
      <div>
        <dt>Rows read</dt>
        <dd>{v.report.rows_read.toLocaleString()}</dd>
      </div>
      <div>
        <dt>Accepted</dt>
        <dd>{v.report.accepted.toLocaleString()}</dd>
      </div>
      <div>
        <dt>Quarantined</dt>
        <dd>
          {v.report.quarantined.toLocaleString()}
          {rules.length > 0 && <span className="muted"> ({rules.map(([r, n]) => `${r}: ${n}`).join(', ')})</span>}
        </dd>
      </div>
      <div>
        <dt>Source</dt>
        <dd>
          {v.source.name} ({v.source.format}, {formatBytes(v.source.bytes)}) <code title={v.source.sha256}>{v.source.sha256.slice(0, 12)}</code>
        </dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>{formatTime(v.created_at)}</dd>
      </div>
    </dl>
  );
}

function Distribution({ p }: { p: Profile }) {
  if (p.histogram) return <Histogram edges={p.histogram.edges} counts={p.histogram.counts} label={p.name} />;
  if (p.top)
    return (
      <span className="small">
        {p.top.slice(0, 3).map((t) => (
          <span key={t.value} className="label-chip">
            {t.value} <span className="muted">{t.count.toLocaleString()}</span>
          </span>
        ))}
        {p.top.length > 3 && <span className="muted">+{p.top.length - 3} more</span>}
      </span>
    );
  return <span className="muted">—</span>;
}

function ProfileTable({ v }: { v: DatasetVersionView }) {
  const nullable = new Map(v.schema.map((c) => [c.name, c.nullable]));
  return (
    <div className="table-wrap" data-testid="profile">
      <table aria-label="Schema and profile">
        <thead>
          <tr>
            <th>Column</th>
            <th>Type</th>
            <th>Meaning</th>
            <th className="num">Nulls</th>
            <th className="num">Distinct</th>
            <th className="num">Min</th>
            <th className="num">Max</th>
            <th className="num">Mean</th>
            <th className="num">Std</th>
            <th>Distribution</th>
          </tr>
        </thead>
        <tbody>
          {v.profile.map((p) => (
            <tr key={p.name}>
              <td className="nowrap">
                <code>{p.name}</code>
                {nullable.get(p.name) === false && <span className="muted small"> not null</span>}
                {p.unique && <span className="muted small"> unique</span>}
              </td>
              <td>{p.type}</td>
              <td>{p.semantic}</td>
              <td className="num">{p.nulls.toLocaleString()}</td>
              <td className="num">{p.distinct.toLocaleString()}</td>
              <td className="num nowrap">{stat(p.min)}</td>
              <td className="num nowrap">{stat(p.max)}</td>
              <td className="num">{stat(p.mean)}</td>
              <td className="num">{stat(p.std)}</td>
              <td>
                <Distribution p={p} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function VersionPage({ project, dataset, version }: { project: string; dataset: string; version: string }) {
  const v = useAsync(() => client.getDatasetVersion({ params: { project, dataset, version } }), [project, dataset, version]);
  const quarantineColumns: Column<QuarantineRowView>[] = [
    { header: 'Line', cell: (q) => q.line, className: 'num' },
    { header: 'Rule', cell: (q) => <code>{q.rule}</code>, className: 'nowrap' },
    { header: 'Reason', cell: (q) => q.reason },
    {
      header: 'Values',
      cell: (q) =>
        q.raw !== null ? (
          <code className="small">{q.raw}</code>
        ) : (
          <span className="small mono">
            {Object.entries(q.values)
              .map(([k, val]) => `${k}=${val ?? '∅'}`)
              .join(' ')}
          </span>
        ),
    },
  ];
  return (
    <section aria-labelledby="version-title">
      <div className="crumbs">
        <a href={href('projects', project, 'datasets')}>Datasets</a> / <a href={href('projects', project, 'datasets', dataset)}>{dataset}</a> /{' '}
        <span>v{v.data?.version ?? version}</span>
      </div>
      <h2 id="version-title">
        {dataset} v{v.data?.version ?? version}
      </h2>
      <ErrorBanner error={v.error} />
      {v.data && (
        <>
          <Report v={v.data} />
          <h3>Schema and profile</h3>
          <ProfileTable v={v.data} />
          <h3>Quarantine</h3>
          <PagedList
            testId="quarantine-list"
            label="Quarantined rows"
            loader={(cursor) => client.listQuarantine({ params: { project, dataset, version: String(v.data!.version) }, query: { cursor: cursor ?? undefined } })}
            columns={quarantineColumns}
            rowKey={(q) => String(q.line)}
            reloadKey={v.data.id}
            empty={
              <>
                <strong>No quarantined rows.</strong> Every record of this version passed the rules.
              </>
            }
          />
        </>
      )}
    </section>
  );
}
