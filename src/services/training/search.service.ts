// Hyper-parameter search: a parent run whose trials are child runs (tag `mlflow.parentRunId`, as
// MLflow nests runs), created together when the search is asked for and run by one background job
// that fits them side by side (trial-pool.ts). Each trial fits on the training rows before a
// validation window (the latest share of them by time) and is measured there; the best by the
// search metric in its direction becomes the parent's output: its params and metrics are logged
// on the parent, its model is the parent's model, judged by the KPI gate and registered when it
// passes (as a single run's model would be).
import { availableParallelism } from 'node:os';
import type { Clock } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { SearchSpec, SearchTrial } from '../../domain/search.js';
import type { Run } from '../../domain/tracking.js';
import type { ProjectAccess } from '../access/authorize.js';
import { jobContext } from '../access/job-context.js';
import type { CallContext } from '../access/principal.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { OperationRunner } from '../operation.js';
import { writeMeasuredModel } from './model-record.js';
import { readRunData, splitValidation } from './run-data.js';
import { bestTrial, planSearch } from './search-space.js';
import type { TrialOutcome } from './search-trial.js';
import { KILLED_MESSAGE, runTrials } from './trial-pool.js';
import type { TrainingService, Progress } from './training.service.js';
import type { TrainingSpec } from './training-spec.js';

export const SEARCH_TASK = 'training.search';
/** The tag MLflow sets on a nested run: the id of its parent. */
export const PARENT_RUN_TAG = 'mlflow.parentRunId';

export type SearchRequest = TrainingSpec & { search: SearchSpec };

export interface SearchDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
  artifacts: ArtifactStore;
  datasets: DatasetsService;
  jobs: JobsService;
  training: TrainingService;
}

/** A search's trials with what chooses between them. */
export interface SearchTrials {
  method: SearchSpec['method'];
  metric: string;
  direction: 'maximize' | 'minimize';
  /** The best measured trial so far (null before any). */
  best_trial: number | null;
  items: SearchTrial[];
}

/** Validation metrics are logged on a trial as `val_<metric>`. */
export const validationKey = (metric: string) => `val_${metric}`;

export class SearchService {
  constructor(private readonly deps: SearchDeps) {}

  /**
   * Check the search (a 4xx naming the field, nothing written), create the parent run and one
   * child run per trial in one operation, and queue the job that runs them. Answers the parent.
   */
  async start(ctx: CallContext, access: ProjectAccess, request: SearchRequest): Promise<Run> {
    const { search, ...spec } = request;
    const version = await this.deps.training.checkSpec(access, spec);
    const plan = planSearch(search, spec as never);
    const now = this.deps.clock.now();
    const parentId = newId();
    const stamp = new Date(now).toISOString().slice(0, 19);
    const parentName = `${spec.experiment}-search-${stamp}`;
    const details = { method: search.method, trials: plan.trials.length, metric: plan.metric, direction: plan.direction };
    const parent = await this.deps.ops.run(ctx, { action: 'search.create', project_id: access.project.id, target_ids: { run: parentId, dataset_version: version.id }, details }, async (tx) => {
      const experiment = await tx.tracking.ensureExperiment(access.project.id, spec.experiment, now);
      const base = { projectId: access.project.id, experimentId: experiment.id, versionId: version.id, userId: ctx.principal.user.id, now };
      await tx.tracking.createRun(this.deps.training.queuedRun({ ...base, id: parentId, spec: request, name: parentName }));
      await tx.tracking.setTags(parentId, { 'mlflow.runName': parentName, 'flywheel.search': search.method });
      const trials: SearchTrial[] = [];
      for (const [i, params] of plan.trials.entries()) {
        const id = newId();
        const name = `${parentName}-trial-${i + 1}`;
        const childSpec = { ...spec, params: { ...(spec.params ?? {}), ...params }, register: undefined, parent_run_id: parentId, trial: i };
        await tx.tracking.createRun(this.deps.training.queuedRun({ ...base, id, spec: childSpec, name }));
        await tx.tracking.setTags(id, { [PARENT_RUN_TAG]: parentId, 'mlflow.runName': name, 'flywheel.trial': String(i) });
        trials.push({ parent_run_id: parentId, trial: i, run_id: id, project_id: access.project.id, params, status: 'queued', value: null, error: null, created_at: now, updated_at: now });
      }
      await tx.searchTrials.createMany(trials);
      return (await tx.tracking.getRun(parentId))!;
    });
    const job = await this.deps.jobs.enqueue({ task: SEARCH_TASK, payload: { run_id: parent.id }, project_id: access.project.id, job_key: `search:${parent.id}`, created_by: ctx.principal.user.id, max_attempts: 2 });
    await this.deps.store.tracking.updateRun(parent.id, { job_id: job.id });
    return { ...parent, job_id: job.id };
  }

