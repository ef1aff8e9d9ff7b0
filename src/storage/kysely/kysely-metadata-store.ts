// The metadata store on Kysely (SQLite or PostgreSQL): repositories bound to the database or to
// one transaction, and openMetadataStore(url) which connects and migrates.
import { sql, type Kysely } from 'kysely';
import type { MetadataStore, Repositories } from '../../domain/ports/metadata-store.js';
import { connect, type Connected, type Dialect } from './connect.js';
import { KyselyAuditRepository } from './kysely-audit.repository.js';
import { KyselyMemberRepository } from './kysely-member.repository.js';
import { KyselyProjectRepository } from './kysely-project.repository.js';
import { KyselySecretRepository } from './kysely-secret.repository.js';
import { KyselySessionRepository } from './kysely-session.repository.js';
import { KyselyTokenRepository } from './kysely-token.repository.js';
import { KyselyUserRepository } from './kysely-user.repository.js';
import { KyselyTrackingRepository } from './kysely-tracking.repository.js';
import { KyselyMlflowTrackingRepository } from './kysely-mlflow-tracking.repository.js';
import { KyselyRunArtifactRepository } from './kysely-run-artifact.repository.js';
import { KyselySearchTrialRepository } from './kysely-search-trial.repository.js';
import { KyselyPolicyRepository } from './kysely-policy.repository.js';
import { KyselyMonitoringRepository } from './kysely-monitoring.repository.js';
import { KyselyLabellingJobRepository } from './kysely-labelling-job.repository.js';
import { KyselyLabellingTaskRepository } from './kysely-labelling-task.repository.js';
import { KyselyPredictionFeedbackRepository } from './kysely-prediction-feedback.repository.js';
import { KyselyTaskLabelRepository } from './kysely-task-label.repository.js';
import { KyselyTaskReviewRepository } from './kysely-task-review.repository.js';
import { KyselyTaskSkipRepository } from './kysely-task-skip.repository.js';
import { KyselyAnnotationExchangeRepository } from './kysely-annotation-exchange.repository.js';
import { KyselyLabellingImageRepository } from './kysely-labelling-image.repository.js';
import { KyselyModelRepository } from './kysely-model.repository.js';
import { KyselyModelCardRepository } from './kysely-model-card.repository.js';
import { KyselyDeploymentRepository } from './kysely-deployment.repository.js';
import { KyselyPredictionSegmentRepository } from './kysely-prediction-segment.repository.js';
import { KyselyDatasetRepository } from './kysely-dataset.repository.js';
import { KyselyDatasetVersionRepository } from './kysely-dataset-version.repository.js';
import { KyselyStagedBatchRepository } from './kysely-staged-batch.repository.js';
import { KyselyDatasetSchemaRepository } from './kysely-dataset-schema.repository.js';
import { KyselyDatasetReadmitRepository } from './kysely-dataset-readmit.repository.js';
import { KyselyDatasetLineageRepository } from './kysely-dataset-lineage.repository.js';
import { KyselyScheduledSourceRepository } from './kysely-dataset-source.repository.js';
import { KyselySourceRunRepository } from './kysely-source-run.repository.js';
import { migrate } from './migrate.js';
import type { Database } from './schema.js';

/** Every repository, bound to `db` (the database itself or a transaction). */
export function repositoriesOf(db: Kysely<Database>, dialect: Dialect): Repositories {
  return {
    users: new KyselyUserRepository(db),
    sessions: new KyselySessionRepository(db),
    tokens: new KyselyTokenRepository(db),
    projects: new KyselyProjectRepository(db),
    members: new KyselyMemberRepository(db),
    audit: new KyselyAuditRepository(db, dialect),
    secrets: new KyselySecretRepository(db),
    labellingJobs: new KyselyLabellingJobRepository(db),
    labellingTasks: new KyselyLabellingTaskRepository(db, dialect),
    taskLabels: new KyselyTaskLabelRepository(db),
    predictionFeedback: new KyselyPredictionFeedbackRepository(db),
    taskReviews: new KyselyTaskReviewRepository(db),
    taskSkips: new KyselyTaskSkipRepository(db),
    annotationExchange: new KyselyAnnotationExchangeRepository(db),
    labellingImages: new KyselyLabellingImageRepository(db),
    tracking: new KyselyTrackingRepository(db, dialect),
    mlflowTracking: new KyselyMlflowTrackingRepository(db, dialect),
    runArtifacts: new KyselyRunArtifactRepository(db),
    searchTrials: new KyselySearchTrialRepository(db),
    policies: new KyselyPolicyRepository(db),
    monitoring: new KyselyMonitoringRepository(db),
    models: new KyselyModelRepository(db),
    modelCards: new KyselyModelCardRepository(db),
    deployments: new KyselyDeploymentRepository(db),
    predictionSegments: new KyselyPredictionSegmentRepository(db),
    datasets: new KyselyDatasetRepository(db),
    datasetVersions: new KyselyDatasetVersionRepository(db),
    stagedBatches: new KyselyStagedBatchRepository(db),
    datasetSchemas: new KyselyDatasetSchemaRepository(db),
    datasetReadmits: new KyselyDatasetReadmitRepository(db),
    datasetLineage: new KyselyDatasetLineageRepository(db),
    datasetSources: new KyselyScheduledSourceRepository(db),
    sourceRuns: new KyselySourceRunRepository(db),
  };
}

/** The repositories are attached in the constructor (see repositoriesOf). */
export interface KyselyMetadataStore extends Repositories {}

export class KyselyMetadataStore implements MetadataStore {
  /** The shared Kysely instance (the job queue adapter uses it too). */
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;

  constructor(connected: Connected) {
    this.db = connected.db;
    this.dialect = connected.dialect;
    Object.assign(this, repositoriesOf(this.db, this.dialect));
  }

  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(repositoriesOf(trx, this.dialect)));
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/**
 * Connect to `url` (sqlite:… or postgres://…) and, unless `migrate: false`, apply the migrations.
 * Example: `const store = await openMetadataStore('sqlite:/data/flywheel.db')`.
 */
export async function openMetadataStore(url: string, opts: { migrate?: boolean } = {}): Promise<KyselyMetadataStore> {
  const connected = await connect(url);
  try {
    if (opts.migrate ?? true) await migrate(connected.db);
  } catch (err) {
    await connected.db.destroy();
    throw err;
  }
  return new KyselyMetadataStore(connected);
}
