// flywheel train … | runs list|show | policy show|set — training runs and the KPI gate.
import { Command } from 'commander';
import { AppError, ValidationError } from '../../domain/errors.js';
import type { RunDetailsView } from '../../contracts/index.js';
import { emit, isoTime, table } from '../io.js';
import { followJob, progressSink } from '../progress.js';
import { jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';
import { readSearchFile, runSearch, searchReport } from './train-search.js';
import { addRunsExec } from './runs-exec.command.js';

const f4 = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(4));

/** `--param name=value`: numbers, true/false and null are parsed, anything else stays text. */
function collectParam(pair: string, acc: Record<string, unknown>): Record<string, unknown> {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new ValidationError(`--param must be NAME=VALUE, got '${pair}'`, { field: '--param' });
  const raw = pair.slice(eq + 1).trim();
  const value = raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return { ...acc, [pair.slice(0, eq).trim()]: value };
}

export function trainCommand({ io }: CommandEnv): Command {
  return jsonFlag(
    new Command('train')
      .description('train a model in the background (logistic or linear regression, gradient-boosted trees) or search its hyper-parameters (--search), show its progress, print its metrics and gate')
      .requiredOption('--dataset <name>')
      .option('--version <n>', 'dataset version (default: latest)', (v) => Number(v))
      .requiredOption('--target <column>')
      .requiredOption('--features <list>', 'numeric features, comma-separated; suffix ":cat" for categorical (month:cat)')
      .requiredOption('--time-column <column>', 'date or timestamp column that orders rows')
      .requiredOption('--holdout <from..to>', 'time-based holdout, e.g. 2013-10-01..2014-01-01')
      .option('--l2 <lambda>', 'L2 strength', (v) => Number(v))
      .option('--algorithm <name>', 'logistic_regression (default), linear_regression or gbdt')
      .option('--param <name=value>', 'a trainer parameter, repeatable (e.g. --param learning_rate=0.05 --param max_leaf_nodes=63)', collectParam, {})
      .option('--seed <n>', 'seed', (v) => Number(v))
      .option('--search <file>', 'a hyper-parameter search (JSON or YAML: method grid|random, params, metric, n_trials, …): each trial a child run, the best the model')
      .option('--experiment <name>', 'experiment', 'default')
      .option('--register <model>', 'register the model under this name if it passes the gate')
      .option('--alias <alias>', 'and point this alias at it (e.g. champion)')
      .option('--no-wait', 'queue it and return')
      .option('--project <project>'),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const [from, to] = String(o.holdout).split('..');
    if (!from || !to) throw new ValidationError(`--holdout must be FROM..TO, got '${o.holdout}'`, { field: '--holdout' });
    const features = String(o.features)
      .split(',')
      .filter(Boolean)
      .map((f) => (f.endsWith(':cat') ? { name: f.slice(0, -4), kind: 'categorical' as const } : { name: f, kind: 'numeric' as const }));
    const body = {
      experiment: o.experiment,
      dataset: o.dataset,
      version: o.version,
      target: o.target,
      features,
      time_column: o.timeColumn,
      holdout: { from, to },
      algorithm: o.algorithm,
      params: o.l2 || Object.keys(o.param).length > 0 ? { ...o.param, ...(o.l2 ? { l2: o.l2 } : {}) } : undefined,
      seed: o.seed,
      register: o.register ? { model: o.register, alias: o.alias } : undefined,
    };
    if (o.search) {
      const search = readSearchFile(o.search);
      const out = await withClient(io, (c) => runSearch(c, project, { ...body, search }, { wait: o.wait, sink: progressSink(io, o.json) }), { workers: o.wait });
      emit(io, o.json, out, () => searchReport(out.run, out.trials));
      if (out.run.status === 'failed') throw new AppError('search_failed', `search ${out.run.id} failed: ${out.run.error ?? 'no error recorded'}`, { details: { quiet: true } });
      if (out.run.gate && !out.run.gate.passed) throw new AppError('gate_failed', out.run.gate.summary, { details: { quiet: true } });
      return;
    }
    const run = await withClient(io, async (c) => {
      const queued = await c.startRun({ params: { project }, body });
      if (!o.wait) return queued;
      await followJob(c, project, queued.job_id!, 'training', progressSink(io, o.json));
      return c.getRun({ params: { project, run: queued.id } });
    }, { workers: o.wait });
    emit(io, o.json, run, () =>
      run.status === 'queued'
        ? `queued run ${run.id} (job ${run.job_id})`
        : [
            `run ${run.id}: ${run.status}`,
            run.metrics.rmse !== undefined
              ? `holdout rmse ${f4(run.metrics.rmse)}, mae ${f4(run.metrics.mae)}, r2 ${f4(run.metrics.r2)} on ${run.params.holdout_rows} rows (trained on ${run.params.train_rows})`
              : `holdout accuracy ${f4(run.metrics.accuracy)}, macro-F1 ${f4(run.metrics.macro_f1)} on ${run.params.holdout_rows} rows (trained on ${run.params.train_rows})`,
            `gate: ${run.gate?.summary ?? '-'}`,
            run.model_version_id ? `registered as model version ${run.model_version_id}` : 'not registered',
          ].join('\n'),
    );
    // A failed gate fails the command (CI/CD pipelines stop on it); the report is already printed.
    if (run.gate && !run.gate.passed) throw new AppError('gate_failed', run.gate.summary, { details: { quiet: true } });
  });
}

