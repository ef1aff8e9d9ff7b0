// The metadata store port: one repository per entity, and a transaction that hands the same
// repositories bound to one database transaction. Adapters: Kysely on SQLite and PostgreSQL.
//
// Conventions for every repository:
// - create → get → list → update → delete, in that order in each interface;
// - `get*` answers `undefined` when nothing matches; it never throws "not found" (services do);
// - `create*` throws ConflictError when a unique name or key is taken;
// - lists are cursor-paginated by id (UUIDv7, so creation order).
import type {
  ApiToken,
  AuditEvent,
  Member,
  NewAuditEvent,
  Project,
  SecretRecord,
  Session,
  User,
  UserWithSecret,
} from '../entities.js';
import type { Page, PageRequest } from '../pagination.js';
import type { ProjectRole } from '../roles.js';
import type { AnnotationRepositories } from './annotation-store.js';
import type { AnnotationExchangeRepository } from './annotation-exchange-store.js';
import type { LabellingImageRepository } from './labelling-image-store.js';
import type { PolicyRepository, TrackingRepository } from './tracking-store.js';
import type { MlflowTrackingRepository } from './mlflow-tracking-store.js';
import type { RunArtifactRepository } from './run-artifact-store.js';
import type { SearchTrialRepository } from './search-trial-store.js';
import type { MonitoringRepository } from './monitoring-store.js';
import type { ServingRepositories } from './serving-store.js';
import type { ModelCardRepository } from './model-card-store.js';
import type { DatasetRepositories } from './dataset-store.js';
import type { StagedBatchRepository } from './staging-store.js';
import type { DatasetSourceRepositories } from './dataset-source-store.js';
import type { DatasetCurationRepositories } from './dataset-curation-store.js';

export interface UserRepository {
  create(user: UserWithSecret): Promise<User>;
  getById(id: string): Promise<UserWithSecret | undefined>;
  getByUsername(username: string): Promise<UserWithSecret | undefined>;
  list(page: PageRequest): Promise<Page<User>>;
  count(): Promise<number>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  update(id: string, patch: Partial<Pick<User, 'display_name' | 'is_admin' | 'disabled'>>): Promise<void>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  getByTokenHash(tokenHash: string): Promise<Session | undefined>;
  touch(id: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  delete(id: string): Promise<void>;
  deleteForUser(userId: string): Promise<number>;
  deleteExpired(now: number): Promise<number>;
}

export interface TokenRepository {
  create(token: ApiToken): Promise<void>;
  getById(id: string): Promise<ApiToken | undefined>;
  getByHash(tokenHash: string): Promise<ApiToken | undefined>;
  listForUser(userId: string, page: PageRequest): Promise<Page<ApiToken>>;
  markUsed(id: string, at: number): Promise<void>;
  revoke(id: string, at: number): Promise<void>;
}

export interface ProjectRepository {
  create(project: Project): Promise<void>;
  getById(id: string): Promise<Project | undefined>;
  getByName(name: string): Promise<Project | undefined>;
  /** All projects (admin) or those where `memberUserId` is a member. */
  list(page: PageRequest, memberUserId?: string): Promise<Page<Project>>;
  update(id: string, patch: Partial<Pick<Project, 'description'>>, at: number): Promise<void>;
}

export interface MemberRepository {
  /** Insert or change the member's role. */
  upsert(m: { project_id: string; user_id: string; role: ProjectRole; added_by: string; added_at: number }): Promise<void>;
  get(projectId: string, userId: string): Promise<Member | undefined>;
  list(projectId: string, page: PageRequest): Promise<Page<Member>>;
  countWithRole(projectId: string, role: ProjectRole): Promise<number>;
  delete(projectId: string, userId: string): Promise<boolean>;
}

export interface AuditRepository {
  /** Append to the hash chain; `hashOf` computes the event's hash from its content. */
  append(event: NewAuditEvent, hashOf: (e: Omit<AuditEvent, 'hash'>) => string): Promise<AuditEvent>;
  /** Newest first; `projectId` undefined = every event, null = instance-level only. */
  list(page: PageRequest, filter: { projectId?: string | null }): Promise<Page<AuditEvent>>;
  /** Oldest first, by sequence, for verification. */
  scan(afterSeq: number, limit: number): Promise<AuditEvent[]>;
  /** The chain's head as last appended (so deleting the newest events is detected). */
  head(): Promise<{ seq: number; hash: string }>;
}

export interface SecretRepository {
  put(secret: SecretRecord): Promise<void>;
  get(projectId: string | null, name: string): Promise<SecretRecord | undefined>;
  list(projectId: string | null): Promise<Array<Omit<SecretRecord, 'ciphertext'>>>;
  delete(projectId: string | null, name: string): Promise<boolean>;
}

export interface Repositories {
  users: UserRepository;
  sessions: SessionRepository;
  tokens: TokenRepository;
  projects: ProjectRepository;
  members: MemberRepository;
  audit: AuditRepository;
  secrets: SecretRepository;
  labellingJobs: AnnotationRepositories['labellingJobs'];
  labellingTasks: AnnotationRepositories['labellingTasks'];
  taskLabels: AnnotationRepositories['taskLabels'];
  predictionFeedback: AnnotationRepositories['predictionFeedback'];
  taskReviews: AnnotationRepositories['taskReviews'];
  taskSkips: AnnotationRepositories['taskSkips'];
  annotationExchange: AnnotationExchangeRepository;
  labellingImages: LabellingImageRepository;
  tracking: TrackingRepository;
  mlflowTracking: MlflowTrackingRepository;
  runArtifacts: RunArtifactRepository;
  searchTrials: SearchTrialRepository;
  policies: PolicyRepository;
  monitoring: MonitoringRepository;
  models: ServingRepositories['models'];
  modelCards: ModelCardRepository;
  deployments: ServingRepositories['deployments'];
  predictionSegments: ServingRepositories['predictionSegments'];
  datasets: DatasetRepositories['datasets'];
  datasetVersions: DatasetRepositories['datasetVersions'];
  stagedBatches: StagedBatchRepository;
  datasetSources: DatasetSourceRepositories['datasetSources'];
  sourceRuns: DatasetSourceRepositories['sourceRuns'];
  datasetSchemas: DatasetCurationRepositories['datasetSchemas'];
  datasetReadmits: DatasetCurationRepositories['datasetReadmits'];
  datasetLineage: DatasetCurationRepositories['datasetLineage'];
}

export interface MetadataStore extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /** Run `fn` in one transaction: all of it is written, or none of it. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Cheap liveness check for /health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
