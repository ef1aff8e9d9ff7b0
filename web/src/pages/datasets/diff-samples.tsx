// A few rows of a diff, by kind: added and removed rows whole, changed rows as their key and the
// values that moved (from → to).
import type { DatasetDiffView } from '../../../../src/contracts/index.js';

type Row = Record<string, string | null>;

const shown = (v: string | null | undefined) => (v === null || v === undefined ? <span className="muted">null</span> : v);

function RowsTable({ label, rows, testId }: { label: string; rows: Row[]; testId: string }) {
  if (rows.length === 0) return null;
  const columns = Object.keys(rows[0]);
  return (
    <div className="table-wrap">
      <table aria-label={label} data-testid={testId}>
        <caption className="muted" style={{ textAlign: 'left' }}>
          {label}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c} className="mono">
                  {shown(r[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DiffSamples({ d }: { d: DatasetDiffView }) {
  const { added, removed, changed } = d.samples;
  if (added.length + removed.length + changed.length === 0) return null;
  return (
    <>
      <h3>Sample rows</h3>
      <RowsTable label={`Added in v${d.to_version} (first ${added.length} of ${d.rows.added.toLocaleString()})`} rows={added} testId="diff-added" />
      <RowsTable label={`Removed from v${d.from_version} (first ${removed.length} of ${d.rows.removed.toLocaleString()})`} rows={removed} testId="diff-removed" />
      {changed.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Changed rows" data-testid="diff-changed">
            <caption className="muted" style={{ textAlign: 'left' }}>
              Changed (first {changed.length} of {d.rows.changed.toLocaleString()})
            </caption>
            <thead>
              <tr>
                <th>Key</th>
                <th>Changes</th>
              </tr>
            </thead>
            <tbody>
              {changed.map((c, i) => (
                <tr key={i}>
                  <td className="mono">{Object.entries(c.key).map(([k, v]) => `${k}=${v ?? 'null'}`).join(', ')}</td>
                  <td>
                    {c.changes.map((x) => (
                      <div key={x.column}>
                        <code>{x.column}</code> {shown(x.from)} → {shown(x.to)}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