/** What a run ran on, one line per fact ('-' for what was not captured). */
function contextLines(c: RunDetailsView['context']): string[] {
  const commit = c.git_commit ? `${c.git_commit}${c.git_dirty === true ? ' (dirty: uncommitted changes)' : c.git_dirty === false ? ' (clean)' : ''}` : '-';
  return [
    `commit:  ${commit}`,
    `node:    ${c.node_version ?? '-'}`,
    `host:    ${c.host ?? '-'}`,
    `data:    version ${c.data_version_id ?? '-'}, hash ${c.data_version_hash ?? '-'}`,
    `seed:    ${c.seed ?? '-'}`,
  ];
}

export function runsCommand({ io }: CommandEnv): Command {
  const cmd = new Command('runs').description('training runs');
  jsonFlag(cmd.command('list', { isDefault: true }).description("the project's runs, newest first").option('--project <project>')).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listRuns({ params: { project }, query: { limit: 100 } }));
    emit(io, o.json, page, () =>
      table(
        page.items.map((r) => ({ id: r.id, status: r.status, accuracy: f4(r.metrics.accuracy), macro_f1: f4(r.metrics.macro_f1), gate: r.gate ? (r.gate.passed ? 'passed' : 'failed') : '-', created: isoTime(r.created_at) })),
        ['id', 'status', 'accuracy', 'macro_f1', 'gate', 'created'],
      ),
    );
  });
  jsonFlag(cmd.command('show').description('one run').argument('<run>').option('--project <project>')).action(async (id, o) => {
    const project = projectOf(io, o);
    const r = await withClient(io, async (c) => {
      const [run, details] = await Promise.all([c.getRun({ params: { project, run: id } }), c.getRunDetails({ params: { project, run: id } })]);
      return { ...run, context: details.context };
    });
    emit(io, o.json, r, () =>
      [
        `run ${r.id} (${r.status}) — code ${r.code_version}, seed ${r.seed}, dataset version ${r.dataset_version_id}`,
        ...contextLines(r.context),
        'params:  ' + Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' '),
        'metrics: ' + Object.entries(r.metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' '),
        `gate:    ${r.gate?.summary ?? '-'}`,
        r.error ? `error:   ${r.error}` : '',
      ].filter(Boolean).join('\n'),
    );
  });
  addRunsExec(cmd, { io });
  return cmd;
}

/** `accuracy>=0.6` or `log_loss<=1.2` → a threshold. */
function parseThreshold(text: string): [string, { min?: number; max?: number }] {
  const m = /^([\w.]+)\s*(>=|<=)\s*(-?\d+(\.\d+)?)$/.exec(text);
  if (!m) throw new ValidationError(`a threshold looks like accuracy>=0.6 or log_loss<=1.2, got '${text}'`, { field: 'threshold' });
  return [m[1], m[2] === '>=' ? { min: Number(m[3]) } : { max: Number(m[3]) }];
}

