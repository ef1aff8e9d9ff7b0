// Build every service from the ports: the one place services are wired together.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../domain/clock.js';
import type { ArtifactStore } from '../domain/ports/artifact-store.js';
import type { JobQueue } from '../domain/ports/job-queue.js';
import type { MetadataStore } from '../domain/ports/metadata-store.js';
import type { ModelRuntime } from '../domain/ports/model-runtime.js';
import type { PredictionLogReader, PredictionLogWriter } from '../domain/ports/prediction-log.js';
import type { DataEngine } from '../domain/ports/data-engine.js';
import { DatasetsService } from './datasets/datasets.service.js';
import { DatasetStagingService } from './datasets/staging.service.js';
import { DatasetDiffService } from './datasets/diff.service.js';
import { createDatasetSourceServices } from './dataset-sources/dataset-source-services.js';
import type { PullLimits } from './dataset-sources/source-pull.service.js';
import type { SourceReader } from '../domain/ports/source-reader.js';
import { DatasetSchemaService } from './datasets/dataset-schema.service.js';
import { DatasetQuarantineService } from './datasets/quarantine.service.js';
import { DatasetReadmitService } from './datasets/readmit.service.js';
import { DatasetLineageService } from './datasets/lineage.service.js';
import { AuthService } from './access/auth.service.js';
import { TokensService } from './access/tokens.service.js';
import { UsersService } from './access/users.service.js';
import { FeedbackService } from './annotation/feedback.service.js';
import { LabellingService } from './annotation/labelling.service.js';
import { AnnotationExchangeService } from './annotation/annotation-exchange.service.js';
import { ConsensusService } from './annotation/consensus.service.js';
import { ReviewService } from './annotation/review.service.js';
import { ResultsExchangeService } from './annotation/results-exchange.service.js';
import { LabellingImagesService } from './annotation/labelling-images.service.js';
import { LabellingModels } from './annotation/labelling-models.js';
import { PrelabelService } from './annotation/prelabel.service.js';
import { ActiveLearningService } from './annotation/active-learning.service.js';
import { LabelledOutputService } from './annotation/labelled-output.service.js';
import { PredictionTasksService } from './annotation/prediction-tasks.service.js';
import { AuditService } from './audit/audit.service.js';
import { HealthService } from './health.service.js';
import { JobsService } from './jobs/jobs.service.js';
import { OperationRunner } from './operation.js';
import { ProjectsService } from './projects/projects.service.js';
import type { SecretCipher } from './secrets/secret-cipher.js';
import { SecretsService } from './secrets/secrets.service.js';
import { DeploymentsService } from './serving/deployments.service.js';
import { PredictService } from './serving/predict.service.js';
import { PredictionLogService } from './serving/prediction-log.service.js';
import { RegistryService } from './serving/registry.service.js';
import { ModelCardService } from './serving/model-card.service.js';
import { ServingTable } from './serving/serving-table.js';
import { ServingAlerts } from './serving/serving-alerts.js';
import { ServingStats } from './serving/serving-stats.js';
import { AccessCache } from './access/access-cache.js';
import { ModelValidationService } from './training/model-validation.service.js';
import { MonitoringService } from './monitoring/monitoring.service.js';
import { RetrainService } from './loop/retrain.service.js';
import { LoopOverviewService } from './loop/loop-overview.service.js';
import { TrainingService } from './training/training.service.js';
import { SearchService } from './training/search.service.js';
import { CommandRunService, type CommandSettings } from './training/command-run.service.js';
import { TrackingService } from './tracking/tracking.service.js';
import { RunArtifactsService } from './tracking/run-artifacts.service.js';

export interface ServiceDeps {
  store: MetadataStore;
  artifacts: ArtifactStore;
  jobs: JobQueue;
  cipher: SecretCipher;
  clock?: Clock;
  version: string;
  sessionIdleMs?: number;
  /** Serving: the model runtime, the prediction log, and how often a served deployment is re-read (ms). */
  runtime: ModelRuntime;
  predictionLog: PredictionLogWriter;
  predictionReader: PredictionLogReader;
  servingRefreshMs?: number;
  /** Datasets: the data engine and the scratch folder for uploads and ingests (FLYWHEEL_HOME/tmp). */
  dataEngine?: DataEngine;
  tmpDir?: string;
  /** Scheduled sources: the reader of URLs and PostgreSQL queries, the drop folder (FLYWHEEL_HOME/drop), pull limits. */
  sourceReader?: SourceReader;
  dropDir?: string;
  pullLimits?: Partial<PullLimits>;
  /** Recorded with every training run (package version and git commit when known). */
  codeVersion?: string;
  /** Trainer commands: allowed or not (FLYWHEEL_ALLOW_COMMANDS), the API URL they use, their scratch folders. */
  commands?: CommandSettings;
}

