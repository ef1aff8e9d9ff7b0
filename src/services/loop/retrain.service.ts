// Retraining when performance falls: build a new dataset version (history + the newly labelled
// predictions), train a challenger with the most recent labelled month held out, compare it with
// the champion on that same month, and promote it only if it beats the champion and passes the
// KPI gate. The decision and the metrics behind it are recorded either way.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../domain/clock.js';
import type { DatasetVersion } from '../../domain/datasets.js';
import { NotFoundError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { RetrainDecision } from '../../domain/monitoring.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { Run } from '../../domain/tracking.js';
import type { ProjectAccess } from '../access/authorize.js';
import { jobContext } from '../access/job-context.js';
import type { CallContext } from '../access/principal.js';
import type { FeedbackService } from '../annotation/feedback.service.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import type { MonitoringService } from '../monitoring/monitoring.service.js';
import type { TimeWindow } from '../monitoring/windows.js';
import type { OperationRunner } from '../operation.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { PredictionLogService } from '../serving/prediction-log.service.js';
import type { RegistryService } from '../serving/registry.service.js';
import { holdoutMetrics } from '../training/holdout-metrics.js';
import { sliceByTime } from '../training/training-data.js';
import type { TrainingSpec } from '../training/training-spec.js';
import type { TrainingService } from '../training/training.service.js';
import { batchRows, labelledRows, writeJsonl } from './labelled-rows.js';

export interface RetrainDeps {
  store: MetadataStore;
  ops: OperationRunner;
  clock: Clock;
  datasets: DatasetsService;
  predictionLog: PredictionLogService;
  feedback: FeedbackService;
  registry: RegistryService;
  training: TrainingService;
  monitoring: MonitoringService;
  jobs: JobsService;
  tmpDir: string;
}

export interface RetrainRequest {
  model: string;
  deployment: string;
  monitor: string;
  dataset: string;
  /** The version holding the original history (labelled rows are added to it, not to a version that already has them). */
  history_version: number;
  trigger_alert_ids: string[];
  /** The most recent labelled month: held out for the comparison. */
  holdout: TimeWindow;
  /** What to train (features, target, time column, params); dataset, holdout and register are filled in. */
  base_spec: Pick<TrainingSpec, 'experiment' | 'features' | 'target' | 'time_column' | 'params' | 'seed' | 'algorithm'>;
}

/** What KPI a challenger must beat the champion on (strictly), and the tie-breaker. */
export const PRIMARY_METRIC = 'macro_f1';

export const RETRAIN_TASK = 'loop.retrain';

export interface PreparedRetrain {
  version: DatasetVersion;
  run: Run;
  labelled_rows: number;
}

export class RetrainService {
  constructor(private readonly deps: RetrainDeps) {}

  /** The body of the `loop.retrain` job. */
  async runJob(projectId: string, payload: { request: RetrainRequest; user_id: string }, progress: (fraction: number, message?: string) => void): Promise<RetrainDecision> {
    const { ctx, access } = await jobContext(this.deps.store, payload.user_id, projectId);
    return this.run(ctx, access, payload.request, progress);
  }

  /** The whole retraining in the calling process (a background job): prepare, train, decide. */
  async run(ctx: CallContext, access: ProjectAccess, req: RetrainRequest, progress: (fraction: number, message?: string) => void = () => undefined): Promise<RetrainDecision> {
    progress(0.05, 'building the training data');
    const prepared = await this.prepare(ctx, access, req, { enqueue: false });
    progress(0.3, `training the challenger on ${prepared.version.report.accepted} rows`);
    await this.deps.training.executeRun(prepared.run.id).catch(() => undefined); // a failed run is recorded and decided on below
    progress(0.8, 'comparing with the champion');
    return this.decide(ctx, access, req, prepared);
  }

  /** New dataset version (history + labelled predictions up to the holdout's end) and a challenger run. */
  async prepare(ctx: CallContext, access: ProjectAccess, req: RetrainRequest, options: { enqueue?: boolean } = {}): Promise<PreparedRetrain> {
    const { datasets, predictionLog, feedback } = this.deps;
    await predictionLog.flush();
    const history = await datasets.getVersion(access, req.dataset, req.history_version);
    const historyRows = batchRows(await datasets.readColumns(history, history.schema.map((c) => c.name)));
    const predictions = await predictionLog.readPredictions(access.project.id, req.deployment, { to: req.holdout.end });
    const truth = await feedback.feedbackFor(access.project.id, predictions.map((p) => p.id));
    const extra = labelledRows(predictions, truth, req.base_spec.target, req.base_spec.time_column);
    const dir = await mkdtemp(join(this.deps.tmpDir, 'retrain-'));
    let version: DatasetVersion;
    try {
      const file = join(dir, 'rows.jsonl');
      await writeJsonl(file, [...historyRows, ...extra]);
      version = await datasets.ingestFile(ctx, access, req.dataset, file, {
        format: 'jsonl',
        rules: history.rules,
        sourceName: `${req.dataset} v${history.version} + ${extra.length} labelled predictions`,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const run = await this.deps.training.startRun(ctx, access, {
      ...req.base_spec,
      experiment: req.base_spec.experiment,
      dataset: req.dataset,
      version: version.version,
      train: { to: req.holdout.start },
      holdout: { from: req.holdout.start, to: req.holdout.end },
      register: { model: req.model },
    }, options);
    return { version, run, labelled_rows: extra.length };
  }

  /** After the challenger's run ended: compare on the holdout, promote or keep, record why. */
  async decide(ctx: CallContext, access: ProjectAccess, req: RetrainRequest, prepared: PreparedRetrain): Promise<RetrainDecision> {
    const { registry, training, datasets, monitoring, clock } = this.deps;
    const run = await training.getRun(access, prepared.run.id);
    const model = await registry.getModel(access, req.model);
    const championVersion = model.aliases.champion;
    if (championVersion === undefined) throw new NotFoundError('champion of model', req.model);
    const champion = await registry.getVersion(access, req.model, championVersion);
    if (!champion.run_id) throw new NotFoundError('training run of champion', `${req.model} v${championVersion}`);

    const spec = req.base_spec;
    const features = spec.features.map((f) => f.name);
    const batch = await datasets.readColumns(prepared.version, [spec.time_column, spec.target, ...features]);
    const holdout = sliceByTime(batch, features, spec.target, spec.time_column, req.holdout.start, req.holdout.end);
    const championModel = (await training.loadModel(champion.run_id)).model;
    const championMetrics = holdoutMetrics(holdout.target, championModel.predict(holdout.columns));
    const challengerMetrics = run.status === 'finished' ? pickMain(run.metrics) : {};
    const gate = run.gate ?? { passed: false, summary: run.error ? `training failed: ${run.error}` : 'the run did not finish' };
    const challengerVersion = run.model_version_id ? (await registry.getVersionById(access, run.model_version_id)).version : null;

    const beats = (challengerMetrics[PRIMARY_METRIC] ?? -Infinity) > (championMetrics[PRIMARY_METRIC] ?? -Infinity);
    const promote = gate.passed && beats && challengerVersion !== null;
    const fmt = (m: Record<string, number>) => (m[PRIMARY_METRIC] === undefined ? 'n/a' : m[PRIMARY_METRIC].toFixed(4));
    const reason = promote
      ? `challenger ${PRIMARY_METRIC} ${fmt(challengerMetrics)} beats champion ${fmt(championMetrics)} on ${holdout.rows} held-out labelled rows, and it passed the gate`
      : !gate.passed
        ? `challenger did not pass the gate (${gate.summary}); champion kept`
        : `challenger ${PRIMARY_METRIC} ${fmt(challengerMetrics)} does not beat champion ${fmt(championMetrics)} on ${holdout.rows} held-out labelled rows; champion kept`;

    if (promote) {
      await registry.setAlias(ctx, access, req.model, 'champion', challengerVersion!, reason);
      const monitor = await monitoring.get(access, req.monitor);
      await monitoring.rebase(ctx, access, monitor, prepared.version.id, challengerMetrics);
    }
    const decision: RetrainDecision = {
      id: newId(),
      project_id: access.project.id,
      model: req.model,
      trigger_alert_ids: req.trigger_alert_ids,
      champion: { version: championVersion, metrics: championMetrics },
      challenger: { run_id: run.id, version: challengerVersion, metrics: challengerMetrics, gate: { passed: gate.passed, summary: gate.summary } },
      holdout: { from: req.holdout.start, to: req.holdout.end, rows: holdout.rows },
      decision: promote ? 'promoted' : 'kept_champion',
      reason,
      created_at: clock.now(),
    };
    const draft = { action: 'model.retrain-decision', project_id: access.project.id, target_ids: { run: run.id, decision: decision.id }, details: { decision: decision.decision, reason } };
    await this.deps.ops.run(ctx, draft, async (tx) => {
      await tx.monitoring.createDecision(decision);
      for (const id of req.trigger_alert_ids) await tx.monitoring.setAlertStatus(id, 'resolved');
    });
    return decision;
  }

  /** Queue the whole retraining as one background job (task `loop.retrain`). */
  async enqueue(ctx: CallContext, access: ProjectAccess, req: RetrainRequest) {
    await this.deps.registry.getModel(access, req.model);
    await this.deps.monitoring.get(access, req.monitor);
    return this.deps.jobs.enqueue({
      task: RETRAIN_TASK,
      payload: { request: req, user_id: ctx.principal.user.id },
      project_id: access.project.id,
      job_key: `retrain:${req.model}`,
      created_by: ctx.principal.user.id,
      max_attempts: 1,
    });
  }

  list(access: ProjectAccess, page: { limit?: number; cursor?: string | null }) {
    return this.deps.store.monitoring.listDecisions(access.project.id, page);
  }
}

/** The holdout metrics a decision compares (accuracy, macro-F1 and per-class F1). */
function pickMain(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([k]) => k === 'accuracy' || k === 'macro_f1' || k.startsWith('f1.')));
}
