// A search spec turned into its trials, or refused with a ValidationError naming the field
// (`body.search.params.l2`, `body.search.n_trials`, …): a grid is the cartesian product of its
// lists (in the order the params are given), a random search draws `n_trials` combinations from
// its distributions with a seeded generator, so the same spec always gives the same trials.
import { ValidationError } from '../../domain/errors.js';
import { metricDirection } from '../../domain/metric-direction.js';
import { seededRandom } from '../../domain/seeded-random.js';
import { MAX_SEARCH_TRIALS, type ParamSpace, type ParamValue, type SearchDirection, type SearchSpec } from '../../domain/search.js';
import { checkTrainerParams, taskOf, type TrainerSpec } from './trainers.js';

/** The validation metrics a trial measures, per task (classifiers also give f1.<class>). */
export const SEARCH_METRICS = { classification: ['accuracy', 'macro_f1'], regression: ['rmse', 'mae', 'r2', 'mape'] } as const;

export interface SearchPlan {
  trials: Array<Record<string, ParamValue>>;
  metric: string;
  direction: SearchDirection;
  validationFraction: number;
}

const DISTRIBUTIONS = ['uniform', 'log_uniform', 'int', 'choice'] as const;
type Distribution = (typeof DISTRIBUTIONS)[number];

const isScalar = (v: unknown): v is ParamValue => v === null || ['number', 'string', 'boolean'].includes(typeof v);

/** One parameter's space, checked: a list of scalars, or (random search) one known distribution. */
function readSpace(name: string, space: unknown, method: SearchSpec['method']): { kind: Distribution; values?: ParamValue[]; low?: number; high?: number } {
  const field = `body.search.params.${name}`;
  const list = (values: unknown, where: string): ParamValue[] => {
    if (!Array.isArray(values) || values.length === 0) throw new ValidationError(`${where} must be a non-empty list of values`, { field });
    values.forEach((v, i) => {
      if (!isScalar(v) || (typeof v === 'number' && !Number.isFinite(v))) throw new ValidationError(`${where}[${i}] must be a number, string, boolean or null`, { field });
    });
    return values as ParamValue[];
  };
  if (Array.isArray(space)) return { kind: 'choice', values: list(space, `search.params.${name}`) };
  if (method === 'grid') throw new ValidationError(`a grid takes a list of values for '${name}'; distributions need method 'random'`, { field });
  if (space === null || typeof space !== 'object' || Object.keys(space).length !== 1) {
    throw new ValidationError(`search.params.${name} must be a list of values or one of ${DISTRIBUTIONS.map((d) => `{"${d}": …}`).join(', ')}`, { field });
  }
  const [kind, arg] = Object.entries(space)[0];
  if (!(DISTRIBUTIONS as readonly string[]).includes(kind)) {
    throw new ValidationError(`unknown distribution '${kind}' for '${name}': use ${DISTRIBUTIONS.join(', ')}`, { field });
  }
  if (kind === 'choice') return { kind, values: list(arg, `search.params.${name}.choice`) };
  if (!Array.isArray(arg) || arg.length !== 2 || !arg.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new ValidationError(`search.params.${name}.${kind} must be [low, high] (two numbers)`, { field });
  }
  const [low, high] = arg as [number, number];
  if (!(low <= high)) throw new ValidationError(`search.params.${name}.${kind}: low ${low} is above high ${high}`, { field });
  if (kind === 'log_uniform' && !(low > 0)) throw new ValidationError(`search.params.${name}.log_uniform needs low > 0, got ${low}`, { field });
  if (kind === 'int' && !(Number.isInteger(low) && Number.isInteger(high))) throw new ValidationError(`search.params.${name}.int needs integer bounds`, { field });
  return { kind: kind as Distribution, low, high };
}

/** Check the trainer's params with one searched value, naming the searched field when it is the bad one. */
function checkCombination(base: TrainerSpec, params: Record<string, unknown>, searched: Set<string>): void {
  try {
    checkTrainerParams({ ...base, params: { ...(base.params ?? {}), ...params } }, 'body.params.');
  } catch (e) {
    if (e instanceof ValidationError && typeof e.details?.field === 'string') {
      const key = e.details.field.replace(/^body\.params\./, '');
      if (searched.has(key)) throw new ValidationError(`search.params.${key}: ${e.message}`, { ...e.details, field: `body.search.params.${key}` });
    }
    throw e;
  }
}

/**
 * Check a search against the base spec and list its trials (params of each, in order).
 * @example planSearch({ method: 'grid', params: { l2: [0.1, 1], max_iter: [50, 100] }, metric: 'accuracy' }, spec).trials
 *   // [{ l2: 0.1, max_iter: 50 }, { l2: 0.1, max_iter: 100 }, { l2: 1, max_iter: 50 }, { l2: 1, max_iter: 100 }]
 */
