// Every endpoint of the API, in one registry (server routes, OpenAPI, client, matrix test).
import * as health from './health.contract.js';
import * as users from './users.contract.js';
import * as tokens from './tokens.contract.js';
import * as projects from './projects.contract.js';
import * as audit from './audit.contract.js';
import * as jobs from './jobs.contract.js';
import * as secrets from './secrets.contract.js';
import * as labelling from './labelling.contract.js';
import * as annotationExchange from './annotation-exchange.contract.js';
import * as labellingReview from './labelling-review.contract.js';
import * as labellingResults from './labelling-results.contract.js';
import * as labellingAutomation from './labelling-automation.contract.js';
import * as models from './models.contract.js';
import * as modelCards from './model-cards.contract.js';
import * as deployments from './deployments.contract.js';
import * as datasets from './datasets.contract.js';
import * as datasetStaging from './dataset-staging.contract.js';
import * as datasetSources from './dataset-sources.contract.js';
import * as datasetCuration from './dataset-curation.contract.js';
import * as training from './training.contract.js';
import * as tracking from './tracking.contract.js';
import * as search from './search.contract.js';
import * as commandRuns from './command-runs.contract.js';
import * as monitoring from './monitoring.contract.js';
import * as loop from './loop.contract.js';
import * as feedback from './feedback.contract.js';
import type { Endpoint } from './endpoint.js';

export const api = {
  health: health.health,
  login: users.login,
  logout: users.logout,
  me: users.me,
  changePassword: users.changePassword,
  listUsers: users.listUsers,
  createUser: users.createUser,
  updateUser: users.updateUser,
  resetPassword: users.resetPassword,
  listTokens: tokens.listTokens,
  createToken: tokens.createToken,
  revokeToken: tokens.revokeToken,
  listProjects: projects.listProjects,
  createProject: projects.createProject,
  getProject: projects.getProject,
  updateProject: projects.updateProject,
  listMembers: projects.listMembers,
  putMember: projects.putMember,
  removeMember: projects.removeMember,
  listProjectAudit: audit.listProjectAudit,
  listAudit: audit.listAudit,
  verifyAudit: audit.verifyAudit,
  listJobs: jobs.listJobs,
  getJob: jobs.getJob,
  cancelJob: jobs.cancelJob,
  listSecrets: secrets.listSecrets,
  putSecret: secrets.putSecret,
  deleteSecret: secrets.deleteSecret,
  listLabellingJobs: labelling.listLabellingJobs,
  createLabellingJob: labelling.createLabellingJob,
  getLabellingJob: labelling.getLabellingJob,
  addLabellingTasks: labelling.addLabellingTasks,
  listLabellingTasks: labelling.listLabellingTasks,
  nextLabellingTask: labelling.nextLabellingTask,
  submitLabel: labelling.submitLabel,
  withdrawLabel: labelling.withdrawLabel,
  skipLabellingTask: labelling.skipLabellingTask,
  exportLabellingJob: annotationExchange.exportLabellingJob,
  importLabellingJob: annotationExchange.importLabellingJob,
  getLabellingConsensus: annotationExchange.getLabellingConsensus,
  listLabellingDisputes: labellingReview.listLabellingDisputes,
  reviewLabellingTask: labellingReview.reviewLabellingTask,
  listTaskReviews: labellingReview.listTaskReviews,
  exportLabellingResults: labellingResults.exportLabellingResults,
  importLabellingResults: labellingResults.importLabellingResults,
  uploadLabellingImage: labellingResults.uploadLabellingImage,
  getLabellingImage: labellingResults.getLabellingImage,
  updateLabellingSettings: labellingAutomation.updateLabellingSettings,
  startLabellingPrelabel: labellingAutomation.startLabellingPrelabel,
  startLabellingActiveLearning: labellingAutomation.startLabellingActiveLearning,
  writeLabelledOutput: labellingAutomation.writeLabelledOutput,
  addTasksFromPredictions: labellingAutomation.addTasksFromPredictions,
  listModels: models.listModels,
  getModel: models.getModel,
  listModelVersions: models.listModelVersions,
  getModelVersion: models.getModelVersion,
  getModelVersionOnnx: models.getModelVersionOnnx,
  setModelAlias: models.setModelAlias,
  listAliasHistory: models.listAliasHistory,
  validateModelVersion: models.validateModelVersion,
  getModelCardFields: modelCards.getModelCardFields,
  putModelCardFields: modelCards.putModelCardFields,
  getModelCard: modelCards.getModelCard,
  listDeployments: deployments.listDeployments,
  createDeployment: deployments.createDeployment,
  getDeployment: deployments.getDeployment,
  updateDeployment: deployments.updateDeployment,
  rollbackDeployment: deployments.rollbackDeployment,
  listDeploymentHistory: deployments.listDeploymentHistory,
  listPredictionSegments: deployments.listPredictionSegments,
  getDeploymentStats: deployments.getDeploymentStats,
  predict: deployments.predict,
  createDataset: datasets.createDataset,
  listDatasets: datasets.listDatasets,
  getDataset: datasets.getDataset,
  ingestDataset: datasets.ingestDataset,
  listDatasetVersions: datasets.listDatasetVersions,
  getDatasetVersion: datasets.getDatasetVersion,
  listQuarantine: datasets.listQuarantine,
  pushRows: datasetStaging.pushRows,
  commitDataset: datasetStaging.commitDataset,
  getStaging: datasetStaging.getStaging,
  putStaging: datasetStaging.putStaging,
  diffDatasetVersions: datasetStaging.diffDatasetVersions,
  listSources: datasetSources.listSources,
  createSource: datasetSources.createSource,
  getSource: datasetSources.getSource,
  updateSource: datasetSources.updateSource,
  deleteSource: datasetSources.deleteSource,
  runSource: datasetSources.runSource,
  listSourceRuns: datasetSources.listSourceRuns,
  getQuarantineSummary: datasetCuration.getQuarantineSummary,
  readmitQuarantine: datasetCuration.readmitQuarantine,
  getDatasetSchema: datasetCuration.getDatasetSchema,
  putDatasetSchema: datasetCuration.putDatasetSchema,
  getVersionLineage: datasetCuration.getVersionLineage,
  startRun: training.startRun,
  listRuns: training.listRuns,
  getRun: training.getRun,
  getPolicy: training.getPolicy,
  putPolicy: training.putPolicy,
  listExperiments: tracking.listExperiments,
  listExperimentRuns: tracking.listExperimentRuns,
  getRunKeys: tracking.getRunKeys,
  getRunDetails: tracking.getRunDetails,
  getMetricHistory: tracking.getMetricHistory,
  deleteTrackedRun: tracking.deleteTrackedRun,
  restoreTrackedRun: tracking.restoreTrackedRun,
  listRunArtifacts: tracking.listRunArtifacts,
  getRunArtifact: tracking.getRunArtifact,
  startSearch: search.startSearch,
  listSearchTrials: search.listSearchTrials,
  startCommandRun: commandRuns.startCommandRun,
  createMonitor: monitoring.createMonitor,
  listMonitors: monitoring.listMonitors,
  getMonitor: monitoring.getMonitor,
  runMonitorWindow: monitoring.runMonitorWindow,
  listAlerts: monitoring.listAlerts,
  listDecisions: monitoring.listDecisions,
  startRetraining: monitoring.startRetraining,
  getLoop: loop.getLoop,
  recordFeedback: feedback.recordFeedback,
} as const;

