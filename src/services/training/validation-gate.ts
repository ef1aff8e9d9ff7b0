// The KPI gate as a readable report: a model's metrics against the project's absolute thresholds,
// its improvement over the current champion (direction-aware: lower is better for errors such as
// RMSE, MAE, MAPE and log loss), and the gap of a metric between the slices of a categorical
// column (the best slice named by the metric's direction). Pure: the caller measures, this judges
// and explains.
import { metricDirection, type MetricDirection } from '../../domain/metric-direction.js';
import { DEFAULT_SLICE_MIN_ROWS, type GateCheck, type GateReport, type SliceGapRule, type ValidationPolicy } from '../../domain/tracking.js';

export type Thresholds = Record<string, { min?: number; max?: number }>;

/** One slice of a column: its value (null = missing), rows, and the metric there (null: undefined on it). */
export interface SliceValue {
  slice: string | null;
  n: number;
  value: number | null;
}

/** What was measured for one slice rule: the candidate's (and the champion's) slices, or why nothing was. */
export interface SliceMeasure {
  candidate: SliceValue[] | null;
  champion: SliceValue[] | null;
  error: string | null;
}

export interface GateInputs {
  /** The candidate's metrics. */
  candidate: Record<string, number>;
  /**
   * The current champion with its metrics on the same basis as the candidate's (`recorded`: the
   * metrics registered with it, when it could not be evaluated on the candidate's holdout); null
   * when the model has no champion. `isCandidate`: the candidate is the champion itself.
   */
  champion: { version: number; metrics: Record<string, number>; recorded: boolean; isCandidate: boolean } | null;
  /** One entry per rule of policy.max_slice_gap, in order. */
  slices: SliceMeasure[];
}

/** Tolerance of the comparisons (floating-point noise must not fail a gate set exactly at the value). */
const EPS = 1e-12;

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

const measured = (metrics: Record<string, number>, metric: string): number | null => (Number.isFinite(metrics[metric]) ? metrics[metric] : null);

function thresholdChecks(thresholds: Thresholds, inputs: GateInputs): GateCheck[] {
  const checks: GateCheck[] = [];
  const champion = inputs.champion && !inputs.champion.isCandidate ? inputs.champion.metrics : null;
  for (const [metric, bound] of Object.entries(thresholds)) {
    const value = measured(inputs.candidate, metric);
    const champion_value = champion ? measured(champion, metric) : null;
    if (bound.min !== undefined) {
      const passed = value !== null && value >= bound.min - EPS;
      const message =
        value === null
          ? `${metric} was not measured (minimum ${fmt(bound.min)})`
          : passed
            ? `${metric} ${fmt(value)} meets the minimum ${fmt(bound.min)}`
            : `${metric} ${fmt(value)} is below the minimum ${fmt(bound.min)}`;
      checks.push({ kind: 'threshold', metric, op: '>=', threshold: bound.min, value, champion_value, passed, message });
    }
    if (bound.max !== undefined) {
      const passed = value !== null && value <= bound.max + EPS;
      const message =
        value === null
          ? `${metric} was not measured (maximum ${fmt(bound.max)})`
          : passed
            ? `${metric} ${fmt(value)} is within the maximum ${fmt(bound.max)}`
            : `${metric} ${fmt(value)} is above the maximum ${fmt(bound.max)}`;
      checks.push({ kind: 'threshold', metric, op: '<=', threshold: bound.max, value, champion_value, passed, message });
    }
  }
  return checks;
}

function improvementCheck(metric: string, threshold: number, inputs: GateInputs): GateCheck {
  const base = { kind: 'min_improvement' as const, metric, op: '>=' as const, threshold, value: measured(inputs.candidate, metric) };
  const champion = inputs.champion;
  if (!champion) return { ...base, champion_value: null, improvement: null, passed: true, message: `no champion yet: ${metric} has nothing to improve on` };
  const who = `the champion (v${champion.version})`;
  if (champion.isCandidate) {
    return { ...base, champion_value: base.value, improvement: 0, passed: true, message: `v${champion.version} is the champion itself: no improvement of ${metric} to measure` };
  }
  const championValue = measured(champion.metrics, metric);
  const required = threshold >= 0 ? `at least ${fmt(threshold)} required` : `a regression of at most ${fmt(-threshold)} allowed`;
  if (base.value === null) return { ...base, champion_value: championValue, improvement: null, passed: false, message: `${metric} was not measured, so its improvement on ${who} is unknown (${required})` };
  if (championValue === null) {
    return { ...base, champion_value: null, improvement: null, passed: false, message: `${metric} of ${who} is not known, so the improvement cannot be measured (${required})` };
  }
  const direction = metricDirection(metric) ?? 'higher';
  const improvement = direction === 'higher' ? base.value - championValue : championValue - base.value;
  const passed = improvement >= threshold - EPS;
  const source = champion.recorded ? ` (its recorded ${metric})` : '';
  const lead = `${metric} ${fmt(base.value)} vs ${who} ${fmt(championValue)}${source}:`;
  const what =
    improvement > EPS
      ? `${passed ? 'an improvement of' : 'an improvement of only'} ${fmt(improvement)}`
      : improvement < -EPS
        ? `${fmt(-improvement)} worse`
        : 'no change';
  return { ...base, champion_value: championValue, improvement, passed, message: `${lead} ${what} (${required}${direction === 'lower' ? ', lower is better' : ''})` };
}

