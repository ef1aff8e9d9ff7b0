// <PagedList>: the one list of the UI — loads cursor pages, renders a table, "Load more".
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Page } from '../../src/domain/pagination.js';
import { ErrorBanner } from './error-banner.js';

export interface Column<T> {
  header: string;
  cell: (item: T) => ReactNode;
  /** Extra class for the cells, e.g. 'num' or 'mono'. */
  className?: string;
}

interface PagedListProps<T> {
  /** Loads one page; `cursor` is null for the first. */
  loader: (cursor: string | null) => Promise<Page<T>>;
  columns: Column<T>[];
  rowKey: (item: T) => string;
  /** Shown instead of the table when the first page is empty. */
  empty: ReactNode;
  /** Change it to reload from the first page (after a create, a delete...). */
  reloadKey?: unknown;
  testId?: string;
  label?: string;
  rowClass?: (item: T) => string | undefined;
}

export function PagedList<T>(props: PagedListProps<T>) {
  const { columns, rowKey, empty, reloadKey, testId, label, rowClass } = props;
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const loaderRef = useRef(props.loader);
  loaderRef.current = props.loader;
  const generation = useRef(0);

  async function load(cursor: string | null) {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const page = await loaderRef.current(cursor);
      if (mine !== generation.current) return;
      setItems((prev) => (cursor === null ? page.items : [...prev, ...page.items]));
      setNext(page.next_cursor);
    } catch (err) {
      if (mine === generation.current) setError(err);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }

  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reloadKey]);

  const first = loading && items.length === 0;
  return (
    <div className="paged-list" data-testid={testId} aria-busy={loading}>
      <ErrorBanner error={error} />
      {first ? (
        <div className="muted loading">Loading…</div>
      ) : items.length === 0 && !error ? (
        <div className="empty" data-testid="empty-state">
          {empty}
        </div>
      ) : items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label={label}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.header} className={c.className}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={rowKey(item)} className={rowClass?.(item)}>
                  {columns.map((c) => (
                    <td key={c.header} className={c.className} data-label={c.header}>
                      {c.cell(item)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {next !== null && !error && (
        <div className="list-footer">
          <button type="button" disabled={loading} onClick={() => void load(next)}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
      {error !== undefined && (
        <div className="list-footer">
          <button type="button" onClick={() => void load(items.length ? next : null)}>
            Retry
          </button>
        </div>
      )}
    </div>
  );
}
