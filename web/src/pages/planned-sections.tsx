// Lifecycle sections whose API is not there yet: their columns and an honest empty state.
import type { ReactNode } from 'react';

export interface PlannedSection {
  title: string;
  intro: string;
  columns: string[];
  empty: (project: string) => ReactNode;
}

export const PLANNED: Record<string, PlannedSection> = {
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
