// Pre-labels: a job's registry model predicts a label for each open task, in a background job
// batched through the model runtime, with progress. The predictions become suggestions that the
// workbench shows (unless the job hides them); with auto-labelling on, confident predictions
// label their task (`resolved_by` 'model'), except a seeded share sent to people as spot checks.
// Also the job's settings (lease time, model, whether suggestions show, auto-labelling).
import type { Clock } from '../../domain/clock.js';
import type { Job } from '../../domain/entities.js';
import type { LabellingJob, TaskSuggestion } from '../../domain/annotation.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { JobSettingsPatch } from '../../domain/ports/annotation-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import { jobContext } from '../access/job-context.js';
import type { CallContext } from '../access/principal.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { OperationRunner } from '../operation.js';
import { autoDecision } from './auto-labelling.js';
import { checkLeaseSeconds, checkShowSuggestions } from './job-settings.js';
import type { LabellingModels, ResolvedModel, RowProblem, RowScore } from './labelling-models.js';
import type { LabellingService } from './labelling.service.js';
import { jobInfo, type LabellingJobInfo } from './labelling-views.js';

export const PRELABEL_TASK = 'labelling.prelabel';
/** Open tasks read and scored per step (one transaction writes each step's suggestions). */
export const PRELABEL_PAGE = 1024;

export interface PrelabelDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
  jobs: JobsService;
  labelling: LabellingService;
  models: LabellingModels;
}

export interface SettingsInput {
  lease_seconds?: number;
  model?: unknown;
  show_suggestions?: boolean;
  auto_label?: unknown;
}

export interface PrelabelReport {
  model: string;
  version: number;
  model_version_id: string;
  /** Open tasks read. */
  tasks: number;
  suggested: number;
  auto_labelled: number;
  spot_checks: number;
  /** Tasks the model could not score (a missing or ill-typed feature), by reason. */
  skipped: number;
  problems: Array<{ reason: string; tasks: number; example_task: string }>;
}

/** The suggestion of a scored row. */
export function suggestionOf(score: RowScore, m: Pick<ResolvedModel, 'classes' | 'id'>): TaskSuggestion {
  const scores: Record<string, number> = {};
  m.classes.forEach((c, k) => (scores[c] = score.probabilities[k]));
  return { label: score.label, confidence: score.confidence, scores, model_version_id: m.id, source: 'model' };
}

export class PrelabelService {
  constructor(private readonly deps: PrelabelDeps) {}

  /**
   * Change a job's settings: fields left out stay; a model is checked against the registry and
   * the job's labels (400 naming the field); auto-labelling needs a model. Example:
   *   await prelabel.updateSettings(ctx, access, 'jan-2014', { model: { model: 'weather', alias: 'champion' }, show_suggestions: false })
   */
  async updateSettings(ctx: CallContext, access: ProjectAccess, jobRef: string, input: SettingsInput): Promise<LabellingJobInfo> {
    const job = await this.deps.labelling.job(access, jobRef);
    const patch: JobSettingsPatch = {};
    if (input.lease_seconds !== undefined) patch.lease_seconds = checkLeaseSeconds(input.lease_seconds, 'body.lease_seconds');
    if (input.show_suggestions !== undefined) patch.show_suggestions = checkShowSuggestions(input.show_suggestions, 'body.show_suggestions');
    Object.assign(patch, await this.deps.labelling.modelSettings(access, job, input));
    const draft = { action: 'labelling.settings', project_id: job.project_id, target_ids: { project: job.project_id, labelling_job: job.id }, details: { ...patch } as Record<string, unknown> };
    await this.deps.ops.run(ctx, draft, async (tx) => {
      if (!(await tx.labellingJobs.updateSettings(job.project_id, job.id, patch))) throw new NotFoundError('labelling job', jobRef);
    });
    const updated = (await this.deps.store.labellingJobs.get(job.project_id, job.id))!;
    return jobInfo(updated, (await this.deps.store.labellingJobs.counts([job.id])).get(job.id));
  }

