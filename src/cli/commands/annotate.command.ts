// flywheel annotate jobs|create|add-tasks|show|tasks|next|label|undo|consensus — labelling jobs of
// every kind, the queue and consensus (export|import|add-image: annotate-exchange.command.ts;
// disputes|review: annotate-review.command.ts; settings|prelabel|sample|output|add-predictions:
// annotate-automation.command.ts).
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { LABELLING_KINDS } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';
import { emit, isoTime, table } from '../io.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';
import { addExchangeCommands } from './annotate-exchange.command.js';
import { addReviewCommands } from './annotate-review.command.js';
import { addAutomationCommands, autoLabelOf, modelRefOf, withAutoLabel } from './annotate-automation.command.js';

/** Items to label from a file: a JSON array, or JSON Lines (one item per line). */
export function readItems(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ValidationError(`cannot read ${file}: ${(err as Error).message}`, { field: '--items' });
  }
  const trimmed = text.trim();
  if (trimmed === '') throw new ValidationError(`${file} is empty`, { field: '--items' });
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown[];
    } catch (err) {
      throw new ValidationError(`${file} is not valid JSON: ${(err as Error).message}`, { field: '--items' });
    }
  }
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      throw new ValidationError(`${file} line ${i + 1} is not valid JSON`, { field: '--items' });
    }
  });
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
const coef = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(3));

/** A JSON option value (spans, boxes), or a clear error naming the option. */
function jsonOption(name: string) {
  return (v: string): unknown => {
    try {
      return JSON.parse(v);
    } catch {
      throw new ValidationError(`${name} must be JSON, e.g. '[{"start": 0, "end": 4, "text": "Anna", "labels": ["PER"]}]'`, { field: name });
    }
  };
}

function dataLines(data: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(data).map((k) => k.length));
  return Object.entries(data)
    .map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}

