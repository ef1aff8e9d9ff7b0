// Training runs: queued as background jobs, executed in a job's process (fit, holdout metrics,
// ONNX export), judged by the project's KPI gate, and registered only when the gate passes.
import type { Clock } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/pagination.js';
import type { ArtifactStore } from '../../domain/ports/artifact-store.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { MetricPoint, Run, ValidationPolicy } from '../../domain/tracking.js';
import { exportGbdtOnnx, exportOnnx, fitLogisticRegression, GbdtModel, LogisticModel } from '../../ml/index.js';
import type { ProjectAccess } from '../access/authorize.js';
import { jobContext } from '../access/job-context.js';
import type { CallContext } from '../access/principal.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { OperationRunner } from '../operation.js';
import type { RegistryService } from '../serving/registry.service.js';
import { readArtifact } from '../serving/artifact-bytes.js';
import { checkAlgorithmParams, fitGbdtForRun, gbdtRunMetrics, gbdtRunParams, gbdtRunTags } from './gbdt-training.js';
import { holdoutMetrics } from './holdout-metrics.js';
import { sliceByTime } from './training-data.js';
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
    checkAlgorithmParams(spec);
    const dataset = await this.deps.datasets.get(access, spec.dataset);
    const version = await this.deps.datasets.getVersion(access, dataset.name, spec.version ?? 'latest');
    const columns = new Map(version.schema.map((c) => [c.name, c]));
    for (const [i, f] of spec.features.entries()) {
      if (!columns.has(f.name)) throw new ValidationError(`feature '${f.name}' is not a column of ${dataset.name} v${version.version}`, { field: `body.features.${i}.name` });
    }
    if (!columns.has(spec.target)) throw new ValidationError(`target '${spec.target}' is not a column of ${dataset.name} v${version.version}`, { field: 'body.target' });
    const time = columns.get(spec.time_column);
    if (!time || !['date', 'timestamp'].includes(time.type)) {
      throw new ValidationError(`time_column '${spec.time_column}' must be a date or timestamp column`, { field: 'body.time_column' });
    }
    const [hFrom, hTo] = [toEpoch(spec.holdout.from)!, toEpoch(spec.holdout.to)!];
    if (!(hFrom < hTo)) throw new ValidationError('holdout.from must be before holdout.to', { field: 'body.holdout.from' });
    const now = this.deps.clock.now();
    const runId = newId();
    const run = await this.deps.ops.run(ctx, { action: 'run.create', project_id: access.project.id, target_ids: { run: runId, dataset_version: version.id } }, async (tx) => {
      const experiment = await tx.tracking.ensureExperiment(access.project.id, spec.experiment, now);
      await tx.tracking.createRun({
        id: runId,
        project_id: access.project.id,
        experiment_id: experiment.id,
        name: `${spec.experiment}-${new Date(now).toISOString().slice(0, 19)}`,
        status: 'queued',
        spec: spec as unknown as Record<string, unknown>,
        dataset_version_id: version.id,
        seed: spec.seed ?? 0,
        code_version: this.deps.codeVersion,
        job_id: null,
        model_artifact_sha256: null,
        model_version_id: null,
        gate: null,
        error: null,
        created_by: ctx.principal.user.id,
        created_at: now,
        start_time: null,
        end_time: null,
      });
      return (await tx.tracking.getRun(runId))!;
    });
    if (options.enqueue === false) return run;
    const job = await this.deps.jobs.enqueue({ task: TRAINING_TASK, payload: { run_id: run.id }, project_id: access.project.id, job_key: `run:${run.id}`, created_by: ctx.principal.user.id, max_attempts: 2 });
    await this.deps.store.tracking.updateRun(run.id, { job_id: job.id });
    return { ...run, job_id: job.id };
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
      const features = spec.features.map((f) => f.name);
      const batch = await this.deps.datasets.readColumns(version, [spec.time_column, spec.target, ...features]);
      const holdoutFrom = toEpoch(spec.holdout.from)!;
      const fit = sliceByTime(batch, features, spec.target, spec.time_column, toEpoch(spec.train?.from) ?? -Infinity, Math.min(toEpoch(spec.train?.to) ?? Infinity, holdoutFrom));
      const holdout = sliceByTime(batch, features, spec.target, spec.time_column, holdoutFrom, toEpoch(spec.holdout.to)!);
      if (fit.rows === 0) throw new ValidationError('no rows to train on before the holdout', { field: 'spec.train' });
      if (holdout.rows === 0) throw new ValidationError('the holdout has no labelled rows', { field: 'spec.holdout' });

      progress(0.2, `fitting on ${fit.rows} rows`);
      const model =
        spec.algorithm === 'gbdt'
          ? fitGbdtForRun(spec, fit, progress)
          : fitLogisticRegression(
              { features: spec.features, columns: fit.columns, target: fit.target },
              { l2: spec.params?.l2 ?? 1, maxIter: spec.params?.max_iter ?? 1000, tol: spec.params?.tol ?? 1e-6 },
            );
      progress(0.7, `evaluating on ${holdout.rows} holdout rows`);
      const metrics = holdoutMetrics(holdout.target, model.predict(holdout.columns));
      const train = holdoutMetrics(fit.target, model.predict(fit.columns));
      const onnx = model.kind === 'gbdt' ? exportGbdtOnnx(model) : exportOnnx(model);
      const onnxBlob = await this.deps.artifacts.put(onnx);
      const jsonBlob = await this.deps.artifacts.put(new TextEncoder().encode(JSON.stringify(model.toJSON())));
      progress(0.8, 'judging by the KPI gate');
      const gate = await this.deps.validation.evaluateRunModel(project.id, spec.register?.model ?? null, { artifact_sha256: onnxBlob.sha256, run_id: runId, dataset_version_id: version.id, metrics });

      const now = clock.now();
      await store.tracking.logParams(runId, {
        ...(model.kind === 'gbdt'
          ? gbdtRunParams(model)
          : { model: 'logistic_regression', l2: String(spec.params?.l2 ?? 1), max_iter: String(spec.params?.max_iter ?? 1000) }),
        features: features.join(','),
        target: spec.target,
        train_rows: String(fit.rows),
        holdout_rows: String(holdout.rows),
        holdout: `${new Date(holdoutFrom).toISOString().slice(0, 10)}..${new Date(toEpoch(spec.holdout.to)!).toISOString().slice(0, 10)}`,
      });
      const points: MetricPoint[] = [
        ...Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: now })),
        { key: 'train_accuracy', value: train.accuracy, step: 0, timestamp: now },
        ...(model.kind === 'gbdt' ? gbdtRunMetrics(model, now) : [{ key: 'train_loss', value: model.training.meanLoss, step: 0, timestamp: now }]),
      ];
      await store.tracking.logMetrics(runId, points);
      await store.tracking.setTags(runId, {
        'flywheel.model_json_sha256': jsonBlob.sha256,
        ...(model.kind === 'gbdt'
          ? gbdtRunTags(model)
          : { 'flywheel.converged': String(model.training.converged), 'flywheel.iterations': String(model.training.iterations) }),
      });
      let modelVersionId: string | null = null;
      if (gate.passed && spec.register) {
        progress(0.9, 'registering');
        const registered = await this.deps.registry.registerVersion(ctx, access, {
          model: spec.register.model,
          artifact_sha256: onnxBlob.sha256,
          run_id: runId,
          dataset_version_id: version.id,
          metrics,
          gate,
        });
        modelVersionId = registered.id;
        if (spec.register.alias) await this.deps.registry.setAlias(ctx, access, spec.register.model, spec.register.alias, registered.version, `run ${runId} passed the gate`);
      }
      await store.tracking.updateRun(runId, { status: 'finished', end_time: clock.now(), model_artifact_sha256: onnxBlob.sha256, model_version_id: modelVersionId, gate });
      progress(1, gate.passed ? 'done' : `gate failed: ${gate.summary}`);
      return (await store.tracking.getRun(runId))!;
    } catch (error) {
      await store.tracking.updateRun(runId, { status: 'failed', end_time: clock.now(), error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  /** The model a run produced, loaded from its stored JSON. */
  async loadModel(runId: string): Promise<LoadedModel> {
    const run = await this.deps.store.tracking.getRun(runId);
    const sha = run?.tags['flywheel.model_json_sha256'];
    if (!run || !sha) throw new NotFoundError('model of run', runId);
    const bytes = await readArtifact(this.deps.artifacts, sha);
    const json = JSON.parse(new TextDecoder().decode(bytes)) as { format?: string };
    return { run, model: json.format === 'flywheel.gbdt' ? GbdtModel.fromJSON(json) : LogisticModel.fromJSON(json) };
  }
}