  /**
   * Start computing the job's pre-labels in the background (one run per job at a time: asking
   * again while one is queued or running answers that one). ValidationError when the job names
   * no model, or its model no longer fits the job.
   */
  async start(ctx: CallContext, access: ProjectAccess, jobRef: string): Promise<Job> {
    const job = await this.deps.labelling.job(access, jobRef);
    if (!job.model) throw new ValidationError('model: this job names no model; set one first (PATCH …/settings with body.model)', { field: 'model' });
    await this.deps.models.resolve(access, job.model, job, 'model');
    return this.deps.jobs.enqueue({
      task: PRELABEL_TASK,
      payload: { job_id: job.id, user_id: ctx.principal.user.id },
      project_id: job.project_id,
      job_key: `${PRELABEL_TASK}:${job.id}`,
      created_by: ctx.principal.user.id,
      max_attempts: 2,
    });
  }

  /** The body of the background job: score every open task, page by page, reporting progress. */
  async run(projectId: string, payload: { job_id: string; user_id: string }, progress: (fraction: number, message?: string) => void = () => undefined): Promise<PrelabelReport> {
    const { ctx, access } = await jobContext(this.deps.store, payload.user_id, projectId);
    const job = await this.deps.labelling.job(access, payload.job_id);
    if (!job.model) throw new ValidationError('model: this job names no model', { field: 'model' });
    const model = await this.deps.models.resolve(access, job.model, job, 'model');
    const score = await this.deps.models.scorer(access, model);
    const total = Math.max(1, (await this.deps.store.labellingJobs.counts([job.id])).get(job.id)?.open ?? 1);
    const report: PrelabelReport = { model: model.model, version: model.version, model_version_id: model.id, tasks: 0, suggested: 0, auto_labelled: 0, spot_checks: 0, skipped: 0, problems: [] };
    const problems = new Map<string, { tasks: number; example_task: string }>();
    progress(0, `scoring open tasks with ${model.model} v${model.version}`);
    for (let after: string | null = null; ; ) {
      const tasks = await this.deps.store.labellingTasks.listOpenAfter(job.id, after, PRELABEL_PAGE);
      if (tasks.length === 0) break;
      after = tasks[tasks.length - 1].id;
      const scores = await score(tasks.map((t) => t.data));
      await this.write(job, model, tasks, scores, report, problems);
      report.tasks += tasks.length;
      progress(Math.min(0.99, report.tasks / total), `${report.tasks} tasks scored`);
    }
    report.problems = [...problems.entries()].map(([reason, p]) => ({ reason, ...p })).sort((a, b) => b.tasks - a.tasks).slice(0, 20);
    const draft = { action: 'labelling.prelabel', project_id: job.project_id, target_ids: { project: job.project_id, labelling_job: job.id }, details: { ...report, problems: report.problems.length } };
    await this.deps.ops.run(ctx, draft, async () => undefined);
    progress(1, `${report.suggested} suggestions, ${report.auto_labelled} auto-labelled, ${report.spot_checks} spot checks`);
    return report;
  }

  /** Store one page's suggestions and auto-labels in one transaction. */
  private async write(
    job: LabellingJob,
    model: ResolvedModel,
    tasks: Awaited<ReturnType<MetadataStore['labellingTasks']['listOpenAfter']>>,
    scores: Array<RowScore | RowProblem>,
    report: PrelabelReport,
    problems: Map<string, { tasks: number; example_task: string }>,
  ): Promise<void> {
    const suggestions: Array<{ task_id: string; suggestion: TaskSuggestion; spot_check: boolean }> = [];
    const labelled: Array<{ task_id: string; label: string }> = [];
    tasks.forEach((t, i) => {
      const s = scores[i];
      if ('problem' in s) {
        report.skipped++;
        const p = problems.get(s.problem) ?? { tasks: 0, example_task: t.id };
        p.tasks++;
        problems.set(s.problem, p);
        return;
      }
      const decision = autoDecision(job.auto_label, t, s.confidence);
      suggestions.push({ task_id: t.id, suggestion: suggestionOf(s, model), spot_check: decision === 'spot-check' });
      if (decision === 'auto-label') labelled.push({ task_id: t.id, label: s.label });
    });
    await this.deps.store.transaction(async (tx) => {
      await tx.labellingTasks.setSuggestions(job.id, suggestions);
      const done = await tx.labellingTasks.resolveByModel(job.id, labelled, this.deps.clock.now());
      report.auto_labelled += done.length;
    });
    report.suggested += suggestions.length;
    report.spot_checks += suggestions.filter((s) => s.spot_check).length;
  }
}
