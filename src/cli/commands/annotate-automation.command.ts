// flywheel annotate settings|prelabel|sample|output|add-predictions — a labelling job's queue and
// model settings, pre-labels from a registry model, active learning by uncertainty, the labelled
// output as a dataset version, and tasks from a deployment's logged predictions.
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import { emit, table } from '../io.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';
import { followJob, progressSink } from '../progress.js';

const STRATEGIES = ['least-confidence', 'margin', 'entropy'] as const;

/** A share or threshold option in [0, 1]. */
function unitOption(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new ValidationError(`${name} must be a number from 0 to 1, got '${v}'`, { field: name });
    return n;
  };
}

/** An integer option that may be 0 or negative (a seed, a priority). */
function intAny(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n)) throw new ValidationError(`${name} must be an integer, got '${v}'`, { field: name });
    return n;
  };
}

/** Epoch ms of an ISO date or time option. */
function timeOption(name: string) {
  return (v: string): number => {
    const t = Date.parse(v);
    if (!Number.isFinite(t)) throw new ValidationError(`${name} must be an ISO date or time, e.g. 2014-02-01, got '${v}'`, { field: name });
    return t;
  };
}

/** `--model M [--model-version N | --alias A]` as the API's model reference. */
export function modelRefOf(o: { model?: string; modelVersion?: number; alias?: string }) {
  if (o.model === undefined) {
    if (o.modelVersion !== undefined || o.alias !== undefined) throw new ValidationError('--model-version and --alias need --model', { field: '--model' });
    return undefined;
  }
  if (o.modelVersion !== undefined && o.alias !== undefined) throw new ValidationError('give --model-version or --alias, not both', { field: '--alias' });
  return { model: o.model, ...(o.modelVersion !== undefined ? { version: o.modelVersion } : {}), ...(o.alias !== undefined ? { alias: o.alias } : {}) };
}

const withModel = (c: Command) =>
  c
    .option('--model <model>', 'a registered model')
    .option('--model-version <n>', 'its version (default: follow --alias)', intOption('--model-version'))
    .option('--alias <alias>', "the alias to follow (default 'champion')");

/** The auto-labelling options as the API's settings (undefined when none is given). */
export function autoLabelOf(o: { autoLabel?: number; spotCheck?: number; seed?: number }) {
  if (o.autoLabel === undefined) {
    if (o.spotCheck !== undefined || o.seed !== undefined) throw new ValidationError('--spot-check and --seed need --auto-label THRESHOLD', { field: '--auto-label' });
    return undefined;
  }
  return { threshold: o.autoLabel, ...(o.spotCheck !== undefined ? { spot_check_share: o.spotCheck } : {}), ...(o.seed !== undefined ? { seed: o.seed } : {}) };
}

export const withAutoLabel = (c: Command) =>
  c
    .option('--auto-label <threshold>', 'auto-label tasks whose prediction has at least this confidence (0..1)', unitOption('--auto-label'))
    .option('--spot-check <share>', 'share (0..1) of auto-labelled tasks still sent to people (default 0.1)', unitOption('--spot-check'))
    .option('--seed <n>', 'seed of the spot-check draw (default 42)', intAny('--seed'));

