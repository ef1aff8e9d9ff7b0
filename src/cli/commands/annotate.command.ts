// flywheel annotate jobs|create|add-tasks|show|tasks|next|label|export|import|consensus — labelling
// jobs, the queue, Label Studio JSON exchange and consensus (disputes|review: annotate-review.command.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import { emit, isoTime, table } from '../io.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';
import { addReviewCommands } from './annotate-review.command.js';

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
    cmd
      .command('create')
      .description('create a labelling job, with tasks from a JSON or JSONL file of {"data": {...}, "prediction_id"?} items')
      .argument('<name>')
      .requiredOption('--labels <labels>', 'comma-separated labels, e.g. rain,sun,fog')
      .option('--overlap <n>', 'people per task', intOption('--overlap'), 3)
      .option('--items <file>', 'items to label (JSON array or JSON Lines)')
      .option('--gold-rate <share>', 'probability (0..1) of serving a gold task (items with a "gold_label")', Number)
      .option('--dispute-below <share>', 'agreement (0..1) below which a resolved task is disputed (default 0.67)', Number)
      .option('--project <project>'),
  ).action(async (name, o) => {
    const project = projectOf(io, o);
    const labels = String(o.labels)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const items = o.items ? readItems(o.items) : undefined;
    const r = await withClient(io, (c) => c.createLabellingJob({ params: { project }, body: { name, labels, overlap: o.overlap, items, gold_rate: o.goldRate, dispute_below: o.disputeBelow } }));
    emit(io, o.json, r, () => `created labelling job ${r.job.name} (${r.job.id}): ${r.tasks.accepted} tasks, ${r.tasks.rejected} items rejected`);
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
        `agreement: mean ${pct(j.stats.mean_task_agreement)}, pairwise ${pct(j.stats.percent_agreement)}, Fleiss kappa ${j.stats.fleiss_kappa === null ? '-' : j.stats.fleiss_kappa.toFixed(3)}, ties ${j.stats.ties}`,
        table(
          j.stats.annotators.map((a) => ({
            ...a,
            agreement: pct(a.agreement_with_consensus),
            mean_ms: a.mean_duration_ms === null ? '-' : Math.round(a.mean_duration_ms),
            gold: a.gold_answered ? `${pct(a.gold_accuracy)} of ${a.gold_answered}` : '-',
          })),
          ['annotator', 'labels', 'agreement', 'mean_ms', 'gold'],
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
    emit(io, o.json, r, () => (r.task ? `task ${r.task.id}\n${dataLines(r.task.data)}` : 'nothing left for you to label in this job'));
  });

  jsonFlag(
    withJob(
      cmd
        .command('label')
        .description('label a task as yourself')
        .argument('<task>', 'task id (from `flywheel annotate next`)')
        .argument('<label>', "one of the job's labels")
        .option('--duration-ms <n>', 'time spent on it', intOption('--duration-ms')),
    ),
  ).action(async (task, label, o) => {
    const project = projectOf(io, o);
    const r = await withClient(io, (c) => c.submitLabel({ params: { project, job: o.job, task }, body: { label, duration_ms: o.durationMs } }));
    emit(io, o.json, r, () => `labelled task ${r.task.id} as ${r.label.label}${r.task.status === 'resolved' ? ' (task resolved)' : ''}`);
  });
  jsonFlag(
    withJob(
      cmd
        .command('export')
        .description("a job's tasks and labels as Label Studio JSON (to stdout, or --out FILE)")
        .option('--out <file>', 'write the JSON here')
        .option('--status <status>', 'only open or resolved tasks'),
    ),
  ).action(async (o) => {
    if (o.status !== undefined && !['open', 'resolved'].includes(o.status)) {
      throw new ValidationError(`--status must be open or resolved, got '${o.status}'`, { field: '--status' });
    }
    const project = projectOf(io, o);
    const tasks = await withClient(io, (c) => c.exportLabellingJob({ params: { project, job: o.job }, query: { format: 'label-studio', status: o.status } }));
    const text = `${JSON.stringify(tasks, null, 2)}\n`;
    if (o.out) {
      writeFileSync(o.out, text);
      emit(io, o.json, { tasks: tasks.length, out: o.out }, () => `wrote ${tasks.length} tasks to ${o.out}`);
    } else {
      io.out(text.trimEnd());
    }
  });

  jsonFlag(
    withJob(
      cmd
        .command('import')
        .description('import a Label Studio JSON file: tasks matched by id, new annotations recorded as labels')
        .argument('<file>', 'Label Studio JSON (a list of tasks)')
        .option('--provider <name>', 'who made the annotations (recorded as provenance)', 'label-studio'),
    ),
  ).action(async (file, o) => {
    const tasks = readItems(file);
    if (!Array.isArray(tasks)) throw new ValidationError(`${file} must hold a JSON list of Label Studio tasks`, { field: 'file' });
    const project = projectOf(io, o);
    const r = await withClient(io, (c) => c.importLabellingJob({ params: { project, job: o.job }, query: { format: 'label-studio', provider: o.provider }, body: { tasks } }));
    emit(io, o.json, r, () =>
      [
        `${r.accepted} of ${r.received} tasks imported (${r.tasks_created} new), ${r.rejected} rejected; annotations: ${r.annotations.accepted} recorded, ${r.annotations.skipped} already there, ${r.annotations.rejected} rejected`,
        ...r.items.flatMap((x) =>
          x.status === 'rejected'
            ? [`  task ${x.index}: ${x.field}: ${x.reason}`]
            : x.annotations.flatMap((a) => (a.status === 'rejected' ? [`  task ${x.index} annotation ${a.index}: ${a.field}: ${a.reason}`] : [])),
        ),
      ].join('\n'),
    );
  });

  jsonFlag(
    withJob(
      cmd
        .command('consensus')
        .description("consensus over a job's labels: each task's label and confidence")
        .option('--method <method>', 'majority or dawid-skene', 'dawid-skene'),
    ),
  ).action(async (o) => {
    if (!['majority', 'dawid-skene'].includes(o.method)) throw new ValidationError(`--method must be majority or dawid-skene, got '${o.method}'`, { field: '--method' });
    const project = projectOf(io, o);
    const r = await withClient(io, (c) => c.getLabellingConsensus({ params: { project, job: o.job }, query: { method: o.method } }));
    emit(io, o.json, r, () =>
      table(
        r.tasks.map((t) => ({ ...t, confidence: pct(t.confidence), resolved: t.resolved_label ?? '-', differs: t.resolved_label !== null && t.resolved_label !== t.label ? 'differs' : '' })),
        ['task_id', 'label', 'confidence', 'labels', 'resolved', 'differs'],
      ),
    );
  });
  addReviewCommands(cmd, env);
  return cmd;
}
