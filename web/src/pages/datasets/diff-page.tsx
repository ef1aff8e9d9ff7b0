// The diff of two versions of a dataset (#/projects/P/datasets/D/diff[/FROM[/TO[/KEY]]]): pick the
// versions (default: the latest and the one before) and optionally the key columns; shows rows
// added, removed and changed with the key that matched them, schema changes, and each column's
// shift (PSI with a bar, mean/std change, value shares).
import { useState, type FormEvent } from 'react';
import type { DatasetDiffView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { Field } from '../../field.js';
import { href, navigate } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { stat } from './numbers.js';
import './dataset-charts.css';
import { DiffSamples } from './diff-samples.js';

type Shift = DatasetDiffView['columns'][number];

/** PSI bands: under 0.1 stable, under 0.2 moderate, above a significant shift; the bar is full at 0.5. */
const PSI_MODERATE = 0.1;
const PSI_MAJOR = 0.2;
const PSI_FULL = 0.5;

/** The diff route: `diff`, `diff/FROM`, `diff/FROM/TO`, `diff/FROM/TO/KEY`. */
export function diffHref(project: string, dataset: string, from?: number, to?: number, key?: string): string {
  const tail = [from, to, key].filter((s): s is number | string => s !== undefined && s !== '').map(String);
  return href('projects', project, 'datasets', dataset, 'diff', ...tail);
}

function versionNumber(segment: string | undefined): number | undefined {
  return segment && /^[1-9][0-9]{0,8}$/.test(segment) ? Number(segment) : undefined;
}

export function PsiBar({ psi, column }: { psi: number; column: string }) {
  const band = psi >= PSI_MAJOR ? 'psi-major' : psi >= PSI_MODERATE ? 'psi-moderate' : 'psi-stable';
  const meaning = psi >= PSI_MAJOR ? 'significant shift' : psi >= PSI_MODERATE ? 'moderate shift' : 'stable';
  return (
    <span className="psi-cell">
      <span className="psi-track" role="img" aria-label={`PSI of ${column}: ${psi.toFixed(4)} (${meaning})`} data-testid="psi-bar">
        <span className={`psi-fill ${band}`} style={{ width: `${Math.max(2, Math.min(1, psi / PSI_FULL) * 100)}%` }} />
      </span>
      <span className="num">{psi.toFixed(3)}</span>
    </span>
  );
}

const signed = (n: number | null | undefined) => (n === null || n === undefined ? '' : `${n >= 0 ? '+' : '−'}${stat(Math.abs(n))}`);
const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

function Change({ name, from, to, change }: { name: string; from?: number | null; to?: number | null; change?: number | null }) {
  return (
    <span className="nowrap">
      <span className="muted">{name}</span> {stat(from)} → {stat(to)} {change !== null && change !== undefined && <span className="muted">({signed(change)})</span>}
    </span>
  );
}

function Shares({ shares }: { shares: NonNullable<Shift['shares']> }) {
  const moved = [...shares].sort((a, b) => Math.abs(b.change) - Math.abs(a.change)).slice(0, 4);
  return (
    <span className="shares">
      {moved.map((s) => (
        <span key={s.value} className="nowrap" title={`${s.value}: ${pct(s.from)} → ${pct(s.to)}`}>
          <code>{s.value}</code> {pct(s.from)} → {pct(s.to)}
        </span>
      ))}
      {shares.length > moved.length && <span className="muted">+{shares.length - moved.length} more</span>}
    </span>
  );
}

function KeyNote({ d }: { d: DatasetDiffView }) {
  if (d.key_source === 'none')
    return <p className="muted small">No key: rows are matched whole, so a changed row counts as one removed and one added. Give key columns to match rows by them.</p>;
  const cols = d.key.map((k, i) => (
    <span key={k}>
      {i > 0 && ', '}
      <code>{k}</code>
    </span>
  ));
  return (
    <p className="muted small" data-testid="diff-key">
      Rows matched by {cols} {d.key_source === 'given' ? '(the key you gave)' : '(a candidate key: unique and non-null in both versions)'}.
    </p>
  );
}

function DiffResult({ d }: { d: DatasetDiffView }) {
  const r = d.rows;
  const facts: Array<[string, number, string]> = [
    [`Rows in v${d.from_version}`, r.from, 'from'],
    [`Rows in v${d.to_version}`, r.to, 'to'],
    ['Added', r.added, 'added'],
    ['Removed', r.removed, 'removed'],
    ['Changed', r.changed, 'changed'],
    ['Unchanged', r.unchanged, 'unchanged'],
  ];
  return (
    <>
      <dl className="facts" data-testid="diff-rows">
        {facts.map(([label, n, id]) => (
          <div key={id} data-count={id}>
            <dt>{label}</dt>
            <dd className="num" style={{ textAlign: 'left' }}>
              {n.toLocaleString()}
            </dd>
          </div>
        ))}
      </dl>
      <KeyNote d={d} />
      <DiffSamples d={d} />
      <h3>Schema changes</h3>
      {d.schema_changes.length === 0 ? (
        <p className="muted">No schema changes: the same columns with the same types.</p>
      ) : (
        <div className="table-wrap" style={{ marginBottom: 16 }}>
          <table aria-label="Schema changes" data-testid="schema-changes">
            <thead>
              <tr>
                <th>Column</th>
                <th>Change</th>
                <th>Type</th>
              </tr>
            </thead>
            <tbody>
              {d.schema_changes.map((s) => (
                <tr key={s.column}>
                  <td>
                    <code>{s.column}</code>
                  </td>
                  <td>{s.change}</td>
                  <td>{s.change === 'retyped' ? `${s.from_type} → ${s.to_type}` : (s.to_type ?? s.from_type)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Column shifts</h3>
      {d.columns.length === 0 ? (
        <p className="muted">No shared numeric or categorical columns to compare (ids, timestamps, text and key columns are left out).</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Column shifts" data-testid="column-shifts">
            <thead>
              <tr>
                <th>Column</th>
                <th>Kind</th>
                <th>PSI</th>
                <th>Shift (numeric: mean and std; categorical: the value shares that moved most)</th>
              </tr>
            </thead>
            <tbody>
              {[...d.columns]
                .sort((a, b) => b.psi - a.psi)
                .map((c) => (
                  <tr key={c.column} data-column={c.column}>
                    <td>
                      <code>{c.column}</code>
                    </td>
                    <td>{c.kind}</td>
                    <td>
                      <PsiBar psi={c.psi} column={c.column} />
                    </td>
                    <td>
                      {c.kind === 'numeric' ? (
                        <span className="shares">
                          <Change name="mean" from={c.mean_from} to={c.mean_to} change={c.mean_change} />
                          <Change name="std" from={c.std_from} to={c.std_to} change={c.std_change} />
                        </span>
                      ) : c.shares ? (
                        <Shares shares={c.shares} />
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="chart-note" style={{ marginTop: 8 }}>
        PSI under {PSI_MODERATE} is stable, {PSI_MODERATE}–{PSI_MAJOR} a moderate shift, above {PSI_MAJOR} a significant one.
      </p>
    </>
  );
}

export function DiffPage({ project, dataset, from, to, keyColumns }: { project: string; dataset: string; from?: string; to?: string; keyColumns?: string }) {
  const fromN = versionNumber(from);
  const toN = versionNumber(to);
  const versions = useAsync(() => client.listDatasetVersions({ params: { project, dataset }, query: { limit: 1000 } }), [project, dataset]);
  const diff = useAsync(
    () => client.diffDatasetVersions({ params: { project, dataset }, query: { from: fromN, to: toN, key: keyColumns || undefined } }),
    [project, dataset, fromN, toN, keyColumns],
  );
  const shownFrom = diff.data?.from_version ?? fromN;
  const shownTo = diff.data?.to_version ?? toN;
  const [pickFrom, setPickFrom] = useState<string>();
  const [pickTo, setPickTo] = useState<string>();
  const [pickKey, setPickKey] = useState<string>();
  const numbers = (versions.data?.items ?? []).map((v) => v.version);

  function submit(e: FormEvent) {
    e.preventDefault();
    const f = pickFrom ?? (shownFrom !== undefined ? String(shownFrom) : undefined);
    const t = pickTo ?? (shownTo !== undefined ? String(shownTo) : undefined);
    const k = (pickKey ?? keyColumns ?? '').trim();
    navigate('projects', project, 'datasets', dataset, 'diff', ...[f, t].filter((s): s is string => s !== undefined), ...(k && f && t ? [k] : []));
  }

  return (
    <section aria-labelledby="diff-title">
      <div className="crumbs">
        <a href={href('projects', project, 'datasets')}>Datasets</a> / <a href={href('projects', project, 'datasets', dataset)}>{dataset}</a> / <span>diff</span>
      </div>
      <h2 id="diff-title">
        {dataset}: {shownFrom !== undefined ? <a href={href('projects', project, 'datasets', dataset, String(shownFrom))}>v{shownFrom}</a> : 'previous'} →{' '}
        {shownTo !== undefined ? <a href={href('projects', project, 'datasets', dataset, String(shownTo))}>v{shownTo}</a> : 'latest'}
      </h2>
      <form className="diff-picker" onSubmit={submit} aria-label="Versions to compare">
        <Field label="From version">
          <select value={pickFrom ?? String(shownFrom ?? '')} onChange={(e) => setPickFrom(e.target.value)}>
            {shownFrom === undefined && <option value="">previous</option>}
            {numbers.map((n) => (
              <option key={n} value={String(n)}>
                v{n}
              </option>
            ))}
          </select>
        </Field>
        <Field label="To version">
          <select value={pickTo ?? String(shownTo ?? '')} onChange={(e) => setPickTo(e.target.value)}>
            {shownTo === undefined && <option value="">latest</option>}
            {numbers.map((n) => (
              <option key={n} value={String(n)}>
                v{n}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Key columns">
          <input
            value={pickKey ?? keyColumns ?? ''}
            onChange={(e) => setPickKey(e.target.value)}
            placeholder={diff.data?.key.length ? diff.data.key.join(', ') : 'comma-separated'}
            title="Columns that identify a row, comma-separated; empty: a candidate key both versions' profiles show"
          />
        </Field>
        <button type="submit" className="btn-primary">
          Compare
        </button>
      </form>
      <ErrorBanner error={versions.error ?? diff.error} />
      {diff.loading && <p className="loading muted">Comparing…</p>}
      {diff.data && !diff.loading && <DiffResult d={diff.data} />}
    </section>
  );
}
