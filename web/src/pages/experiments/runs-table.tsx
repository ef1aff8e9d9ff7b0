// The runs table of an experiment, fast with 100k runs: only the rows in view are in the page
// (fixed row height, spacer rows above and below), pages of 200 load as the view nears the end,
// and filtering and sorting happen on the server (a click on a column header sorts by it).
import { useEffect, useRef, useState, type UIEvent } from 'react';
import type { RunSummaryView } from '../../../../src/contracts/index.js';
import { Badge } from '../../badge.js';
import { ErrorBanner } from '../../error-banner.js';
import { formatTime } from '../../format.js';
import { href } from '../../router.js';
import { RUN_TONE } from './run-format.js';
import { columnId, fmtMetric, orderTerm, type RunColumn } from './run-values.js';
import type { RunPages } from './use-run-pages.js';

const ROW_HEIGHT = 34;
const VIEW_HEIGHT = 560;
const OVERSCAN = 10;

export interface SortState {
  column: RunColumn;
  ascending: boolean;
}

interface RunsTableProps {
  project: string;
  pages: RunPages;
  columns: RunColumn[];
  sort: SortState | null;
  onSort: (s: SortState) => void;
  selected: Set<string>;
  onSelect: (id: string, on: boolean) => void;
}

const FIXED: RunColumn[] = [
  { kind: 'attribute', key: 'run_name' },
  { kind: 'attribute', key: 'status' },
  { kind: 'attribute', key: 'start_time' },
];
const ATTRIBUTE_LABEL: Record<string, string> = { run_name: 'Run', status: 'Status', start_time: 'Started' };

function cell(r: RunSummaryView, c: RunColumn, project: string) {
  if (c.kind === 'metric') return fmtMetric(r.metrics[c.key]);
  if (c.kind === 'param') return r.params[c.key] ?? '—';
  if (c.key === 'run_name') return <a href={href('projects', project, 'experiments', r.id)}>{r.name}</a>;
  if (c.key === 'status') return <Badge value={r.status} tone={RUN_TONE[r.status]} />;
  return formatTime(r.start_time ?? r.created_at);
}

export function RunsTable({ project, pages, columns, sort, onSort, selected, onSelect }: RunsTableProps) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const all = [...FIXED, ...columns];
  const { runs, total, hasMore, loadMore } = pages;

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(runs.length, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  // Near the end of what is loaded: ask for the next page.
  useEffect(() => {
    if (hasMore && last >= runs.length - OVERSCAN) loadMore();
  }, [hasMore, last, runs.length, loadMore]);
  // A new query starts at the top.
  useEffect(() => {
    if (runs.length === 0 && box.current) box.current.scrollTop = 0;
  }, [runs.length]);

  const headerClick = (c: RunColumn) => {
    const same = sort && columnId(sort.column) === columnId(c);
    onSort({ column: c, ascending: same ? !sort.ascending : c.kind !== 'metric' && c.key !== 'start_time' });
  };
  const ariaSort = (c: RunColumn) => (sort && columnId(sort.column) === columnId(c) ? (sort.ascending ? 'ascending' : 'descending') : undefined);

  return (
    <div className="runs-table" data-testid="runs-table" aria-busy={pages.loading}>
      <ErrorBanner error={pages.error} />
      <div className="runs-meta small muted" data-testid="runs-count">
        {total === undefined ? (pages.loading && runs.length === 0 ? 'Loading…' : `${runs.length.toLocaleString()}${pages.hasMore ? '+' : ''} runs · counting…`) : `${total.toLocaleString()} run${total === 1 ? '' : 's'}`}
        {runs.length > 0 && total !== undefined && runs.length < total && ` · ${runs.length.toLocaleString()} loaded`}
        {sort && ` · sorted by ${orderTerm(sort.column, sort.ascending)}`}
      </div>
      <div className="runs-scroll table-wrap" ref={box} style={{ maxHeight: VIEW_HEIGHT }} onScroll={(e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop)}>
        <table aria-label="Runs" aria-rowcount={total === undefined ? -1 : total + 1}>
          <thead>
            <tr aria-rowindex={1}>
              <th className="runs-select">
                <span className="visually-hidden">Select</span>
              </th>
              {all.map((c) => (
                <th key={columnId(c)} aria-sort={ariaSort(c)} className={c.kind === 'metric' ? 'num' : undefined}>
                  <button type="button" className="sort-button" onClick={() => headerClick(c)} title={`Sort by ${orderTerm(c, false).replace(/ DESC$/, '')}`}>
                    {c.kind === 'attribute' ? ATTRIBUTE_LABEL[c.key] : c.key}
                    {c.kind === 'param' && <span className="col-kind"> param</span>}
                    <span aria-hidden="true" className="sort-mark">
                      {ariaSort(c) === 'ascending' ? ' ▲' : ariaSort(c) === 'descending' ? ' ▼' : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {first > 0 && <tr aria-hidden="true" className="spacer" style={{ height: first * ROW_HEIGHT }} />}
            {runs.slice(first, last).map((r, i) => (
              <tr key={r.id} aria-rowindex={first + i + 2} style={{ height: ROW_HEIGHT }} className={r.lifecycle_stage === 'deleted' ? 'row-muted' : undefined}>
                <td className="runs-select">
                  <input type="checkbox" aria-label={`Select run ${r.name}`} checked={selected.has(r.id)} onChange={(e) => onSelect(r.id, e.target.checked)} />
                </td>
                {all.map((c) => (
                  <td key={columnId(c)} className={c.kind === 'metric' ? 'num' : c.kind === 'param' ? 'mono' : undefined}>
                    {cell(r, c, project)}
                  </td>
                ))}
              </tr>
            ))}
            {last < runs.length && <tr aria-hidden="true" className="spacer" style={{ height: (runs.length - last) * ROW_HEIGHT }} />}
          </tbody>
        </table>
        {!pages.loading && runs.length === 0 && !pages.error && (
          <div className="empty" data-testid="empty-state">
            No runs match.
          </div>
        )}
      </div>
    </div>
  );
}
