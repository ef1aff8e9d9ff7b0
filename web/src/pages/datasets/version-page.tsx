// One dataset version: its cleansing report, a link to compare it with another version, the
// profile (a card per column with its chart and statistics), its quarantine (a browser: filter by
// rule, edit and re-admit rows) and its lineage (what it came from, what used it).
import { useState } from 'react';
import type { DatasetVersionView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { ColumnProfiles } from './column-profile.js';
import { diffHref } from './diff-page.js';
import { formatBytes } from './numbers.js';
import { QuarantineBrowser } from './quarantine-browser.js';
import { VersionLineage } from './version-lineage.js';

/** The report's counts of values changed or flagged by the rules (imputed, PII flagged, PII masked). */
const CLEANSING_COUNTS = [
  ['imputed', 'Imputed'],
  ['pii_flagged', 'PII flagged'],
  ['pii_masked', 'PII masked'],
] as const;

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
      {CLEANSING_COUNTS.map(([key, label]) => {
        const counts = Object.entries(v.report[key] ?? {});
        return counts.length === 0 ? null : (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{counts.map(([what, n]) => `${what}: ${n.toLocaleString()}`).join(', ')}</dd>
          </div>
        );
      })}
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

export function VersionPage({ project, dataset, version }: { project: string; dataset: string; version: string }) {
  const v = useAsync(() => client.getDatasetVersion({ params: { project, dataset, version } }), [project, dataset, version]);
  const [lineageKey, setLineageKey] = useState(0);
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
          <p className="small">
            <a href={diffHref(project, dataset, v.data.version > 1 ? v.data.version - 1 : 1, v.data.version > 1 ? v.data.version : undefined)}>Compare with…</a>{' '}
            <span className="muted">another version: rows added, removed and changed, schema changes, column shifts</span>
          </p>
          <h3>Profile</h3>
          <ColumnProfiles v={v.data} />
          <h3>Quarantine</h3>
          <QuarantineBrowser project={project} dataset={dataset} version={v.data} onReadmitted={() => setLineageKey((k) => k + 1)} />
          <h3>Lineage</h3>
          <VersionLineage project={project} dataset={dataset} version={v.data.version} reloadKey={lineageKey} />
        </>
      )}
    </section>
  );
}
