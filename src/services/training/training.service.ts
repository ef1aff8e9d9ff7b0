// Training runs: queued as background jobs, executed in a job's process (fit, holdout metrics,
// ONNX export), judged by the project's KPI gate, and registered only when the gate passes.
import type { Clock } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { DatasetVersion } from '../../domain/datasets.js';
import { newId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { GateReport, Run, ValidationPolicy } from '../../domain/tracking.js';
import type { GbdtModel, LogisticModel } from '../../ml/index.js';
import type { ProjectAccess } from '../access/authorize.js';
import { jobContext } from '../access/job-context.js';
import type { CallContext } from '../access/principal.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { OperationRunner } from '../operation.js';
import type { RegistryService } from '../serving/registry.service.js';
import { readArtifact } from '../serving/artifact-bytes.js';
import { recordModel } from './model-record.js';
import { readRunData } from './run-data.js';
import { checkTrainerParams, fitTrainer, modelFromJson, taskOf, type TrainedModel } from './trainers.js';
import { toEpoch, type TrainingSpec } from './training-spec.js';
import type { ModelValidationService } from './model-validation.service.js';
import { checkPolicy, type PolicyInput } from './policy-input.js';

export const TRAINING_TASK = 'training.run';

export interface TrainingDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
  artifacts: ArtifactStore;
  datasets: DatasetsService;
  registry: RegistryService;
  jobs: JobsService;
  codeVersion: string;
  /** The KPI gate (thresholds, improvement over the champion, slice gaps). */
  validation: ModelValidationService;
}

export interface Progress {
  (fraction: number, message?: string): void;
}

/** A model produced by a run, loaded back for evaluation (e.g. the champion on a new holdout). */
export interface LoadedModel {
  run: Run;
  model: LogisticModel | GbdtModel;
}

export class TrainingService {
  constructor(private readonly deps: TrainingDeps) {}

  async getPolicy(access: ProjectAccess): Promise<ValidationPolicy> {
    return this.deps.validation.policy(access.project.id);
  }

  /** Change the policy: each part given (thresholds, min_improvement, max_slice_gap) replaces the current one; parts left out stay. */
  async setPolicy(ctx: CallContext, access: ProjectAccess, input: PolicyInput): Promise<ValidationPolicy> {
    checkPolicy(input);
    const current = await this.getPolicy(access);
    const policy: ValidationPolicy = {
      project_id: access.project.id,
      thresholds: input.thresholds ?? current.thresholds,
      min_improvement: input.min_improvement ?? current.min_improvement,
      max_slice_gap: input.max_slice_gap ?? current.max_slice_gap,
      updated_by: ctx.principal.user.id,
      updated_at: Math.max(this.deps.clock.now(), current.updated_at + 1),
    };
    const details = { thresholds: policy.thresholds, min_improvement: policy.min_improvement, max_slice_gap: policy.max_slice_gap };
    await this.deps.ops.run(ctx, { action: 'policy.update', project_id: access.project.id, details }, (tx) => tx.policies.put(policy));
    return policy;
  }

  /**
   * Validate the spec, record a queued run and enqueue its job. With `enqueue: false` the caller
   * runs it itself (`executeRun`), e.g. a retraining job that trains inline.
   */
  async startRun(ctx: CallContext, access: ProjectAccess, spec: TrainingSpec, options: { enqueue?: boolean } = {}): Promise<Run> {
    const version = await this.checkSpec(access, spec);
    const now = this.deps.clock.now();
    const runId = newId();
    const run = await this.deps.ops.run(ctx, { action: 'run.create', project_id: access.project.id, target_ids: { run: runId, dataset_version: version.id } }, async (tx) => {
      const experiment = await tx.tracking.ensureExperiment(access.project.id, spec.experiment, now);
      await tx.tracking.createRun(this.queuedRun({ id: runId, projectId: access.project.id, experimentId: experiment.id, spec, versionId: version.id, userId: ctx.principal.user.id, now }));
      return (await tx.tracking.getRun(runId))!;
    });
    if (options.enqueue === false) return run;
    const job = await this.deps.jobs.enqueue({ task: TRAINING_TASK, payload: { run_id: run.id }, project_id: access.project.id, job_key: `run:${run.id}`, created_by: ctx.principal.user.id, max_attempts: 2 });
    await this.deps.store.tracking.updateRun(run.id, { job_id: job.id });
    return { ...run, job_id: job.id };
  }

