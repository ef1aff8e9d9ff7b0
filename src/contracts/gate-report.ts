// The KPI gate report as the API shows it (runs, model versions, `models validate`): each check
// with its metric, threshold, value, the champion's value, the verdict and one sentence.
import { z } from 'zod';
import { EpochMs } from './common.js';

export const GateCheckView = z.object({
  /** threshold | min_improvement | max_slice_gap (absent in reports older than the kinds). */
  kind: z.enum(['threshold', 'min_improvement', 'max_slice_gap']).optional(),
  metric: z.string(),
  op: z.enum(['>=', '<=']),
  threshold: z.number(),
  value: z.number().nullable(),
  champion_value: z.number().nullable().optional(),
  improvement: z.number().nullable().optional(),
  column: z.string().optional(),
  slices: z.array(z.object({ slice: z.string().nullable(), n: z.number().int(), value: z.number().nullable() })).optional(),
  passed: z.boolean(),
  message: z.string().optional(),
});
export type GateCheckView = z.infer<typeof GateCheckView>;

export const GateBasisView = z.object({
  evaluated_at: EpochMs,
  policy_updated_at: EpochMs,
  champion_version: z.number().int().nullable(),
  candidate_version: z.number().int().nullable(),
  holdout: z
    .object({ run_id: z.string(), dataset_version_id: z.string(), from: z.number(), to: z.number(), rows: z.number().int(), skipped: z.number().int() })
    .nullable(),
  note: z.string(),
});

export const GateReportView = z.object({
  passed: z.boolean(),
  checks: z.array(GateCheckView),
  summary: z.string(),
  basis: GateBasisView.optional(),
  format: z.number().int().optional(),
});
export type GateReportView = z.infer<typeof GateReportView>;

export const SliceGapRuleView = z.object({
  metric: z.string().min(1).max(100),
  column: z.string().min(1).max(200),
  max: z.number().min(0),
  min_rows: z.number().int().min(1).optional(),
});
