// One experiment's runs (#/projects/P/experiments/experiment/ID): a filter in MLflow's language
// run by the server, columns chosen among the experiment's metrics and params, sort by any
// column, and a selection of runs to compare.
import { useMemo, useState, type FormEvent } from 'react';
import { client } from '../../api.js';
import { ErrorBanner } from '../../error-banner.js';
import { href, navigate } from '../../router.js';
import { useAsync } from '../../use-async.js';
import { RunsTable, type SortState } from './runs-table.js';
import { columnId, orderTerm, type RunColumn } from './run-values.js';
import { useRunPages, type RunQuery } from './use-run-pages.js';

const MAX_COMPARE = 8;

export function ExperimentRunsPage({ project, experiment }: { project: string; experiment: string }) {
  const experiments = useAsync(() => client.listExperiments({ params: { project }, query: { view: 'all' } }), [project]);
  const keys = useAsync(() => client.getRunKeys({ params: { project, experiment } }), [project, experiment]);
  const name = experiments.data?.items.find((e) => e.id === experiment || e.mlflow_id === experiment)?.name ?? experiment;

  const [draft, setDraft] = useState('');
  const [filter, setFilter] = useState('');
  const [view, setView] = useState<RunQuery['view']>('active');
  const [sort, setSort] = useState<SortState | null>(null);
  const [chosen, setChosen] = useState<RunColumn[] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const available: RunColumn[] = useMemo(
    () => [...(keys.data?.metrics ?? []).map((key) => ({ kind: 'metric' as const, key })), ...(keys.data?.params ?? []).map((key) => ({ kind: 'param' as const, key }))],
    [keys.data],
  );
  // Until chosen: the first six metrics and the first four params.
  const columns = chosen ?? [...available.filter((c) => c.kind === 'metric').slice(0, 6), ...available.filter((c) => c.kind === 'param').slice(0, 4)];
  const query = useMemo(() => ({ filter, view, orderBy: sort ? orderTerm(sort.column, sort.ascending) : '' }), [filter, view, sort]);
  const pages = useRunPages(project, experiment, query);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter(draft.trim());
  };
  const toggleColumn = (c: RunColumn, on: boolean) => {
    const now = columns.filter((x) => columnId(x) !== columnId(c));
    setChosen(on ? [...now, c] : now);
  };
  const select = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on && next.size < MAX_COMPARE) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <section aria-labelledby="experiment-title">
      <div className="crumbs">
        <a href={href('projects', project, 'experiments')}>Experiments</a> / <span>{name}</span>
      </div>
      <div className="section-head">
        <h2 id="experiment-title">{name}</h2>
        <button type="button" className="btn-primary" disabled={selected.size < 2} onClick={() => navigate('projects', project, 'experiments', 'compare', [...selected].join(','))}>
          Compare {selected.size > 0 ? `${selected.size} runs` : 'runs'}
        </button>
      </div>
      <ErrorBanner error={experiments.error ?? keys.error} />
      <form className="runs-toolbar" onSubmit={apply} role="search">
        <input
          className="runs-filter mono"
          aria-label="Filter runs"
          placeholder="metrics.auc > 0.9 and params.algo = 'gbdt'"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="btn-secondary">
          Filter
        </button>
        {filter && (
          <button type="button" className="btn-link" onClick={() => (setDraft(''), setFilter(''))}>
            Clear
          </button>
        )}
        <label className="runs-view">
          <span className="small muted">Show</span>
          <select aria-label="Lifecycle" value={view} onChange={(e) => setView(e.target.value as RunQuery['view'])}>
            <option value="active">active runs</option>
            <option value="deleted">deleted runs</option>
            <option value="all">all runs</option>
          </select>
        </label>
        <details className="runs-columns">
          <summary>Columns</summary>
          <div className="runs-columns-list">
            {available.length === 0 && <span className="muted small">No metrics or params logged yet.</span>}
            {available.map((c) => (
              <label key={columnId(c)} className="small">
                <input type="checkbox" checked={columns.some((x) => columnId(x) === columnId(c))} onChange={(e) => toggleColumn(c, e.target.checked)} /> {c.kind === 'metric' ? 'metric' : 'param'} {c.key}
              </label>
            ))}
          </div>
        </details>
      </form>
      <RunsTable project={project} pages={pages} columns={columns} sort={sort} onSort={setSort} selected={selected} onSelect={select} />
      <p className="small muted">
        Filters use MLflow's language: <code>metrics.NAME</code> with =, !=, &lt;, &gt;; <code>params.NAME</code> and <code>tags.NAME</code> with =, !=, LIKE, ILIKE, IN;{' '}
        <code>attributes.status = 'FINISHED'</code>; clauses joined by <code>and</code>. Select up to {MAX_COMPARE} runs to compare them.
      </p>
    </section>
  );
}