  /**
   * Check a spec against its dataset version before anything is written (a 4xx naming the field):
   * the trainer and its params, the columns, the target's type for a regression, the holdout.
   * Answers the version the run will read.
   */
  async checkSpec(access: ProjectAccess, spec: TrainingSpec): Promise<DatasetVersion> {
    checkTrainerParams(spec as never);
    const dataset = await this.deps.datasets.get(access, spec.dataset);
    const version = await this.deps.datasets.getVersion(access, dataset.name, spec.version ?? 'latest');
    const columns = new Map(version.schema.map((c) => [c.name, c]));
    for (const [i, f] of spec.features.entries()) {
      if (!columns.has(f.name)) throw new ValidationError(`feature '${f.name}' is not a column of ${dataset.name} v${version.version}`, { field: `body.features.${i}.name` });
    }
    const target = columns.get(spec.target);
    if (!target) throw new ValidationError(`target '${spec.target}' is not a column of ${dataset.name} v${version.version}`, { field: 'body.target' });
    if (taskOf(spec as never) === 'regression') {
      const field = spec.algorithm === 'gbdt' ? 'body.params.objective' : 'body.target';
      if (target.type !== 'integer' && target.type !== 'double') {
        throw new ValidationError(`a regression needs a numeric target, but '${spec.target}' is ${target.type}`, { field });
      }
    }
    const time = columns.get(spec.time_column);
    if (!time || !['date', 'timestamp'].includes(time.type)) {
      throw new ValidationError(`time_column '${spec.time_column}' must be a date or timestamp column`, { field: 'body.time_column' });
    }
    const [hFrom, hTo] = [toEpoch(spec.holdout.from)!, toEpoch(spec.holdout.to)!];
    if (!(hFrom < hTo)) throw new ValidationError('holdout.from must be before holdout.to', { field: 'body.holdout.from' });
    return version;
  }

  /** A queued run of a spec, as the tracking store creates it. */
  queuedRun(r: { id: string; projectId: string; experimentId: string; spec: unknown; versionId: string | null; userId: string; now: number; name?: string; seed?: number | null }): Omit<Run, 'params' | 'metrics' | 'tags'> {
    const spec = r.spec as { experiment?: string; seed?: number };
    return {
      id: r.id,
      project_id: r.projectId,
      experiment_id: r.experimentId,
      name: r.name ?? `${spec.experiment ?? 'run'}-${new Date(r.now).toISOString().slice(0, 19)}`,
      status: 'queued',
      spec: r.spec as Record<string, unknown>,
      dataset_version_id: r.versionId,
      seed: r.seed !== undefined ? r.seed : (spec.seed ?? 0),
      code_version: this.deps.codeVersion,
      job_id: null,
      model_artifact_sha256: null,
      model_version_id: null,
      gate: null,
      error: null,
      created_by: r.userId,
      created_at: r.now,
      start_time: null,
      end_time: null,
    };
  }

  async getRun(access: ProjectAccess, id: string): Promise<Run> {
    const run = await this.deps.store.tracking.getRun(id);
    if (!run || run.project_id !== access.project.id) throw new NotFoundError('run', id);
    return run;
  }

  listRuns(access: ProjectAccess, page: PageRequest): Promise<Page<Run>> {
    return this.deps.store.tracking.listRuns(access.project.id, page);
  }