/** `accuracy=0.01` → a minimum improvement over the champion. */
function parseImprovement(text: string, acc: Record<string, number> = {}): Record<string, number> {
  const m = /^([\w.]+)\s*=\s*(-?\d+(\.\d+)?)$/.exec(text);
  if (!m) throw new ValidationError(`a minimum improvement looks like accuracy=0.01 or log_loss=0.02, got '${text}'`, { field: '--min-improvement' });
  return { ...acc, [m[1]]: Number(m[2]) };
}

type SliceRule = { metric: string; column: string; max: number; min_rows?: number };

/** `accuracy@station<=0.1` or `accuracy@station<=0.1/30` (slices of fewer than 30 rows left out) → a slice rule. */
function parseSliceGap(text: string, acc: SliceRule[] = []): SliceRule[] {
  const m = /^([\w.]+)@([\w.-]+)\s*<=\s*(\d+(\.\d+)?)(\/(\d+))?$/.exec(text);
  if (!m) throw new ValidationError(`a slice gap looks like accuracy@station<=0.1 (or accuracy@station<=0.1/30 for at least 30 rows a slice), got '${text}'`, { field: '--max-slice-gap' });
  return [...acc, { metric: m[1], column: m[2], max: Number(m[3]), ...(m[6] ? { min_rows: Number(m[6]) } : {}) }];
}

export function policyCommand({ io }: CommandEnv): Command {
  const cmd = new Command('policy').description("the project's KPI gate: thresholds, improvement over the champion, slice gaps");
  jsonFlag(cmd.command('show', { isDefault: true }).option('--project <project>')).action(async (o) => {
    const project = projectOf(io, o);
    const p = await withClient(io, (c) => c.getPolicy({ params: { project } }));
    emit(io, o.json, p, () =>
      [
        ...Object.entries(p.thresholds).map(([m, b]) => [b.min !== undefined ? `${m} >= ${b.min}` : '', b.max !== undefined ? `${m} <= ${b.max}` : ''].filter(Boolean).join(', ')),
        ...Object.entries(p.min_improvement).map(([m, d]) => `${m}: at least ${d} better than the champion`),
        ...p.max_slice_gap.map((r) => `${r.metric} across ${r.column}: gap <= ${r.max}${r.min_rows ? ` (slices of ${r.min_rows}+ rows)` : ''}`),
      ].join('\n') || '(no checks)',
    );
  });
  jsonFlag(
    cmd
      .command('set')
      .description('replace parts of the gate, e.g. accuracy>=0.6 macro_f1>=0.3 --min-improvement accuracy=0.01 --max-slice-gap accuracy@station<=0.1 (parts not given stay)')
      .argument('[thresholds...]')
      .option('--min-improvement <metric=delta>', 'least improvement over the champion (repeatable; higher is better for scores, lower for losses)', parseImprovement)
      .option('--max-slice-gap <metric@column<=max>', 'largest gap of a metric between slices of a column (repeatable; /N: slices of N+ rows)', parseSliceGap)
      .option('--project <project>'),
  ).action(async (list: string[], o) => {
    const project = projectOf(io, o);
    if (list.length === 0 && !o.minImprovement && !o.maxSliceGap) throw new ValidationError('give thresholds (accuracy>=0.6), --min-improvement or --max-slice-gap', { field: 'thresholds' });
    let thresholds: Record<string, { min?: number; max?: number }> | undefined;
    if (list.length) {
      thresholds = {};
      for (const [metric, bound] of list.map(parseThreshold)) thresholds[metric] = { ...thresholds[metric], ...bound };
    }
    const p = await withClient(io, (c) => c.putPolicy({ params: { project }, body: { thresholds, min_improvement: o.minImprovement, max_slice_gap: o.maxSliceGap } }));
    emit(io, o.json, p, () => `gate of ${project}: ${[...list, ...Object.entries(p.min_improvement).map(([m, d]) => `${m} +${d} on the champion`), ...p.max_slice_gap.map((r) => `${r.metric}@${r.column}<=${r.max}`)].join(', ')}`);
  });
  return cmd;
}