/**
 * The largest minus the smallest value over slices with at least `minRows` rows and a defined
 * value; `best` is the highest slice, or the lowest when lower is better (an error such as MAE).
 */
export function sliceGap(slices: SliceValue[], minRows: number, direction: MetricDirection = 'higher'): { gap: number; best: SliceValue | null; worst: SliceValue | null; counted: number } {
  const eligible = slices.filter((s) => s.n >= minRows && s.value !== null && Number.isFinite(s.value));
  if (eligible.length === 0) return { gap: 0, best: null, worst: null, counted: 0 };
  let high = eligible[0];
  let low = eligible[0];
  for (const s of eligible) {
    if (s.value! > high.value!) high = s;
    if (s.value! < low.value!) low = s;
  }
  const [best, worst] = direction === 'lower' ? [low, high] : [high, low];
  return { gap: high.value! - low.value!, best, worst, counted: eligible.length };
}

const sliceName = (s: SliceValue | null) => (s === null ? '-' : s.slice === null ? '(missing)' : s.slice);

function sliceCheck(rule: SliceGapRule, m: SliceMeasure | undefined): GateCheck {
  const minRows = rule.min_rows ?? DEFAULT_SLICE_MIN_ROWS;
  const base = { kind: 'max_slice_gap' as const, metric: rule.metric, column: rule.column, op: '<=' as const, threshold: rule.max };
  const where = `${rule.metric} across ${rule.column} slices`;
  if (!m || m.error !== null || m.candidate === null) {
    return { ...base, value: null, champion_value: null, passed: false, message: `${where} was not measured: ${m?.error ?? 'no holdout to slice'}` };
  }
  const direction = metricDirection(rule.metric) ?? 'higher';
  const g = sliceGap(m.candidate, minRows, direction);
  const champion_value = m.champion ? sliceGap(m.champion, minRows, direction).gap : null;
  const slices = m.candidate;
  if (g.counted < 2) {
    const only = g.counted === 1 ? ` (${sliceName(g.best)})` : '';
    return { ...base, value: 0, champion_value, slices, passed: true, message: `${where}: ${g.counted} slice${g.counted === 1 ? '' : 's'} with at least ${minRows} rows${only}, so no gap to measure` };
  }
  const passed = g.gap <= rule.max + EPS;
  const spread = `best ${sliceName(g.best)} ${fmt(g.best!.value!)}, worst ${sliceName(g.worst)} ${fmt(g.worst!.value!)}`;
  return {
    ...base,
    value: g.gap,
    champion_value,
    slices,
    passed,
    message: `${rule.metric} differs by ${fmt(g.gap)} across ${rule.column} slices (${spread}), ${passed ? 'within' : 'above'} the maximum ${fmt(rule.max)}`,
  };
}

/** The short form of a passed check for the summary line. */
function brief(c: GateCheck): string {
  if (c.kind === 'min_improvement') {
    if (c.improvement === null || c.improvement === undefined) return `${c.metric}: no champion to beat`;
    return `${c.metric} ${c.improvement >= 0 ? '+' : '−'}${fmt(Math.abs(c.improvement))} on the champion (>= ${fmt(c.threshold)})`;
  }
  if (c.kind === 'max_slice_gap') return `${c.metric} gap ${fmt(c.value ?? 0)} across ${c.column} (<= ${fmt(c.threshold)})`;
  return `${c.metric} ${fmt(c.value!)} ${c.op} ${fmt(c.threshold)}`;
}

/**
 * Judge a model against the whole policy. A metric the model did not produce fails its check.
 * @example buildGateReport(policy, { candidate: { accuracy: 0.81 }, champion: { version: 1, metrics: { accuracy: 0.8 }, recorded: false, isCandidate: false }, slices: [] }).summary
 *   // "failed: accuracy 0.8100 vs the champion (v1) 0.8000: an improvement of only 0.0100 (at least 0.0200 required)"
 */
export function buildGateReport(policy: Pick<ValidationPolicy, 'thresholds' | 'min_improvement' | 'max_slice_gap'>, inputs: GateInputs): GateReport {
  const checks: GateCheck[] = [
    ...thresholdChecks(policy.thresholds, inputs),
    ...Object.entries(policy.min_improvement).map(([metric, delta]) => improvementCheck(metric, delta, inputs)),
    ...policy.max_slice_gap.map((rule, i) => sliceCheck(rule, inputs.slices[i])),
  ];
  const passed = checks.every((c) => c.passed);
  const summary = passed
    ? checks.length === 0
      ? "the project's validation policy sets no checks: nothing to check"
      : `passed: ${checks.map(brief).join(', ')}`
    : `failed: ${checks.filter((c) => !c.passed).map((c) => c.message).join('; ')}`;
  return { passed, checks, summary };
}

/**
 * Only absolute thresholds (no champion, no slices).
 * @example evaluateGate({ accuracy: { min: 0.7 } }, { accuracy: 0.65 }).summary
 *   // "failed: accuracy 0.6500 is below the minimum 0.7000"
 */
export function evaluateGate(thresholds: Thresholds, metrics: Record<string, number>): GateReport {
  return buildGateReport({ thresholds, min_improvement: {}, max_slice_gap: [] }, { candidate: metrics, champion: null, slices: [] });
}