  /** The job body: fit, measure, export, gate, register. Safe to retry (a rerun starts over). */
  async executeRun(runId: string, progress: Progress = () => undefined): Promise<Run> {
    const { store, clock } = this.deps;
    const run = await store.tracking.getRun(runId);
    if (!run) throw new NotFoundError('run', runId);
    const { ctx, access } = await jobContext(store, run.created_by, run.project_id);
    const project = access.project;
    const spec = run.spec as unknown as TrainingSpec;
    await store.tracking.updateRun(runId, { status: 'running', start_time: clock.now(), error: null });
    try {
      progress(0.05, 'reading data');
      const version = await this.deps.datasets.getVersionById(project.id, run.dataset_version_id!);
      const data = await readRunData(this.deps.datasets, version, spec);
      progress(0.2, `fitting on ${data.fit.rows} rows`);
      const model = fitTrainer(spec as never, data.fit, progress);
      progress(0.7, `evaluating on ${data.holdout.rows} holdout rows`);
      const holdoutText = `${new Date(data.holdoutFrom).toISOString().slice(0, 10)}..${new Date(data.holdoutTo).toISOString().slice(0, 10)}`;
      const recorded = await recordModel({ store, artifacts: this.deps.artifacts, now: () => clock.now() }, runId, spec as never, model, data, {
        params: { features: spec.features.map((f) => f.name).join(','), target: spec.target, train_rows: String(data.fit.rows), holdout_rows: String(data.holdout.rows), holdout: holdoutText },
      });
      progress(0.8, 'judging by the KPI gate');
      const gate = await this.judge(project.id, spec, { onnxSha256: recorded.onnxSha256, runId, versionId: version.id, metrics: recorded.metrics });
      return await this.completeRun(ctx, access, runId, spec, { onnxSha256: recorded.onnxSha256, versionId: version.id, metrics: recorded.metrics }, gate, progress);
    } catch (error) {
      await store.tracking.updateRun(runId, { status: 'failed', end_time: clock.now(), error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  /** Register the model when the gate passed and the spec asks for it, then close the run as finished with its model. */
  async completeRun(
    ctx: CallContext,
    access: ProjectAccess,
    runId: string,
    spec: Pick<TrainingSpec, 'register'>,
    m: { onnxSha256: string; versionId: string | null; metrics: Record<string, number> },
    gate: GateReport,
    progress: Progress,
  ): Promise<Run> {
    let modelVersionId: string | null = null;
    if (gate.passed && spec.register) {
      progress(0.9, 'registering');
      const registered = await this.deps.registry.registerVersion(ctx, access, {
        model: spec.register.model,
        artifact_sha256: m.onnxSha256,
        run_id: runId,
        dataset_version_id: m.versionId,
        metrics: m.metrics,
        gate,
      });
      modelVersionId = registered.id;
      if (spec.register.alias) await this.deps.registry.setAlias(ctx, access, spec.register.model, spec.register.alias, registered.version, `run ${runId} passed the gate`);
    }
    await this.deps.store.tracking.updateRun(runId, { status: 'finished', end_time: this.deps.clock.now(), model_artifact_sha256: m.onnxSha256, model_version_id: modelVersionId, gate });
    progress(1, gate.passed ? 'done' : `gate failed: ${gate.summary}`);
    return (await this.deps.store.tracking.getRun(runId))!;
  }

  /**
   * The KPI gate's report on a run's model, on its holdout through the model runtime (as it will
   * be served): a classifier by its labels and probabilities, a regression model by its values.
   */
  async judge(projectId: string, spec: Pick<TrainingSpec, 'register'>, m: { onnxSha256: string; runId: string; versionId: string; metrics: Record<string, number> }) {
    return this.deps.validation.evaluateRunModel(projectId, spec.register?.model ?? null, { artifact_sha256: m.onnxSha256, run_id: m.runId, dataset_version_id: m.versionId, metrics: m.metrics });
  }

  /** The model a run produced (any built-in trainer), loaded from its stored JSON. */
  async loadTrainedModel(runId: string): Promise<{ run: Run; model: TrainedModel }> {
    const run = await this.deps.store.tracking.getRun(runId);
    const sha = run?.tags['flywheel.model_json_sha256'];
    if (!run || !sha) throw new NotFoundError('model of run', runId);
    const bytes = await readArtifact(this.deps.artifacts, sha);
    return { run, model: modelFromJson(JSON.parse(new TextDecoder().decode(bytes))) };
  }

  /** The classifier a run produced, loaded from its stored JSON (a regression model is a ValidationError). */
  async loadModel(runId: string): Promise<LoadedModel> {
    const { run, model } = await this.loadTrainedModel(runId);
    if (model.kind === 'linear_regression' || model.classes === null) throw new ValidationError(`run ${runId} produced a regression model, not a classifier`, { field: 'run' });
    return { run, model: model as LogisticModel | GbdtModel };
  }
}
