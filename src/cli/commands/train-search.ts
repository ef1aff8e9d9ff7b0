// `flywheel train … --search FILE`: a grid or random hyper-parameter search over the same spec,
// read from a JSON or YAML file, followed to its end, printed as one line per trial and the best.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { FlywheelClient } from '../../client/index.js';
import type { RunView, SearchTrialsView } from '../../contracts/index.js';
import { ValidationError } from '../../domain/errors.js';
import { table } from '../io.js';
import type { ProgressSink } from '../progress.js';
import { followJob } from '../progress.js';

/**
 * The search of a file: `{method: grid, params: {l2: [0.1, 1, 10]}, metric: accuracy}` or
 * `{method: random, n_trials: 20, seed: 1, params: {learning_rate: {log_uniform: [0.01, 0.3]}}, metric: macro_f1}`.
 */
export function readSearchFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ValidationError(`--search: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, { field: '--search' });
  }
  let value: unknown;
  try {
    value = text.trim().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ValidationError(`--search: ${file} is not valid JSON or YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { field: '--search' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(`--search: ${file} must hold one object (method, params, metric, …)`, { field: '--search' });
  return value as Record<string, unknown>;
}

/** Start the search, follow its job (unless `wait` is false) and answer the parent run with its trials. */
export async function runSearch(
  c: FlywheelClient,
  project: string,
  body: Record<string, unknown>,
  options: { wait: boolean; sink?: ProgressSink },
): Promise<{ run: RunView; trials: SearchTrialsView | null }> {
  const queued = await c.startSearch({ params: { project }, body: body as never });
  if (!options.wait) return { run: queued, trials: null };
  await followJob(c, project, queued.job_id!, 'search', options.sink).catch((e) => {
    // A failed search still has trials worth showing; the error is the run's.
    if (!(e instanceof Error)) throw e;
  });
  const run = await c.getRun({ params: { project, run: queued.id } });
  const trials = await c.listSearchTrials({ params: { project, run: queued.id } });
  return { run, trials };
}

/** One line per trial (its params, status and validation metric), the best marked. */
export function searchReport(run: RunView, trials: SearchTrialsView | null): string {
  if (!trials) return `queued search ${run.id} (job ${run.job_id})`;
  const rows = trials.items.map((t) => ({
    trial: `${t.trial + 1}${t.trial === trials.best_trial ? ' *' : ''}`,
    status: t.status,
    [`val_${trials.metric}`]: t.value === null ? '-' : t.value.toFixed(4),
    params: Object.entries(t.params).map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(6)) : v}`).join(' '),
  }));
  const best = trials.best_trial === null ? 'no trial could be measured' : `best: trial ${trials.best_trial + 1} (${trials.direction} ${trials.metric} on the validation rows)`;
  return [
    `search ${run.id} (${trials.method}, ${trials.items.length} trials): ${run.status}${run.error ? ` — ${run.error}` : ''}`,
    table(rows, ['trial', 'status', `val_${trials.metric}`, 'params']),
    best,
    `holdout: ${Object.entries(run.metrics).filter(([k]) => !k.startsWith('val_')).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') || '-'}`,
    `gate: ${run.gate?.summary ?? '-'}`,
    run.model_version_id ? `registered as model version ${run.model_version_id}` : 'not registered',
  ].join('\n');
}
