// The loop at a glance: each lifecycle stage of a project with its latest state and counts.
import { z } from 'zod';
import { endpoint } from './endpoint.js';
import { EpochMs, ProjectParams } from './common.js';

export const LoopView = z.object({
  collect: z.object({
    datasets: z.number().int(),
    versions: z.number().int(),
    rows: z.number().int(),
    latest: z.object({ dataset: z.string(), version: z.number().int(), accepted: z.number().int(), quarantined: z.number().int(), at: EpochMs }).nullable(),
  }),
  cleanse: z.object({ rows_read: z.number().int(), accepted: z.number().int(), quarantined: z.number().int(), by_rule: z.record(z.string(), z.number()) }),
  annotate: z.object({ jobs: z.number().int(), tasks: z.number().int(), resolved: z.number().int(), labels: z.number().int() }),
  train: z.object({
    runs: z.number().int(),
    latest: z.object({ id: z.string(), status: z.string(), metrics: z.record(z.string(), z.number()), at: EpochMs }).nullable(),
  }),
  validate: z.object({ passed: z.number().int(), failed: z.number().int(), latest: z.object({ run_id: z.string(), passed: z.boolean(), summary: z.string() }).nullable() }),
  deploy: z.object({
    deployments: z.number().int(),
    predictions_logged: z.number().int(),
    serving: z.array(z.object({ deployment: z.string(), model: z.string(), version: z.number().int().nullable() })),
  }),
  monitor: z.object({
    monitors: z.number().int(),
    windows: z.number().int(),
    open_alerts: z.number().int(),
    alerts: z.number().int(),
    latest_window: z.object({ monitor: z.string(), window_start: EpochMs, drift: z.record(z.string(), z.number()), performance: z.record(z.string(), z.number()).nullable() }).nullable(),
  }),
  retrain: z.object({
    decisions: z.number().int(),
    promotions: z.number().int(),
    latest: z.object({ decision: z.enum(['promoted', 'kept_champion']), reason: z.string(), at: EpochMs }).nullable(),
  }),
});
export type LoopView = z.infer<typeof LoopView>;

export const getLoop = endpoint({
  id: 'loop.get',
  method: 'GET',
  path: '/api/v1/projects/:project/loop',
  summary: 'Every stage of the loop with its latest state and counts (the project page)',
  tag: 'projects',
  auth: { action: 'project.read' },
  params: ProjectParams,
  response: LoopView,
});
