// The runs of an experiment loaded a page at a time as the table scrolls; the number of matching
// runs is asked for beside the first page (it can take longer than the page itself on a wide
// filter, so the rows do not wait for it). A new filter, order or view starts over and drops
// answers still in flight for the old one.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunSummaryView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';

export const PAGE_SIZE = 200;

export interface RunQuery {
  filter: string;
  orderBy: string;
  view: 'active' | 'deleted' | 'all';
}

export interface RunPages {
  runs: RunSummaryView[];
  total: number | undefined;
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

export function useRunPages(project: string, experiment: string, q: RunQuery): RunPages {
  const [runs, setRuns] = useState<RunSummaryView[]>([]);
  const [total, setTotal] = useState<number>();
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const busy = useRef(false);

  const load = useCallback(
    async (cursor: string | null) => {
      const mine = generation.current;
      busy.current = true;
      setLoading(true);
      setError(undefined);
      try {
        const query = { filter: q.filter || undefined, order_by: q.orderBy || undefined, view: q.view };
        if (!cursor) {
          client.listExperimentRuns({ params: { project, experiment }, query: { ...query, limit: 1, count: 'true' } }).then(
            (counted) => mine === generation.current && setTotal(counted.total),
            () => undefined,
          );
        }
        const page = await client.listExperimentRuns({ params: { project, experiment }, query: { ...query, limit: PAGE_SIZE, cursor: cursor ?? undefined } });
        if (mine !== generation.current) return;
        setRuns((prev) => (cursor ? [...prev, ...page.items] : page.items));
        setNext(page.next_cursor);
      } catch (err) {
        if (mine === generation.current) setError(err);
      } finally {
        if (mine === generation.current) {
          busy.current = false;
          setLoading(false);
        }
      }
    },
    [project, experiment, q.filter, q.orderBy, q.view],
  );

  useEffect(() => {
    generation.current++;
    setRuns([]);
    setTotal(undefined);
    setNext(null);
    void load(null);
  }, [load, tick]);

  const loadMore = useCallback(() => {
    if (!busy.current && next) void load(next);
  }, [load, next]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { runs, total, loading, error, hasMore: next !== null, loadMore, reload };
}