  /** The trials of a search's parent run; NotFoundError when the run is not a search of this project. */
  async trials(access: ProjectAccess, runId: string): Promise<SearchTrials> {
    const run = await this.deps.training.getRun(access, runId);
    const search = (run.spec as Partial<SearchRequest>).search;
    if (!search) throw new NotFoundError('search', runId);
    const items = await this.deps.store.searchTrials.list(run.id);
    const { search: _, ...spec } = run.spec as unknown as SearchRequest;
    const { metric, direction } = planSearch(search, spec as never);
    return { method: search.method, metric, direction, best_trial: bestTrial(items, direction)?.trial ?? null, items };
  }

  /** The job body: run the trials not finished yet, then make the best one the parent's output. Safe to retry. */
  async execute(parentId: string, progress: Progress = () => undefined, signal?: AbortSignal): Promise<Run> {
    const { store, clock, training } = this.deps;
    const parent = await store.tracking.getRun(parentId);
    if (!parent) throw new NotFoundError('run', parentId);
    const { ctx, access } = await jobContext(store, parent.created_by, parent.project_id);
    const { search, ...spec } = parent.spec as unknown as SearchRequest;
    const plan = planSearch(search, spec as never);
    await store.tracking.updateRun(parentId, { status: 'running', start_time: clock.now(), error: null });
    const all = await store.searchTrials.list(parentId);
    const pending = all.filter((t) => t.status !== 'finished');
    try {
      progress(0.02, 'reading data');
      const version = await this.deps.datasets.getVersionById(parent.project_id, parent.dataset_version_id!);
      const data = await readRunData(this.deps.datasets, version, spec);
      const { train, validation } = splitValidation(data.fit, plan.validationFraction, 'spec.search.validation_fraction');
      const parallelism = Math.min(search.parallelism ?? availableParallelism(), availableParallelism());
      let done = all.length - pending.length;
      progress(0.05, `${all.length} trials, ${Math.min(parallelism, pending.length)} at a time, on ${train.rows} training and ${validation.rows} validation rows`);
      const childSpecs = new Map<number, Run>();
      for (const t of pending) childSpecs.set(t.trial, (await store.tracking.getRun(t.run_id))!);
      const byIndex = new Map(all.map((t) => [t.trial, t]));

      const onDone = async (o: TrialOutcome) => {
        const trial = byIndex.get(o.index)!;
        const now = clock.now();
        if (o.ok) {
          const value = o.validation[plan.metric] ?? null;
          const recorded = await writeMeasuredModel({ store, artifacts: this.deps.artifacts, now: () => clock.now() }, trial.run_id, o.measured, {
            params: { train_rows: String(train.rows), validation_rows: String(validation.rows), holdout_rows: String(data.holdout.rows) },
            metrics: Object.entries(o.validation).map(([key, v]) => ({ key: validationKey(key), value: v, step: 0 })),
            tags: { 'flywheel.fit_seconds': o.seconds.toFixed(3) },
          });
          await store.tracking.updateRun(trial.run_id, { status: 'finished', end_time: now, model_artifact_sha256: recorded.onnxSha256 });
          await store.searchTrials.update(trial.run_id, { status: 'finished', value, error: null, updated_at: now });
          Object.assign(trial, { status: 'finished', value, error: null });
        } else {
          const status = o.killed ? 'killed' : 'failed';
          await store.tracking.updateRun(trial.run_id, { status, end_time: now, error: o.error });
          await store.searchTrials.update(trial.run_id, { status, value: null, error: o.error, updated_at: now });
          Object.assign(trial, { status, value: null, error: o.error });
        }
        done++;
        const shown = o.ok && trial.value !== null ? `${plan.metric} ${trial.value.toFixed(4)}` : o.ok ? 'failed' : o.killed ? 'stopped' : 'failed';
        progress(0.05 + (0.8 * done) / all.length, `trial ${done}/${all.length} done (trial ${o.index + 1}: ${shown})`);
      };
      const trialSpec = (t: SearchTrial) => {
        const child = childSpecs.get(t.trial)!.spec as unknown as TrainingSpec;
        return { algorithm: child.algorithm, features: child.features, params: child.params as Record<string, unknown>, seed: child.seed };
      };
      await runTrials(
        pending.map((t) => ({ index: t.trial, spec: trialSpec(t) })),
        { train, validation, holdout: data.holdout },
        {
          parallelism,
          signal,
          onStart: async (index) => {
            const t = byIndex.get(index)!;
            await store.tracking.updateRun(t.run_id, { status: 'running', start_time: clock.now(), error: null });
            await store.searchTrials.update(t.run_id, { status: 'running', updated_at: clock.now() });
          },
          onDone,
        },
      );
      if (signal?.aborted) throw new SearchCancelled();

      const best = bestTrial(all, plan.direction);
      if (!best) throw new Error(`no trial could be measured: ${all.find((t) => t.error)?.error ?? 'every trial failed'}`);
      progress(0.88, `best: trial ${best.trial + 1} (${plan.metric} ${best.value!.toFixed(4)})`);
      const bestRun = (await store.tracking.getRun(best.run_id))!;
      const metrics = Object.fromEntries(Object.entries(bestRun.metrics).filter(([k]) => !k.startsWith('val_') && !k.startsWith('train_') && k !== 'validation_loss'));
      const now = clock.now();
      const searched = Object.fromEntries(Object.entries(best.params).map(([k, v]) => [k, String(v)]));
      await store.tracking.logParams(parentId, {
        ...searched,
        search_method: search.method,
        search_metric: plan.metric,
        search_direction: plan.direction,
        trials: String(all.length),
        trials_failed: String(all.filter((t) => t.status === 'failed').length),
      });
      await store.tracking.logMetrics(parentId, [
        ...Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: now })),
        { key: validationKey(plan.metric), value: best.value!, step: 0, timestamp: now },
      ]);
      await store.tracking.setTags(parentId, {
        'flywheel.best_trial': String(best.trial),
        'flywheel.best_trial_run_id': best.run_id,
        'flywheel.model_json_sha256': bestRun.tags['flywheel.model_json_sha256'],
      });
      progress(0.9, 'judging the best trial by the KPI gate');
      const onnxSha256 = bestRun.model_artifact_sha256!;
      const gate = await training.judge(parent.project_id, spec, { onnxSha256, runId: parentId, versionId: version.id, metrics });
      return await training.completeRun(ctx, access, parentId, spec, { onnxSha256, versionId: version.id, metrics }, gate, progress);
    } catch (caught) {
      // A cancellation that interrupted anything before the trials (reading the data) is one too.
      const error = signal?.aborted && !(caught instanceof SearchCancelled) ? new SearchCancelled() : caught;
      if (error instanceof SearchCancelled) {
        await this.recordCancelled(parentId, all);
        throw error;
      }
      const message = error instanceof Error ? error.message : String(error);
      const now = clock.now();
      for (const t of all) {
        if (t.status === 'queued' || t.status === 'running') {
          await store.tracking.updateRun(t.run_id, { status: 'failed', end_time: now, error: `the search stopped: ${message}` });
          await store.searchTrials.update(t.run_id, { status: 'failed', error: `the search stopped: ${message}`, updated_at: now });
        }
      }
      await store.tracking.updateRun(parentId, { status: 'failed', end_time: now, error: message });
      throw error;
    }
  }

  /**
   * Record a cancelled search as MLflow records a stopped run: trials that were running or never
   * started are KILLED (running ones were already stopped by the trial pool), finished ones keep
   * their results, and the parent run is KILLED, saying it was cancelled.
   */
  private async recordCancelled(parentId: string, trials: SearchTrial[]): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    for (const t of trials) {
      if (t.status !== 'queued' && t.status !== 'running') continue;
      const error = t.status === 'running' ? KILLED_MESSAGE : 'the search was cancelled before this trial started';
      await store.tracking.updateRun(t.run_id, { status: 'killed', end_time: now, error });
      await store.searchTrials.update(t.run_id, { status: 'killed', value: null, error, updated_at: now });
      Object.assign(t, { status: 'killed', value: null, error });
    }
    const finished = trials.filter((t) => t.status === 'finished').length;
    await store.tracking.setTags(parentId, { 'flywheel.search.cancelled': 'true' });
    await store.tracking.updateRun(parentId, { status: 'killed', end_time: now, error: `${SEARCH_CANCELLED}: ${finished} of ${trials.length} trials had finished, the others were stopped` });
  }
}

/** Why a cancelled search's parent run ended. */
export const SEARCH_CANCELLED = 'the search was cancelled';

/** Thrown by a search's job when it was cancelled (the job is then recorded as cancelled). */
class SearchCancelled extends Error {
  constructor() {
    super(SEARCH_CANCELLED);
  }
}
