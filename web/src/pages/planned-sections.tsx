// Lifecycle sections whose API is not there yet: their columns and an honest empty state.
import type { ReactNode } from 'react';

export interface PlannedSection {
  title: string;
  intro: string;
  columns: string[];
  empty: (project: string) => ReactNode;
}

export const PLANNED: Record<string, PlannedSection> = {
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