export function createServices(deps: ServiceDeps) {
  const clock = deps.clock ?? systemClock;
  const base = createBaseServices(deps, clock);
  return { ...base, ...loopServices(base, deps, clock), ...datasetExtraServices(base, deps, clock), ...datasetCurationServices(base, deps, clock), ...datasetSourceServices(base, deps, clock), ...labellingAutomationServices(base, deps, clock) };
}

/** Access, audit, jobs, secrets, data, annotation and serving. */
function createBaseServices(deps: ServiceDeps, clock: Clock) {
  const audit = new AuditService(deps.store, clock);
  const ops = new OperationRunner(deps.store, audit);
  const feedback = new FeedbackService(deps.store, ops, clock);
  const labelling = new LabellingService(deps.store, ops, clock, feedback);
  const serving = new ServingTable(deps.store, deps.artifacts, deps.runtime, clock, deps.servingRefreshMs, new ServingAlerts(deps.store, ops, clock));
  // Cached callers and permissions of the serving hot path, dropped whenever access may change.
  const accessCache = new AccessCache(clock);
  ops.onCommit((action) => accessCache.afterOperation(action));
  const predict = new PredictService(serving, deps.runtime, deps.predictionLog, clock);
  const servingStats = new ServingStats(() => clock.now());
  predict.onModelRun((run) => {
    if (!run.shadow) servingStats.recordRun(run.deployment, run.rows);
  });
  return {
    store: deps.store,
    audit,
    ops,
    auth: new AuthService(deps.store, audit, ops, clock, { sessionIdleMs: deps.sessionIdleMs ?? 12 * 3600_000 }),
    users: new UsersService(deps.store, ops, clock),
    tokens: new TokensService(deps.store, ops, clock),
    projects: new ProjectsService(deps.store, ops, clock),
    jobs: new JobsService(deps.jobs, ops),
    secrets: new SecretsService(deps.store, ops, deps.cipher, clock),
    health: new HealthService(deps.store, deps.artifacts, deps.jobs, deps.version),
    feedback,
    labelling,
    annotationExchange: new AnnotationExchangeService(deps.store, ops, clock, feedback, labelling),
    consensus: new ConsensusService(deps.store, labelling),
    reviews: new ReviewService(deps.store, ops, clock, feedback, labelling),
    labellingResults: new ResultsExchangeService(deps.store, ops, clock, feedback, labelling),
    labellingImages: new LabellingImagesService(deps.store, ops, clock, deps.artifacts, labelling),
    registry: new RegistryService(deps.store, deps.artifacts, deps.runtime, ops, clock, serving),
    modelCards: new ModelCardService(deps.store, ops, clock),
    deployments: new DeploymentsService(deps.store, ops, clock, serving),
    predict,
    servingStats,
    accessCache,
    predictionLog: new PredictionLogService(deps.store, deps.predictionLog, deps.predictionReader),
    datasets: new DatasetsService({ store: deps.store, ops, audit, clock, artifacts: deps.artifacts, engine: deps.dataEngine, tmpDir: deps.tmpDir ?? defaultTmpDir() }),
  };
}

/** Push ingest (staging, commit) and version diffs: built on the datasets service. */
function datasetExtraServices(base: BaseServices, deps: ServiceDeps, clock: Clock) {
  const datasetDeps = { store: deps.store, ops: base.ops, audit: base.audit, clock, artifacts: deps.artifacts, engine: deps.dataEngine, tmpDir: deps.tmpDir ?? defaultTmpDir() };
  return { datasetStaging: new DatasetStagingService(datasetDeps, base.datasets), datasetDiffs: new DatasetDiffService(base.datasets, deps.dataEngine, deps.store) };
}

/** Curation: the declared schema, the quarantine browser and re-admits, and version lineage. */
function datasetCurationServices(base: BaseServices, deps: ServiceDeps, clock: Clock) {
  const datasetDeps = { store: deps.store, ops: base.ops, audit: base.audit, clock, artifacts: deps.artifacts, engine: deps.dataEngine, tmpDir: deps.tmpDir ?? defaultTmpDir() };
  return {
    datasetSchemas: new DatasetSchemaService(datasetDeps, base.datasets),
    datasetQuarantine: new DatasetQuarantineService(datasetDeps, base.datasets),
    datasetReadmits: new DatasetReadmitService(datasetDeps, base.datasets),
    datasetLineage: new DatasetLineageService(deps.store, base.datasets),
  };
}

