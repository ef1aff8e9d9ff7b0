// A version's lineage: what it came from (parent, source, pushed batches, re-admitted lines) and
// what used it (labelling jobs, training runs, models trained on it, monitors), each a link.
import type { ReactNode } from 'react';
import type { LineageView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { href } from '../../router.js';
import { useAsync } from '../../use-async.js';
import './dataset-curation.css';

type Ref = LineageView['version'];

function Items({ items, none }: { items: ReactNode[]; none: string }) {
  if (items.length === 0) return <span className="muted">{none}</span>;
  return (
    <ul>
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}

export function VersionLineage({ project, dataset, version, reloadKey }: { project: string; dataset: string; version: number; reloadKey?: unknown }) {
  const l = useAsync(() => client.getVersionLineage({ params: { project, dataset, version: String(version) } }), [project, dataset, version, reloadKey]);
  const versionLink = (v: Pick<Ref, 'version'> & { source_kind?: string }) => (
    <>
      <a href={href('projects', project, 'datasets', dataset, String(v.version))}>v{v.version}</a>
      {v.source_kind && <span className="muted small"> ({v.source_kind})</span>}
    </>
  );
  if (l.error) return <ErrorBanner error={l.error} />;
  const d = l.data;
  if (!d) return <div className="muted loading">Loading…</div>;
  const from = d.came_from;
  const u = d.used_by;
  const lines = from.readmit?.lines ?? [];
  return (
    <dl className="facts lineage-list" data-testid="version-lineage">
      <div>
        <dt>Came from</dt>
        <dd>
          <Items
            none="—"
            items={[
              from.parent ? <>parent {versionLink(from.parent)}</> : 'no parent (the first version)',
              <>
                {from.source.kind}: {from.source.name}
              </>,
              ...(from.readmit
                ? [
                    <>
                      re-admitted from {versionLink({ version: from.readmit.version })}'s quarantine, line{lines.length === 1 ? '' : 's'} {lines.slice(0, 20).join(', ')}
                      {lines.length > 20 && ` … (${lines.length})`}
                    </>,
                  ]
                : []),
              ...from.batches.map((b) => (
                <>
                  pushed batch <code>{b.idempotency_key}</code> ({b.rows.toLocaleString()} rows)
                </>
              )),
            ]}
          />
        </dd>
      </div>
      <div>
        <dt>Made from it</dt>
        <dd>
          <Items
            none="no later version yet"
            items={[
              ...d.children.map((c) => <>child {versionLink(c)}</>),
              ...d.readmitted_into.map((r) => (
                <>
                  {r.rows.toLocaleString()} quarantined row{r.rows === 1 ? '' : 's'} re-admitted into {versionLink({ version: r.version })}
                </>
              )),
            ]}
          />
        </dd>
      </div>
      <div>
        <dt>Used by</dt>
        <dd>
          <Items
            none="nothing has used this version yet"
            items={[
              ...u.labelling_jobs.map((j) => (
                <>
                  labelling job <a href={href('projects', project, 'labelling', j.name)}>{j.name}</a> <span className="muted small">({j.status})</span>
                </>
              )),
              ...u.runs.map((r) => (
                <>
                  run <a href={href('projects', project, 'experiments', r.id)}>{r.name}</a> <span className="muted small">({r.status})</span>
                </>
              )),
              ...u.models.map((m) => (
                <>
                  model <a href={href('projects', project, 'models', m.model)}>{m.model}</a> v{m.version}
                </>
              )),
              ...u.monitors.map((m) => (
                <>
                  monitor <a href={href('projects', project, 'monitoring', m.name)}>{m.name}</a> <span className="muted small">(reference of {m.deployment})</span>
                </>
              )),
            ]}
          />
          {d.hidden.length > 0 && <div className="muted small">Not shown to your role: {d.hidden.map((h) => h.replace('_', ' ')).join(', ')}.</div>}
        </dd>
      </div>
    </dl>
  );
}
