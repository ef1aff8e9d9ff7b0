// Lifecycle sections whose API is not there yet: their columns and an honest empty state.
import type { ReactNode } from 'react';

export interface PlannedSection {
  title: string;
  intro: string;
  columns: string[];
  empty: (project: string) => ReactNode;
}

export const PLANNED: Record<string, PlannedSection> = {
  datasets: {
    title: 'Datasets',
    intro: 'Versioned datasets: each version is a manifest of content-addressed Parquet files with its schema, profile and cleansing report.',
    columns: ['Name', 'Latest version', 'Rows', 'Quarantined', 'Updated'],
    empty: (p) => (
      <>
        <strong>No datasets yet.</strong> Ingest a CSV, JSONL or Parquet file with{' '}
        <code>flywheel data ingest FILE --dataset NAME --project {p}</code>. Each ingest makes a new version; rows that
        break a rule go to the quarantine with their line number and reason.
      </>
    ),
  },
  labelling: {
    title: 'Labelling',
    intro: 'Labelling jobs: queues of items for annotators, reviewed by reviewers, with agreement scores.',
    columns: ['Job', 'Dataset version', 'Progress', 'Agreement', 'Updated'],
    empty: (p) => (
      <>
        <strong>No labelling jobs yet.</strong> Start one from a dataset version with <code>flywheel annotate</code>{' '}
        (<code>--project {p}</code>), or import Label Studio tasks. Annotators and reviewers will find their queues here.
      </>
    ),
  },
  experiments: {
    title: 'Experiments',
    intro: 'Experiments and their runs: parameters, metrics and artifacts, from Flywheel trainers or any MLflow client.',
    columns: ['Experiment', 'Runs', 'Best metric', 'Last run'],
    empty: (p) => (
      <>
        <strong>No experiments yet.</strong> Train with <code>flywheel train</code> (<code>--project {p}</code>) or point an
        MLflow client at this server (<code>MLFLOW_TRACKING_URI</code> and <code>MLFLOW_TRACKING_TOKEN</code>). Runs, parameters
        and metrics will appear here.
      </>
    ),
  },
  models: {
    title: 'Models',
    intro: 'The model registry: ONNX model versions with their evaluation, lineage and approvals.',
    columns: ['Model', 'Latest version', 'Stage', 'Evaluation', 'Updated'],
    empty: (p) => (
      <>
        <strong>No registered models yet.</strong> Register a run&apos;s model with <code>flywheel models</code> (
        <code>--project {p}</code>). Versions, evaluation reports and promotions will appear here.
      </>
    ),
  },
  deployments: {
    title: 'Deployments',
    intro: 'Models being served, with MLflow scoring and Open Inference Protocol endpoints.',
    columns: ['Deployment', 'Model version', 'Status', 'Endpoint', 'Updated'],
    empty: (p) => (
      <>
        <strong>No deployments yet.</strong> Deploy a model version with <code>flywheel deploy</code> (
        <code>--project {p}</code>). Its serving URLs (<code>/deployments/NAME/invocations</code>,{' '}
        <code>/v2/models/NAME</code>) will appear here.
      </>
    ),
  },
  monitoring: {
    title: 'Monitoring',
    intro: 'Monitors on deployments: data drift, prediction drift and performance, with alerts.',
    columns: ['Monitor', 'Deployment', 'Last check', 'Status', 'Alerts'],
    empty: (p) => (
      <>
        <strong>No monitors yet.</strong> Add one to a deployment with <code>flywheel monitor</code> (
        <code>--project {p}</code>). Drift checks on the prediction log and their alerts will appear here.
      </>
    ),
  },
  pipelines: {
    title: 'Pipelines',
    intro: 'Pipelines close the loop: retrain on a schedule or when a monitor alerts, gated by KPIs and approvals.',
    columns: ['Pipeline', 'Trigger', 'Last run', 'Status', 'Next run'],
    empty: (p) => (
      <>
        <strong>No pipelines yet.</strong> Define one with <code>flywheel pipeline</code> (<code>--project {p}</code>) to
        retrain on a schedule or when a monitor alerts. Its runs will appear here.
      </>
    ),
  },
};
