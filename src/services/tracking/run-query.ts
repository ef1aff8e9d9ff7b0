// From a filter string and order_by terms to the store's run search: parse, check what MLflow
// checks (known attributes, metrics compared with numbers, times with numbers), and turn
// attributes.status clauses on MLflow's names (RUNNING, …) into the stored statuses they match.
import { ValidationError } from '../../domain/errors.js';
import { isRunAttribute, MLFLOW_STATUS, RUN_ATTRIBUTES, type Clause, type OrderTerm } from '../../domain/run-search.js';
import type { RunStatus } from '../../domain/tracking.js';
import { compare, parseFilter, parseOrderBy } from './search-filter.js';

const COMPARISONS = new Set(['=', '!=', '>', '>=', '<', '<=']);

function checkAttribute(key: string, field: string): void {
  if (!isRunAttribute(key)) {
    throw new ValidationError(`Invalid attribute key '${key}' specified. Valid keys are ${Object.keys(RUN_ATTRIBUTES).map((k) => `'${k}'`).join(', ')}`, { field });
  }
}

/** A status clause on MLflow's names as `status IN (stored statuses it matches)`. */
function statusClause(c: Clause): Clause {
  const matching = (Object.keys(MLFLOW_STATUS) as RunStatus[]).filter((s) => compare(MLFLOW_STATUS[s], c.op, c.value));
  return { entity: 'attribute', key: 'status', op: 'IN', value: matching };
}

/** The filter's clauses, checked and ready for the store. */
export function runClauses(filter: string | undefined): Clause[] {
  return parseFilter(filter).map((c) => {
    if (c.entity === 'metric' && !COMPARISONS.has(c.op)) throw new ValidationError(`metric '${c.key}' supports only =, !=, >, >=, <, <= (got ${c.op})`, { field: 'filter' });
    if (c.entity !== 'attribute') return c;
    const key = c.key === 'name' ? 'run_name' : c.key;
    checkAttribute(key, 'filter');
    const numeric = RUN_ATTRIBUTES[key as keyof typeof RUN_ATTRIBUTES] === 'number';
    if (numeric && (typeof c.value !== 'number' || !COMPARISONS.has(c.op))) {
      throw new ValidationError(`attribute '${key}' is a time in epoch milliseconds: compare it with a number using =, !=, >, >=, < or <=`, { field: 'filter' });
    }
    if (!numeric && typeof c.value === 'number') throw new ValidationError(`attribute '${key}' must be compared with a quoted string`, { field: 'filter' });
    if (!numeric && ['>', '>=', '<', '<='].includes(c.op)) throw new ValidationError(`attribute '${key}' supports only =, !=, LIKE, ILIKE, IN and NOT IN (got ${c.op})`, { field: 'filter' });
    const out = { ...c, key };
    return key === 'status' ? statusClause(out) : out;
  });
}

/** The order terms, checked (attributes must be known ones). */
export function runOrder(orderBy: string[] | undefined): OrderTerm[] {
  return parseOrderBy(orderBy).map((t) => {
    if (t.entity !== 'attribute') return t;
    const key = t.key === 'name' ? 'run_name' : t.key;
    checkAttribute(key, 'order_by');
    return { ...t, key };
  });
}