export function annotateCommand(env: CommandEnv): Command {
  const { io } = env;
  const cmd = new Command('annotate').description('labelling jobs: create them, pull the next task, label it');
  const withJob = (c: Command) => c.requiredOption('--job <job>', 'labelling job (name or id)').option('--project <project>');

  jsonFlag(cmd.command('jobs').description("the project's labelling jobs and their progress").option('--project <project>')).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listLabellingJobs({ params: { project }, query: { limit: 1000 } }));
    emit(io, o.json, page, () =>
      table(
        page.items.map((j) => ({ ...j, labels: j.labels.join(','), tasks: j.counts.tasks, resolved: j.counts.resolved, given: j.counts.labels, created: isoTime(j.created_at) })),
        ['name', 'labels', 'overlap', 'tasks', 'resolved', 'given', 'created'],
      ),
    );
  });

  jsonFlag(
    withAutoLabel(cmd
      .command('create')
      .description('create a labelling job, with tasks from a JSON or JSONL file of {"data": {...}, "prediction_id"?} items')
      .argument('<name>')
      .requiredOption('--labels <labels>', 'comma-separated labels, e.g. rain,sun,fog')
      .option('--kind <kind>', `task type: ${LABELLING_KINDS.join(', ')}`, 'classification')
      .option('--field <field>', 'text-spans / image-boxes: the data field holding the text or image URL (default: text / image)')
      .option('--overlap <n>', 'people per task', intOption('--overlap'), 3)
      .option('--items <file>', 'items to label (JSON array or JSON Lines)')
      .option('--gold-rate <share>', 'probability (0..1) of serving a gold task (items with a "gold_label")', Number)
      .option('--dispute-below <share>', 'agreement (0..1) below which a resolved task is disputed (default 0.67)', Number)
      .option('--lease-seconds <n>', 'how long a task handed out stays leased to its annotator (default 600)', intOption('--lease-seconds'))
      .option('--model <model>', "a registered model whose predictions are suggestions (pre-labels)")
      .option('--model-version <n>', 'its version (default: follow --alias)', intOption('--model-version'))
      .option('--alias <alias>', "the model's alias to follow (default 'champion')")
      .option('--hide-suggestions', "hide the model's suggestions from annotators (avoids anchoring)")
      .option('--project <project>')),
  ).action(async (name, o) => {
    const project = projectOf(io, o);
    const labels = String(o.labels)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (!(LABELLING_KINDS as readonly string[]).includes(o.kind)) throw new ValidationError(`--kind must be one of ${LABELLING_KINDS.join(', ')}, got '${o.kind}'`, { field: '--kind' });
    const kind = o.kind as (typeof LABELLING_KINDS)[number];
    if (o.field !== undefined && (kind === 'classification' || kind === 'multi-label')) throw new ValidationError('--field is for text-spans and image-boxes jobs', { field: '--field' });
    const config =
      o.field === undefined
        ? labels
        : { type: kind === 'text-spans' ? ('labels' as const) : ('rectanglelabels' as const), labels, to_name: o.field, field: o.field };
    const items = o.items ? readItems(o.items) : undefined;
    const model = modelRefOf(o);
    const autoLabel = autoLabelOf(o);
    const body = {
      name,
      kind,
      labels: config,
      overlap: o.overlap,
      items,
      gold_rate: o.goldRate,
      dispute_below: o.disputeBelow,
      lease_seconds: o.leaseSeconds,
      ...(model ? { model } : {}),
      ...(o.hideSuggestions ? { show_suggestions: false } : {}),
      ...(autoLabel ? { auto_label: autoLabel } : {}),
    };
    const r = await withClient(io, (c) => c.createLabellingJob({ params: { project }, body }));
    emit(io, o.json, r, () => `created labelling job ${r.job.name} (${r.job.kind}, ${r.job.id}): ${r.tasks.accepted} tasks, ${r.tasks.rejected} items rejected`);
  });

  jsonFlag(withJob(cmd.command('add-tasks').description('add tasks to a job from a JSON or JSONL file').requiredOption('--items <file>'))).action(async (o) => {
    const project = projectOf(io, o);
    const r = await withClient(io, (c) => c.addLabellingTasks({ params: { project, job: o.job }, body: { items: readItems(o.items) } }));
    emit(io, o.json, r, () =>
      [
        `${r.accepted} of ${r.received} items added, ${r.rejected} rejected`,
        ...r.items.flatMap((x) => (x.status === 'rejected' ? [`  item ${x.index}: ${x.field}: ${x.reason}`] : [])),
      ].join('\n'),
    );
  });

  jsonFlag(withJob(cmd.command('show').description("a job's progress, agreement and annotators"))).action(async (o) => {
    const project = projectOf(io, o);
    const j = await withClient(io, (c) => c.getLabellingJob({ params: { project, job: o.job } }));
    emit(io, o.json, j, () =>
      [
        `${j.name}: ${j.counts.resolved}/${j.counts.tasks} tasks resolved, ${j.counts.labels} labels, overlap ${j.overlap}`,
        `labels: ${j.labels.join(', ')}`,
        `automation: ${j.model ? `model ${j.model.model} ${j.model.version !== null ? `v${j.model.version}` : `@${j.model.alias}`}, suggestions ${j.show_suggestions ? 'shown' : 'hidden'}; ` : ''}${j.stats.automation.suggested} suggested, ${j.stats.automation.auto_labelled} auto-labelled, spot checks ${j.stats.automation.spot_checks_resolved}/${j.stats.automation.spot_checks} resolved, auto-label accuracy ${pct(j.stats.automation.auto_label_accuracy)}`,
        `agreement: mean ${pct(j.stats.mean_task_agreement)}, pairwise ${pct(j.stats.percent_agreement)}, Fleiss kappa ${coef(j.stats.fleiss_kappa)}, Krippendorff alpha ${coef(j.stats.krippendorff_alpha)}${j.stats.krippendorff_alpha_interval === null ? '' : ` (interval ${coef(j.stats.krippendorff_alpha_interval)})`}${j.stats.mean_pairwise_f1 === null ? '' : `, pairwise F1 ${coef(j.stats.mean_pairwise_f1)}`}, ties ${j.stats.ties}`,
        table(
          j.stats.labels.map((l) => ({ ...l, agreement: pct(l.percent_agreement), alpha: coef(l.krippendorff_alpha), f1: coef(l.f1) })),
          ['label', 'given', 'agreement', 'alpha', 'f1'],
        ),
        table(
          j.stats.annotators.map((a) => ({
            ...a,
            agreement: pct(a.agreement_with_consensus),
            mean_ms: a.mean_duration_ms === null ? '-' : Math.round(a.mean_duration_ms),
            gold: a.gold_answered ? `${pct(a.gold_accuracy)} of ${a.gold_answered}` : '-',
            alpha: coef(a.krippendorff_alpha),
            f1: coef(a.f1_with_consensus),
          })),
          ['annotator', 'labels', 'agreement', 'mean_ms', 'gold', 'alpha', 'f1'],
        ),
      ].join('\n'),
    );
  });

  jsonFlag(
    withJob(
      cmd
        .command('tasks')
        .description("a job's tasks with their labels")
        .option('--status <status>', 'open or resolved')
        .option('--limit <n>', 'how many', intOption('--limit'), 50),
    ),
  ).action(async (o) => {
    if (o.status !== undefined && !['open', 'resolved'].includes(o.status)) {
      throw new ValidationError(`--status must be open or resolved, got '${o.status}'`, { field: '--status' });
    }
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listLabellingTasks({ params: { project, job: o.job }, query: { status: o.status, limit: o.limit } }));
    emit(io, o.json, page, () =>
      table(
        page.items.map((t) => ({ ...t, labels: t.labels.map((l) => `${l.annotator}:${l.label}`).join(' '), agreement: pct(t.agreement), tie: t.tie ? 'tie' : '' })),
        ['id', 'status', 'resolved_label', 'agreement', 'tie', 'labels'],
      ),
    );
  });

  jsonFlag(withJob(cmd.command('next').description('the next task for you to label (its data only)'))).action(async (o) => {
    const project = projectOf(io, o);
    const r = await withClient(io, (c) => c.nextLabellingTask({ params: { project, job: o.job } }));
    emit(io, o.json, r, () =>
      r.task
        ? `task ${r.task.id}${r.task.lease_expires_at ? ` (yours until ${isoTime(r.task.lease_expires_at)})` : ''}\n${dataLines(r.task.data)}${r.task.suggestion ? `\nsuggestion: ${r.task.suggestion.label} (${pct(r.task.suggestion.confidence)})` : ''}`
        : 'nothing left for you to label in this job',
    );
  });

  jsonFlag(
    withJob(
      cmd
        .command('label')
        .description('label a task as yourself: a label (classification), or --choices, --spans or --boxes')
        .argument('<task>', 'task id (from `flywheel annotate next`)')
        .argument('[label]', "one of the job's labels (classification)")
        .option('--choices <labels>', "multi-label: comma-separated labels ('' for none)")
        .option('--spans <json>', 'text spans: [{"start", "end", "text", "labels"}]', jsonOption('--spans'))
        .option('--boxes <json>', 'image boxes in percent: [{"x", "y", "width", "height", "labels"}]', jsonOption('--boxes'))
        .option('--duration-ms <n>', 'time spent on it', intOption('--duration-ms')),
    ),
  ).action(async (task, label, o) => {
    const project = projectOf(io, o);
    const choices = o.choices === undefined ? undefined : String(o.choices).split(',').map((s) => s.trim()).filter((s) => s !== '');
    const body = { label, choices, spans: o.spans as unknown[] | undefined, boxes: o.boxes as unknown[] | undefined, duration_ms: o.durationMs };
    const r = await withClient(io, (c) => c.submitLabel({ params: { project, job: o.job, task }, body }));
    emit(io, o.json, r, () => `labelled task ${r.task.id} as ${r.label.label}${r.task.status === 'resolved' ? ' (task resolved)' : ''}`);
  });

  jsonFlag(withJob(cmd.command('undo').description('withdraw your label from a task that is still open').argument('<task>', 'task id'))).action(async (task, o) => {
    const project = projectOf(io, o);
    const r = await withClient(io, (c) => c.withdrawLabel({ params: { project, job: o.job, task } }));
    emit(io, o.json, r, () => `withdrew your label ${r.withdrawn.label} from task ${r.task_id}: it is back in your queue`);
  });
  jsonFlag(
    withJob(
      cmd
        .command('consensus')
        .description("consensus over a job's labels: each task's label and confidence, and whether its agreement is low (Dawid-Skene: classification and multi-label)")
        .option('--method <method>', 'majority or dawid-skene', 'dawid-skene'),
    ),
  ).action(async (o) => {
    if (!['majority', 'dawid-skene'].includes(o.method)) throw new ValidationError(`--method must be majority or dawid-skene, got '${o.method}'`, { field: '--method' });
    const project = projectOf(io, o);
    const r = await withClient(io, (c) => c.getLabellingConsensus({ params: { project, job: o.job }, query: { method: o.method } }));
    emit(io, o.json, r, () =>
      table(
        r.tasks.map((t) => ({
          ...t,
          confidence: pct(t.confidence),
          resolved: t.resolved_label ?? '-',
          differs: t.resolved_label !== null && t.resolved_label !== t.label ? 'differs' : '',
          agreement: t.low_agreement ? 'low' : '',
        })),
        ['task_id', 'label', 'confidence', 'labels', 'resolved', 'differs', 'agreement'],
      ),
    );
  });
  addExchangeCommands(cmd, env);
  addReviewCommands(cmd, env);
  addAutomationCommands(cmd, env);
  return cmd;
}