/** Continuous collection: scheduled sources, their pulls, and the drop folder. */
function datasetSourceServices(base: BaseServices, deps: ServiceDeps, clock: Clock) {
  return createDatasetSourceServices({
    store: deps.store,
    ops: base.ops,
    audit: base.audit,
    clock,
    artifacts: deps.artifacts,
    engine: deps.dataEngine,
    jobs: base.jobs,
    secrets: base.secrets,
    datasets: base.datasets,
    reader: deps.sourceReader,
    tmpDir: deps.tmpDir ?? defaultTmpDir(),
    dropDir: deps.dropDir,
    pullLimits: deps.pullLimits,
  });
}

/** Training, monitoring and retraining: built on the services above. */
function loopServices(base: BaseServices, deps: ServiceDeps, clock: Clock) {
  const tmpDir = deps.tmpDir ?? defaultTmpDir();
  const validation = new ModelValidationService({ store: deps.store, ops: base.ops, clock, datasets: base.datasets, artifacts: deps.artifacts, runtime: deps.runtime });
  base.registry.usePromotionGate(validation);
  const training = new TrainingService({
    validation,
    store: deps.store,
    ops: base.ops,
    clock,
    artifacts: deps.artifacts,
    datasets: base.datasets,
    registry: base.registry,
    jobs: base.jobs,
    codeVersion: deps.codeVersion ?? deps.version,
  });
  const monitoring = new MonitoringService({ store: deps.store, ops: base.ops, clock, datasets: base.datasets, predictionLog: base.predictionLog, feedback: base.feedback });
  const retrain = new RetrainService({
    store: deps.store,
    ops: base.ops,
    clock,
    datasets: base.datasets,
    predictionLog: base.predictionLog,
    feedback: base.feedback,
    registry: base.registry,
    training,
    monitoring,
    jobs: base.jobs,
    tmpDir,
  });
  const searches = new SearchService({ store: deps.store, ops: base.ops, clock, artifacts: deps.artifacts, datasets: base.datasets, jobs: base.jobs, training });
  const commandRuns = new CommandRunService({
    store: deps.store,
    ops: base.ops,
    clock,
    artifacts: deps.artifacts,
    engine: deps.dataEngine,
    datasets: base.datasets,
    jobs: base.jobs,
    runtime: deps.runtime,
    validation,
    training,
    settings: deps.commands ?? { allowed: false, serverUrl: 'http://127.0.0.1:7070', runsDir: join(tmpDir, 'runs') },
  });
  const tracking = new TrackingService({ store: deps.store, ops: base.ops, clock });
  const runArtifacts = new RunArtifactsService({ store: deps.store, ops: base.ops, clock, artifacts: deps.artifacts, tracking });
  return { training, searches, commandRuns, validation, monitoring, retrain, tracking, runArtifacts, loop: new LoopOverviewService(deps.store, base.deployments) };
}

/** Labelling automation: a registry model's suggestions and auto-labels, active learning, the labelled output, tasks from the prediction log. */
function labellingAutomationServices(base: BaseServices, deps: ServiceDeps, clock: Clock) {
  const models = new LabellingModels(base.registry, deps.runtime);
  base.labelling.useModels(models);
  const common = { store: deps.store, ops: base.ops, clock, jobs: base.jobs, labelling: base.labelling, models };
  return {
    labellingPrelabel: new PrelabelService(common),
    labellingActiveLearning: new ActiveLearningService({ ...common, datasets: base.datasets }),
    labellingOutput: new LabelledOutputService(deps.store, base.labelling, base.datasets, deps.tmpDir ?? defaultTmpDir()),
    labellingFromPredictions: new PredictionTasksService(base.ops, clock, base.labelling, base.predictionLog),
  };
}

type BaseServices = ReturnType<typeof createBaseServices>;
export type Services = ReturnType<typeof createServices>;

/** Scratch space when none is configured (tests): the OS temp folder. */
function defaultTmpDir(): string {
  return join(tmpdir(), 'flywheel-tmp');
}

export { authorizeInstance, authorizeProject, isInstanceAction, resolveProject, type ProjectAccess } from './access/authorize.js';
export type { CallContext, Principal } from './access/principal.js';
export { ROLE_ACTIONS, roleAllows } from './access/permissions.js';
