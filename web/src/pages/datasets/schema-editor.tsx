// The dataset's declared schema as an editable table: per column its type (for the next ingest),
// whether it may be empty, its meaning (semantic type) and whether it is part of the key, with the
// candidate keys (unique, never empty) marked. Saving says how edits apply: versions already made
// never change.
import { useEffect, useState, type FormEvent } from 'react';
import type { SchemaStateView } from '../../../../src/contracts/index.js';
import { COLUMN_TYPES, SEMANTICS } from '../../../../src/domain/datasets.js';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { useAction } from '../../use-action.js';
import { useAsync } from '../../use-async.js';
import { useCanWriteDatasets } from './use-can-write.js';
import './dataset-curation.css';

type Column = SchemaStateView['columns'][number];

export function SchemaEditor({ project, dataset, reloadKey }: { project: string; dataset: string; reloadKey?: unknown }) {
  const canWrite = useCanWriteDatasets(project);
  const state = useAsync(() => client.getDatasetSchema({ params: { project, dataset } }), [project, dataset, reloadKey]);
  const [columns, setColumns] = useState<Column[]>([]);
  const [key, setKey] = useState<string[]>([]);
  const [saved, setSaved] = useState<SchemaStateView>();

  useEffect(() => {
    if (!state.data) return;
    setColumns(state.data.columns.map((c) => ({ ...c })));
    setKey(state.data.key ?? []);
  }, [state.data]);

  const save = useAction(async () => {
    const s = await client.putDatasetSchema({ params: { project, dataset }, body: { columns, key: key.length > 0 ? key : null } });
    setSaved(s);
    state.reload();
  });

  function change(name: string, patch: Partial<Column>) {
    setColumns((cols) => cols.map((c) => (c.name === name ? { ...c, ...patch } : c)));
  }

  function toggleKey(name: string, on: boolean) {
    setKey((k) => (on ? [...k.filter((x) => x !== name), name] : k.filter((x) => x !== name)));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void save.run();
  }

  const s = state.data;
  if (state.error) return <ErrorBanner error={state.error} />;
  if (!s) return <div className="muted loading">Loading…</div>;
  if (s.based_on_version === null) {
    return (
      <div className="empty" data-testid="schema-editor">
        <strong>No schema yet.</strong> The first ingest infers one; you can then declare meanings, nullability and a key here.
      </div>
    );
  }
  const candidates = new Set(s.candidate_keys.flat());
  const original = new Map(s.columns.map((c) => [c.name, c]));
  const dirty = JSON.stringify(columns) !== JSON.stringify(s.columns) || JSON.stringify(key) !== JSON.stringify(s.key ?? []);
  return (
    <form className="schema-editor" onSubmit={submit} aria-label="Schema editor" data-testid="schema-editor">
      <p className="small muted">
        {s.declared ? `Declared schema, saved ${formatTime(s.updated_at)}.` : `Not declared yet: the schema inferred for v${s.based_on_version}.`} {s.note}
      </p>
      <ErrorBanner error={save.error} onDismiss={save.clear} />
      {saved && !dirty && (
        <div className="banner banner-ok" role="status">
          <span className="banner-text">
            Schema saved.{saved.pending_type_changes.length > 0 && ` The next ingest coerces ${saved.pending_type_changes.map((p) => `${p.column} to ${p.to}`).join(', ')}.`}
          </span>
        </div>
      )}
      <div className="table-wrap">
        <table aria-label="Declared schema">
          <thead>
            <tr>
              <th>Column</th>
              <th>Type</th>
              <th>Nullable</th>
              <th>Meaning</th>
              <th>Key</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.name}>
                <td className="nowrap">
                  <code>{c.name}</code>
                  {candidates.has(c.name) && <span className="muted small"> candidate key</span>}
                </td>
                <td>
                  <select aria-label={`Type of ${c.name}`} value={c.type} disabled={!canWrite} onChange={(e) => change(c.name, { type: e.target.value as Column['type'] })}>
                    {COLUMN_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                  {original.get(c.name)?.type !== c.type && <span className="muted small"> from the next ingest</span>}
                </td>
                <td>
                  <input type="checkbox" aria-label={`${c.name} may be empty`} checked={c.nullable} disabled={!canWrite} onChange={(e) => change(c.name, { nullable: e.target.checked })} />
                </td>
                <td>
                  <select aria-label={`Meaning of ${c.name}`} value={c.semantic} disabled={!canWrite} onChange={(e) => change(c.name, { semantic: e.target.value as Column['semantic'] })}>
                    {SEMANTICS.map((t) => (
                      <option key={t} value={t}>
                        {t.replace('_', ' ')}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input type="checkbox" aria-label={`${c.name} is part of the key`} checked={key.includes(c.name)} disabled={!canWrite} onChange={(e) => toggleKey(c.name, e.target.checked)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {s.pending_type_changes.length > 0 && (
        <p className="small muted">Pending from the next ingest: {s.pending_type_changes.map((p) => `${p.column} ${p.from} → ${p.to}`).join(', ')}.</p>
      )}
      {canWrite && (
        <div className="form-actions">
          <button type="submit" className="btn-primary" disabled={save.busy || !dirty}>
            {save.busy ? 'Saving…' : 'Save schema'}
          </button>
        </div>
      )}
    </form>
  );
}