export type Api = typeof api;
export const endpoints: Endpoint[] = Object.values(api) as Endpoint[];

export * from './endpoint.js';
export * from './common.js';
export { Health } from './health.contract.js';
export { UserView } from './users.contract.js';
export { TokenView } from './tokens.contract.js';
export { ProjectView, MemberView } from './projects.contract.js';
export { AuditEventView, AuditVerification } from './audit.contract.js';
export { JobView } from './jobs.contract.js';
export { SecretView } from './secrets.contract.js';
export { LabellingJobView, LabellingJobDetailView, LabellingTaskView, QueuedTaskView, LabelView } from './labelling.contract.js';
export { LabelStudioTaskView, ImportReportView, JobConsensusView } from './annotation-exchange.contract.js';
export { LabelValueView } from './labelling.contract.js';
export { ResultsImportReportView, UploadedImageView } from './labelling-results.contract.js';
export { ModelView, ModelVersionView, AliasChangeView, FeatureView } from './models.contract.js';
export { ModelCardFieldsView, MAX_CARD_FIELD } from './model-cards.contract.js';
export { DeploymentView, PredictionSegmentView, PredictionView, MAX_PREDICT_ROWS } from './deployments.contract.js';
export { BatchingView, StatsPointView } from './deployments.contract.js';
export { DeploymentBindingView } from './deployments.contract.js';
export { ValidationResultView } from './models.contract.js';
export { GateReportView, GateCheckView } from './gate-report.js';
export {
  DatasetView,
  DatasetVersionView,
  DatasetVersionSummaryView,
  QuarantineRowView,
  ColumnProfileView,
  ColumnSchemaView,
  INGEST_CONTENT_TYPES,
  MAX_INGEST_BYTES,
} from './datasets.contract.js';
export { PushReportView, DatasetDiffView, StagingView, MAX_PUSH_BYTES } from './dataset-staging.contract.js';
export { QuarantineSummaryView, ReadmitView, SchemaStateView, LineageView, MAX_READMIT_BYTES } from './dataset-curation.contract.js';
export { SourceView, SourceRunView } from './dataset-sources.contract.js';
export { RunView, PolicyView } from './training.contract.js';
export { ExperimentView, RunSummaryView, RunDetailsView, WireDouble, ArtifactEntryView } from './tracking.contract.js';
export { SearchTrialsView, TrialView } from './search.contract.js';
export { MonitorView, WindowView, AlertView, DecisionView } from './monitoring.contract.js';
export { LoopView } from './loop.contract.js';
