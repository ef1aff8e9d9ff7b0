// flywheel annotate disputes|review — the disputes queue of a labelling job and a reviewer's
// accept / fix / reject of a resolved task.
import type { Command } from 'commander';
import { REVIEW_DECISIONS, type ReviewDecision } from '../../domain/annotation.js';
import { ValidationError } from '../../domain/errors.js';
import { emit, table } from '../io.js';
import { intOption, jsonFlag, projectOf, withClient, type CommandEnv } from '../context.js';

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

/** Add `disputes` and `review` to the `annotate` command. */
export function addReviewCommands(cmd: Command, { io }: CommandEnv): void {
  const withJob = (c: Command) => c.requiredOption('--job <job>', 'labelling job (name or id)').option('--project <project>');

  jsonFlag(
    withJob(
      cmd
        .command('disputes')
        .description('resolved tasks with low agreement or a tie, waiting for review')
        .option('--limit <n>', 'how many', intOption('--limit'), 50),
    ),
  ).action(async (o) => {
    const project = projectOf(io, o);
    const page = await withClient(io, (c) => c.listLabellingDisputes({ params: { project, job: o.job }, query: { limit: o.limit } }));
    emit(io, o.json, page, () =>
      page.items.length === 0
        ? 'no disputed tasks in this job'
        : table(
            page.items.map((t) => ({ ...t, agreement: pct(t.agreement), tie: t.tie ? 'tie' : '', labels: t.labels.map((l) => `${l.annotator}:${l.label}`).join(' ') })),
            ['id', 'resolved_label', 'agreement', 'tie', 'labels'],
          ),
    );
  });

  jsonFlag(
    withJob(
      cmd
        .command('review')
        .description('review a resolved task: accept its label, fix it (--label), or reject its labels back to the queue')
        .argument('<task>', 'task id (from `flywheel annotate disputes`)')
        .argument('<decision>', REVIEW_DECISIONS.join(' | '))
        .option('--label <label>', "the right label (for 'fix')")
        .option('--note <note>', 'why'),
    ),
  ).action(async (task, decision, o) => {
    if (!(REVIEW_DECISIONS as readonly string[]).includes(decision)) {
      throw new ValidationError(`decision must be ${REVIEW_DECISIONS.join(', ')}, got '${decision}'`, { field: 'decision' });
    }
    const project = projectOf(io, o);
    const body = { decision: decision as ReviewDecision, label: o.label, note: o.note };
    const r = await withClient(io, (c) => c.reviewLabellingTask({ params: { project, job: o.job, task }, body }));
    const what =
      r.review.decision === 'reject'
        ? `rejected: ${r.review.discarded_labels.length} labels discarded, task back in the queue`
        : r.review.decision === 'fix'
          ? `fixed: ${r.review.before_label} → ${r.review.after_label}`
          : `accepted: ${r.review.after_label}`;
    emit(io, o.json, r, () => `task ${r.task.id} ${what}`);
  });
}