/** Add the automation commands to the `annotate` command. */
export function addAutomationCommands(cmd: Command, { io }: CommandEnv): void {
  const withJob = (c: Command) => c.requiredOption('--job <job>', 'labelling job (name or id)').option('--project <project>');

  jsonFlag(
    withAutoLabel(
      withModel(
        withJob(
          cmd
            .command('settings')
            .description("change a job's lease time, model, suggestions and auto-labelling (options left out stay)")
            .option('--lease-seconds <n>', 'how long a task handed out stays leased to its annotator', intOption('--lease-seconds'))
            .option('--clear-model', 'stop using a model (and auto-labelling)')
            .option('--show-suggestions', "show the model's suggestions to annotators")
            .option('--hide-suggestions', "hide the model's suggestions from annotators (avoids anchoring)")
            .option('--auto-label-off', 'stop auto-labelling'),
        ),
      ),
    ),
  ).action(async (o) => {
    const project = projectOf(io, o);
    if (o.showSuggestions && o.hideSuggestions) throw new ValidationError('give --show-suggestions or --hide-suggestions, not both', { field: '--hide-suggestions' });
    if (o.clearModel && o.model !== undefined) throw new ValidationError('give --model or --clear-model, not both', { field: '--clear-model' });
    const model = o.clearModel ? null : modelRefOf(o);
    const auto = o.autoLabelOff || o.clearModel ? null : autoLabelOf(o);
    const body = {
      ...(o.leaseSeconds !== undefined ? { lease_seconds: o.leaseSeconds } : {}),
      ...(model !== undefined ? { model } : {}),
      ...(o.showSuggestions ? { show_suggestions: true } : o.hideSuggestions ? { show_suggestions: false } : {}),
      ...(auto !== undefined ? { auto_label: auto } : {}),
    };
    const j = await withClient(io, (c) => c.updateLabellingSettings({ params: { project, job: o.job }, body }));
    emit(io, o.json, j, () =>
      [
        `${j.name}: lease ${j.lease_seconds} s; model ${j.model ? `${j.model.model} ${j.model.version !== null ? `v${j.model.version}` : `@${j.model.alias}`}` : 'none'}; suggestions ${j.show_suggestions ? 'shown' : 'hidden'}`,
        `auto-labelling: ${j.auto_label ? `confidence ≥ ${j.auto_label.threshold}, spot checks ${j.auto_label.spot_check_share} (seed ${j.auto_label.seed})` : 'off'}`,
      ].join('\n'),
    );
  });

  jsonFlag(withJob(cmd.command('prelabel').description("compute the job model's suggestions (and auto-labels) for its open tasks").option('--no-wait', 'queue it and return'))).action(
    async (o) => {
      const project = projectOf(io, o);
      const job = await withClient(
        io,
        async (c) => {
          const queued = await c.startLabellingPrelabel({ params: { project, job: o.job } });
          return o.wait === false ? queued : followJob(c, project, queued.id, 'pre-labels', progressSink(io, Boolean(o.json)));
        },
        { workers: true },
      );
      const r = job.result as { tasks?: number; suggested?: number; auto_labelled?: number; spot_checks?: number; skipped?: number } | null;
      emit(io, o.json, job, () =>
        r && job.status === 'succeeded'
          ? `${r.tasks} open tasks: ${r.suggested} suggestions, ${r.auto_labelled} auto-labelled, ${r.spot_checks} spot checks, ${r.skipped} could not be scored`
          : `pre-labels queued as job ${job.id}`,
      );
    },
  );

  jsonFlag(
    withModel(
      withJob(
        cmd
          .command('sample')
          .description("active learning: tasks from a dataset version's most uncertain rows (or --reprioritise the job's open tasks)")
          .requiredOption('--strategy <strategy>', STRATEGIES.join(' | '))
          .requiredOption('--k <n>', 'how many rows or tasks to pick', intOption('--k'))
          .option('--dataset <dataset>', 'the dataset whose rows to score')
          .option('--version <n>', 'its version (default: latest)', intOption('--version'))
          .option('--reprioritise', "move the job's k most uncertain open tasks to the front instead")
          .option('--base-priority <n>', 'priority of the least uncertain pick (default 1000)', intAny('--base-priority'))
          .option('--no-wait', 'queue it and return'),
      ),
    ),
  ).action(async (o) => {
    const project = projectOf(io, o);
    if (!(STRATEGIES as readonly string[]).includes(o.strategy)) throw new ValidationError(`--strategy must be one of ${STRATEGIES.join(', ')}, got '${o.strategy}'`, { field: '--strategy' });
    if (!o.reprioritise && !o.dataset) throw new ValidationError('--dataset is needed (or --reprioritise)', { field: '--dataset' });
    const model = modelRefOf(o);
    const body = {
      strategy: o.strategy as (typeof STRATEGIES)[number],
      k: o.k,
      mode: o.reprioritise ? ('reprioritise' as const) : ('create' as const),
      ...(o.dataset ? { dataset: o.dataset } : {}),
      ...(o.version !== undefined ? { version: o.version } : {}),
      ...(model ? { model } : {}),
      ...(o.basePriority !== undefined ? { base_priority: o.basePriority } : {}),
    };
    const job = await withClient(
      io,
      async (c) => {
        const queued = await c.startLabellingActiveLearning({ params: { project, job: o.job }, body });
        return o.wait === false ? queued : followJob(c, project, queued.id, 'active learning', progressSink(io, Boolean(o.json)));
      },
      { workers: true },
    );
    const r = job.result as { picked?: number; scored?: number; mode?: string; top?: Array<{ task_id: string; score: number; label: string; confidence: number }> } | null;
    emit(io, o.json, job, () =>
      r && job.status === 'succeeded'
        ? [
            `${r.scored} scored by ${o.strategy}; ${r.picked} tasks ${r.mode === 'create' ? 'created' : 'moved to the front'}`,
            table((r.top ?? []).map((t) => ({ ...t, score: t.score.toFixed(4), confidence: t.confidence.toFixed(3) })), ['task_id', 'score', 'label', 'confidence']),
          ].join('\n')
        : `active learning queued as job ${job.id}`,
    );
  });

  jsonFlag(
    withJob(
      cmd
        .command('output')
        .description("write the job's resolved tasks as a new dataset version, each row with its label's method, agreement and annotators")
        .requiredOption('--dataset <dataset>', 'dataset to add a version to (created when new)')
        .option('--target <column>', "the label column (default 'label')"),
    ),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const r = await withClient(io, (c) => c.writeLabelledOutput({ params: { project, job: o.job }, body: { dataset: o.dataset, ...(o.target ? { target: o.target } : {}) } }));
    emit(io, o.json, r, () => `${r.dataset} v${r.version}: ${r.rows} rows (human consensus ${r.by_method['human-consensus']}, review ${r.by_method.review}, model ${r.by_method.model})`);
  });

  jsonFlag(
    withJob(
      cmd
        .command('add-predictions')
        .description("make tasks of a deployment's logged predictions (linked by prediction id; the served prediction is the suggestion)")
        .option('--deployment <deployment>', "the deployment (default: the job's source)")
        .option('--from <time>', 'event time from (ISO, inclusive)', timeOption('--from'))
        .option('--to <time>', 'event time to (ISO, exclusive)', timeOption('--to'))
        .option('--limit <n>', 'at most this many tasks (default 1000)', intOption('--limit'))
        .option('--seed <n>', 'draw the tasks at random with this seed (default: the earliest predictions)', intOption('--seed'))
        .option('--include-labelled', 'also predictions that already have feedback'),
    ),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const body = { deployment: o.deployment, from: o.from, to: o.to, limit: o.limit, seed: o.seed, include_labelled: o.includeLabelled ? true : undefined };
    const r = await withClient(io, (c) => c.addTasksFromPredictions({ params: { project, job: o.job }, body }));
    emit(
      io,
      o.json,
      r,
      () => `${r.created} tasks from ${r.read} logged predictions of ${r.deployment} (${r.already_tasks} already tasks, ${r.already_labelled} already labelled)${r.more ? '; more are left: run it again' : ''}`,
    );
  });
}
