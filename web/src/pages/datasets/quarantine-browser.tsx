// A version's quarantine as a browser: filter chips per rule (with counts, and per column when a
// column broke several rules), pages of rows by line, and the edit-and-re-admit flow: edit a row's
// values inline, select rows, re-admit them; each row then shows whether it went into the new
// version or which rule it still breaks. The quarantine itself never changes; re-admitted rows are
// marked with the version they went into.
import { Fragment, useEffect, useRef, useState } from 'react';
import type { DatasetVersionView, QuarantineRowView, ReadmitView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { href } from '../../router.js';
import { useAction } from '../../use-action.js';
import { useAsync } from '../../use-async.js';
import { useCanWriteDatasets } from './use-can-write.js';
import './dataset-curation.css';

type Values = Record<string, string>;
type Result = { kind: 'accepted'; version: number } | { kind: 'rejected'; rule: string; reason: string };

interface Props {
  project: string;
  dataset: string;
  version: DatasetVersionView;
  /** Called with the new version after a re-admit that made one. */
  onReadmitted?: (version: number) => void;
}

/** The chips: every rule, plus `column.` when a column broke more than one rule. */
function chipsOf(rules: Array<{ rule: string; rows: number }>): Array<{ filter: string; label: string; rows: number }> {
  const byColumn = new Map<string, { rules: number; rows: number }>();
  for (const r of rules) {
    const dot = r.rule.indexOf('.');
    if (dot <= 0) continue;
    const col = r.rule.slice(0, dot + 1);
    const c = byColumn.get(col) ?? { rules: 0, rows: 0 };
    byColumn.set(col, { rules: c.rules + 1, rows: c.rows + r.rows });
  }
  const groups = [...byColumn].filter(([, c]) => c.rules > 1).map(([col, c]) => ({ filter: col, label: `${col}*`, rows: c.rows }));
  return [...groups, ...rules.map((r) => ({ filter: r.rule, label: r.rule, rows: r.rows }))];
}

function initialValues(columns: string[], q: QuarantineRowView): Values {
  return Object.fromEntries(columns.map((c) => [c, q.values[c] ?? '']));
}

export function QuarantineBrowser({ project, dataset, version, onReadmitted }: Props) {
  const canWrite = useCanWriteDatasets(project);
  const columns = version.schema.map((c) => c.name);
  const params = { project, dataset, version: String(version.version) };
  const [rule, setRule] = useState('');
  const [tick, setTick] = useState(0);
  const summary = useAsync(() => client.getQuarantineSummary({ params }), [project, dataset, version.id, tick]);

  const [items, setItems] = useState<QuarantineRowView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>();
  const generation = useRef(0);
  const [editing, setEditing] = useState<Record<number, Values>>({});
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [results, setResults] = useState<Record<number, Result>>({});
  const [outcome, setOutcome] = useState<ReadmitView>();

  async function load(cursor: string | null) {
    const mine = ++generation.current;
    setLoading(true);
    setLoadError(undefined);
    try {
      const page = await client.listQuarantine({ params, query: { cursor: cursor ?? undefined, rule: rule || undefined } });
      if (mine !== generation.current) return;
      setItems((prev) => (cursor === null ? page.items : [...prev, ...page.items]));
      setNext(page.next_cursor);
    } catch (err) {
      if (mine === generation.current) setLoadError(err);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }

  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [project, dataset, version.id, rule, tick]);

  const readmit = useAction(async () => {
    const lines = [...selected].sort((a, b) => a - b);
    const rows = lines.map((line) => {
      const edited = editing[line];
      const values = edited ? Object.fromEntries(Object.entries(edited).map(([k, v]) => [k, v === '' ? null : v])) : {};
      return { line, values };
    });
    const r = await client.readmitQuarantine({ params, body: { rows } });
    const next: Record<number, Result> = {};
    for (const a of r.accepted) next[a.line] = { kind: 'accepted', version: r.version!.version };
    for (const x of r.rejected) next[x.line] = { kind: 'rejected', rule: x.rule, reason: x.reason };
    setResults((prev) => ({ ...prev, ...next }));
    setOutcome(r);
    setSelected(new Set(r.rejected.map((x) => x.line)));
    setEditing((prev) => Object.fromEntries(Object.entries(prev).filter(([line]) => !r.accepted.some((a) => a.line === Number(line)))));
    if (r.version) {
      // Re-read the marks and the counts; the rows that still fail stay selected and editable.
      setItems((prev) => prev.map((q) => (next[q.line]?.kind === 'accepted' ? { ...q, readmitted: { version: r.version!.version, version_id: r.version!.id } } : q)));
      setTick((t) => t + 1);
      onReadmitted?.(r.version.version);
    }
  });

  function toggle(line: number, on: boolean) {
    setSelected((prev) => {
      const s = new Set(prev);
      if (on) s.add(line);
      else s.delete(line);
      return s;
    });
  }

  function edit(q: QuarantineRowView) {
    setEditing((prev) => ({ ...prev, [q.line]: prev[q.line] ?? initialValues(columns, q) }));
    toggle(q.line, true);
  }

  function setValue(line: number, column: string, value: string) {
    setEditing((prev) => ({ ...prev, [line]: { ...prev[line], [column]: value } }));
  }

  const s = summary.data;
  if (s && s.total === 0) {
    return (
      <div data-testid="quarantine-list" aria-busy="false">
        <div className="empty" data-testid="empty-state">
          <strong>No quarantined rows.</strong> Every record of this version passed the rules.
        </div>
      </div>
    );
  }
  const chips = s ? chipsOf(s.rules) : [];
  return (
    <div data-testid="quarantine-list" aria-busy={loading || summary.loading}>
      <ErrorBanner error={summary.error} />
      {s && (
        <div className="rule-chips" role="group" aria-label="Filter by rule">
          <button type="button" aria-pressed={rule === ''} onClick={() => setRule('')}>
            All<span className="chip-count">{s.total.toLocaleString()}</span>
          </button>
          {chips.map((c) => (
            <button key={c.filter} type="button" aria-pressed={rule === c.filter} onClick={() => setRule(c.filter)}>
              <code>{c.label}</code>
              <span className="chip-count">{c.rows.toLocaleString()}</span>
            </button>
          ))}
          {s.readmitted > 0 && <span className="muted small">{s.readmitted.toLocaleString()} re-admitted</span>}
        </div>
      )}
      {canWrite && (
        <div className="quarantine-toolbar">
          <button type="button" className="btn-primary" disabled={selected.size === 0 || readmit.busy} onClick={() => void readmit.run()}>
            {readmit.busy ? 'Re-admitting…' : `Re-admit selected (${selected.size})`}
          </button>
          <span className="muted">Edit a row, select it and re-admit it: rows that now pass the rules go into a new version; the quarantine keeps them, marked.</span>
        </div>
      )}
      <ErrorBanner error={readmit.error} onDismiss={readmit.clear} />
      {outcome && (
        <div className={`banner ${outcome.version ? 'banner-ok' : 'banner-error'}`} role="status" data-testid="readmit-outcome">
          <span className="banner-text">
            {outcome.version ? (
              <>
                Re-admitted {outcome.accepted.length} row{outcome.accepted.length === 1 ? '' : 's'} into{' '}
                <a href={href('projects', project, 'datasets', dataset, String(outcome.version.version))}>v{outcome.version.version}</a>
              </>
            ) : (
              'No row passed; nothing was written'
            )}
            {outcome.rejected.length > 0 && `; ${outcome.rejected.length} still fail${outcome.rejected.length === 1 ? 's' : ''} (shown below)`}.
          </span>
        </div>
      )}
      <ErrorBanner error={loadError} />
      {items.length === 0 && !loading && !loadError ? (
        <div className="empty">No quarantined rows of this rule.</div>
      ) : (
        <div className="table-wrap">
          <table aria-label="Quarantined rows">
            <thead>
              <tr>
                {canWrite && <th aria-label="Select" />}
                <th className="num">Line</th>
                <th>Rule</th>
                <th>Reason</th>
                <th>Values</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((q) => {
                const result = results[q.line];
                const values = editing[q.line];
                const done = q.readmitted !== null;
                return (
                  <Fragment key={q.line}>
                    <tr data-line={q.line} className={done ? 'row-muted' : undefined}>
                      {canWrite && (
                        <td>
                          <input type="checkbox" aria-label={`Select line ${q.line}`} disabled={done} checked={selected.has(q.line)} onChange={(e) => toggle(q.line, e.target.checked)} />
                        </td>
                      )}
                      <td className="num">{q.line}</td>
                      <td className="nowrap">
                        <code>{q.rule}</code>
                      </td>
                      <td>{q.reason}</td>
                      <td>
                        {q.raw !== null ? (
                          <code className="small">{q.raw}</code>
                        ) : (
                          <span className="small mono">
                            {Object.entries(q.values)
                              .map(([k, val]) => `${k}=${val ?? '∅'}`)
                              .join(' ')}
                          </span>
                        )}
                      </td>
                      <td className="readmit-cell">
                        {done ? (
                          <span className="readmit-result">
                            re-admitted in <a href={href('projects', project, 'datasets', dataset, String(q.readmitted!.version))}>v{q.readmitted!.version}</a>
                          </span>
                        ) : result?.kind === 'rejected' ? (
                          <span className="readmit-result is-rejected">
                            still fails: <code>{result.rule}</code> — {result.reason}
                          </span>
                        ) : null}
                        {!done && canWrite && !values && (
                          <button type="button" className="btn-small" onClick={() => edit(q)} aria-label={`Edit line ${q.line}`}>
                            Edit
                          </button>
                        )}
                      </td>
                    </tr>
                    {values && !done && (
                      <tr className="row-edit-row">
                        <td colSpan={canWrite ? 6 : 5} className="row-edit-cell">
                          <div className="row-edit" role="group" aria-label={`Values of line ${q.line}`}>
                            {columns.map((c) => (
                              <label key={c}>
                                {c}
                                <input aria-label={`${c} of line ${q.line}`} value={values[c] ?? ''} onChange={(e) => setValue(q.line, c, e.target.value)} />
                              </label>
                            ))}
                          </div>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {next !== null && !loadError && (
        <div className="list-footer">
          <button type="button" disabled={loading} onClick={() => void load(next)}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </div>
  );
}