export function planSearch(search: SearchSpec, base: TrainerSpec): SearchPlan {
  if (search.method !== 'grid' && search.method !== 'random') throw new ValidationError(`search.method must be 'grid' or 'random', got '${String(search.method)}'`, { field: 'body.search.method' });
  const names = Object.keys(search.params ?? {});
  if (names.length === 0) throw new ValidationError('search.params is empty: give at least one parameter to search', { field: 'body.search.params' });
  const searched = new Set(names);
  for (const name of names) {
    if (base.params && base.params[name] !== undefined) {
      throw new ValidationError(`'${name}' is both in params and in search.params: set it in one place`, { field: `body.search.params.${name}` });
    }
  }
  const spaces = names.map((name) => [name, readSpace(name, (search.params as Record<string, ParamSpace>)[name], search.method)] as const);
  // Every value a trial can take is checked up front (the bounds of a range stand for it).
  for (const [name, s] of spaces) {
    const probes: ParamValue[] = s.values ?? [s.low!, s.high!];
    for (const v of probes) checkCombination(base, { [name]: v }, searched);
  }

  let trials: Array<Record<string, ParamValue>>;
  if (search.method === 'grid') {
    if (search.n_trials !== undefined) throw new ValidationError('n_trials is for random search: a grid runs every combination', { field: 'body.search.n_trials' });
    const size = spaces.reduce((n, [, s]) => n * s.values!.length, 1);
    if (size > MAX_SEARCH_TRIALS) {
      throw new ValidationError(`the grid has ${size} combinations; at most ${MAX_SEARCH_TRIALS} trials are allowed`, { field: 'body.search.params' });
    }
    trials = [{}];
    for (const [name, s] of spaces) trials = trials.flatMap((t) => s.values!.map((v) => ({ ...t, [name]: v })));
  } else {
    const n = search.n_trials;
    if (n === undefined || !Number.isInteger(n) || n < 1 || n > MAX_SEARCH_TRIALS) {
      throw new ValidationError(`random search needs n_trials, an integer in [1, ${MAX_SEARCH_TRIALS}], got ${JSON.stringify(n)}`, { field: 'body.search.n_trials' });
    }
    const draw = seededRandom(search.seed ?? 0);
    trials = Array.from({ length: n }, () => {
      const t: Record<string, ParamValue> = {};
      for (const [name, s] of spaces) {
        const u = draw();
        if (s.kind === 'choice') t[name] = s.values![Math.min(s.values!.length - 1, Math.floor(u * s.values!.length))];
        else if (s.kind === 'uniform') t[name] = s.low! + u * (s.high! - s.low!);
        else if (s.kind === 'log_uniform') t[name] = Math.exp(Math.log(s.low!) + u * (Math.log(s.high!) - Math.log(s.low!)));
        else t[name] = Math.min(s.high!, s.low! + Math.floor(u * (s.high! - s.low! + 1)));
      }
      return t;
    });
  }
  for (const t of trials) checkCombination(base, t, searched);

  const task = taskOf(base);
  const allowed: readonly string[] = SEARCH_METRICS[task];
  const metric = search.metric;
  const perClass = task === 'classification' && typeof metric === 'string' && metric.startsWith('f1.') && metric.length > 3;
  if (!allowed.includes(metric) && !perClass) {
    throw new ValidationError(`search.metric '${String(metric)}' is not measured for a ${task}: use ${allowed.join(', ')}${task === 'classification' ? ' or f1.<class>' : ''}`, { field: 'body.search.metric' });
  }
  const known = metricDirection(metric);
  const direction = search.direction ?? (known === 'lower' ? 'minimize' : 'maximize');
  if (direction !== 'maximize' && direction !== 'minimize') throw new ValidationError(`search.direction must be 'maximize' or 'minimize'`, { field: 'body.search.direction' });
  const validationFraction = search.validation_fraction ?? 0.2;
  if (!(validationFraction > 0 && validationFraction < 1)) throw new ValidationError('search.validation_fraction must be in (0, 1)', { field: 'body.search.validation_fraction' });
  return { trials, metric, direction, validationFraction };
}

/**
 * The best of measured trials: the highest (maximize) or lowest (minimize) value, the earliest
 * trial on a tie; null when none was measured.
 */
export function bestTrial<T extends { trial: number; value: number | null }>(trials: readonly T[], direction: SearchDirection): T | null {
  let best: T | null = null;
  for (const t of trials) {
    if (t.value === null || !Number.isFinite(t.value)) continue;
    if (best === null || (direction === 'maximize' ? t.value > best.value! : t.value < best.value!)) best = t;
  }
  return best;
}
