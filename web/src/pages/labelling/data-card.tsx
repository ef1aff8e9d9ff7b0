// The row being labelled, as a key/value card (nested values shown as JSON).

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function DataCard({ data }: { data: Record<string, unknown> }) {
  return (
    <dl className="kv-card" data-testid="task-data">
      {Object.entries(data).map(([key, value]) => (
        <div key={key} className="kv-row">
          <dt>{key}</dt>
          <dd>{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A value cut to `n` characters (an image's data: URL would otherwise fill a table row). */
const cut = (s: string, n = 60): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** One line summary of a row for tables: `date: 2014-01-01 · temp_max: 8.3 · …` (long values cut). */
export function dataSummary(data: Record<string, unknown>, max = 4): string {
  const entries = Object.entries(data);
  const shown = entries.slice(0, max).map(([k, v]) => `${k}: ${cut(show(v))}`);
  return shown.join(' · ') + (entries.length > max ? ` · +${entries.length - max}` : '');
}
