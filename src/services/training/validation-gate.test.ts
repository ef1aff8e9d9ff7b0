import { describe, expect, it } from 'vitest';
import { buildGateReport, evaluateGate, sliceGap, type GateInputs } from './validation-gate.js';

const policy = (p: Partial<Parameters<typeof buildGateReport>[0]>) => ({ thresholds: {}, min_improvement: {}, max_slice_gap: [], ...p });
const champion = (metrics: Record<string, number>, extra: Partial<NonNullable<GateInputs['champion']>> = {}) => ({ version: 1, metrics, recorded: false, isCandidate: false, ...extra });

describe('evaluateGate (thresholds only)', () => {
  it('passes when every metric meets its bound, and says so', () => {
    const r = evaluateGate({ accuracy: { min: 0.7 }, macro_f1: { min: 0.4 }, log_loss: { max: 1 } }, { accuracy: 0.8, macro_f1: 0.4, log_loss: 0.9 });
    expect(r.passed).toBe(true);
    expect(r.checks.map((c) => c.passed)).toEqual([true, true, true]);
    expect(r.summary).toBe('passed: accuracy 0.8000 >= 0.7000, macro_f1 0.4000 >= 0.4000, log_loss 0.9000 <= 1');
    expect(r.checks[0]).toMatchObject({ kind: 'threshold', message: 'accuracy 0.8000 meets the minimum 0.7000', champion_value: null });
  });

  it('fails with one readable reason per failed check, including unmeasured metrics', () => {
    const r = evaluateGate({ accuracy: { min: 0.7 }, macro_f1: { min: 0.5 }, auc: { min: 0.8 } }, { accuracy: 0.65, macro_f1: 0.6 });
    expect(r.passed).toBe(false);
    expect(r.summary).toBe('failed: accuracy 0.6500 is below the minimum 0.7000; auc was not measured (minimum 0.8000)');
    expect(r.checks.find((c) => c.metric === 'auc')).toMatchObject({ value: null, passed: false });
  });

  it('passes trivially without checks, saying nothing was checked', () => {
    expect(evaluateGate({}, { accuracy: 0.1 })).toEqual({ passed: true, checks: [], summary: "the project's validation policy sets no checks: nothing to check" });
  });
});

describe('minimum improvement over the champion', () => {
  it('measures the improvement in the good direction: higher for accuracy, lower for log loss', () => {
    const r = buildGateReport(policy({ min_improvement: { accuracy: 0.02, log_loss: 0.05 } }), {
      candidate: { accuracy: 0.85, log_loss: 0.5 },
      champion: champion({ accuracy: 0.8, log_loss: 0.6 }),
      slices: [],
    });
    expect(r.passed).toBe(true);
    const [acc, loss] = r.checks;
    expect(acc).toMatchObject({ kind: 'min_improvement', metric: 'accuracy', value: 0.85, champion_value: 0.8, threshold: 0.02, passed: true });
    expect(acc.improvement).toBeCloseTo(0.05, 12);
    expect(loss.improvement).toBeCloseTo(0.1, 12);
    expect(loss.message).toBe('log_loss 0.5000 vs the champion (v1) 0.6000: an improvement of 0.1000 (at least 0.0500 required, lower is better)');
  });

  it('fails a candidate that improves too little or gets worse, naming both values', () => {
    const r = buildGateReport(policy({ min_improvement: { accuracy: 0.02, log_loss: 0 } }), {
      candidate: { accuracy: 0.81, log_loss: 0.7 },
      champion: champion({ accuracy: 0.8, log_loss: 0.6 }),
      slices: [],
    });
    expect(r.passed).toBe(false);
    expect(r.checks[0].message).toBe('accuracy 0.8100 vs the champion (v1) 0.8000: an improvement of only 0.0100 (at least 0.0200 required)');
    expect(r.checks[1].message).toBe('log_loss 0.7000 vs the champion (v1) 0.6000: 0.1000 worse (at least 0 required, lower is better)');
    expect(r.summary).toBe(`failed: ${r.checks[0].message}; ${r.checks[1].message}`);
  });

  it('allows a bounded regression with a negative minimum, and says the champion value was the recorded one', () => {
    const r = buildGateReport(policy({ min_improvement: { accuracy: -0.01 } }), { candidate: { accuracy: 0.795 }, champion: champion({ accuracy: 0.8 }, { recorded: true }), slices: [] });
    expect(r.passed).toBe(true);
    expect(r.checks[0].message).toBe('accuracy 0.7950 vs the champion (v1) 0.8000 (its recorded accuracy): 0.0050 worse (a regression of at most 0.0100 allowed)');
  });

  it('passes without a champion, or when the candidate is the champion itself; fails when the champion lacks the metric', () => {
    expect(buildGateReport(policy({ min_improvement: { accuracy: 0.02 } }), { candidate: { accuracy: 0.5 }, champion: null, slices: [] }).checks[0]).toMatchObject({
      passed: true,
      message: 'no champion yet: accuracy has nothing to improve on',
    });
    expect(buildGateReport(policy({ min_improvement: { accuracy: 0.02 } }), { candidate: { accuracy: 0.5 }, champion: champion({ accuracy: 0.5 }, { isCandidate: true }), slices: [] }).passed).toBe(true);
    const r = buildGateReport(policy({ min_improvement: { auc: 0.01 } }), { candidate: { auc: 0.9 }, champion: champion({ accuracy: 0.8 }), slices: [] });
    expect(r.checks[0]).toMatchObject({ passed: false, champion_value: null, message: 'auc of the champion (v1) is not known, so the improvement cannot be measured (at least 0.0100 required)' });
  });
});

describe('maximum gap between slices', () => {
  const rule = { metric: 'accuracy', column: 'station', max: 0.1, min_rows: 10 };

  it('computes the gap over slices with enough rows, and fails above the maximum', () => {
    const slices = [
      { slice: 'north', n: 40, value: 0.95 },
      { slice: 'south', n: 40, value: 0.65 },
      { slice: 'east', n: 3, value: 0 },
    ];
    expect(sliceGap(slices, 10)).toMatchObject({ counted: 2, best: { slice: 'north' }, worst: { slice: 'south' } });
    const r = buildGateReport(policy({ max_slice_gap: [rule] }), { candidate: {}, champion: null, slices: [{ candidate: slices, champion: null, error: null }] });
    expect(r.passed).toBe(false);
    expect(r.checks[0]).toMatchObject({ kind: 'max_slice_gap', column: 'station', op: '<=', threshold: 0.1, passed: false });
    expect(r.checks[0].value).toBeCloseTo(0.3, 12);
    expect(r.checks[0].message).toBe('accuracy differs by 0.3000 across station slices (best north 0.9500, worst south 0.6500), above the maximum 0.1000');
  });

  it('passes within the maximum, reports the champion gap, and fails when the slices could not be measured', () => {
    const cand = [
      { slice: 'north', n: 40, value: 0.9 },
      { slice: null, n: 12, value: 0.85 },
    ];
    const champ = [
      { slice: 'north', n: 40, value: 0.9 },
      { slice: null, n: 12, value: 0.7 },
    ];
    const ok = buildGateReport(policy({ max_slice_gap: [rule] }), { candidate: {}, champion: null, slices: [{ candidate: cand, champion: champ, error: null }] });
    expect(ok.passed).toBe(true);
    expect(ok.checks[0].champion_value).toBeCloseTo(0.2, 12);
    expect(ok.checks[0].message).toContain('worst (missing) 0.8500');
    const missing = buildGateReport(policy({ max_slice_gap: [rule] }), { candidate: {}, champion: null, slices: [{ candidate: null, champion: null, error: "'station' is not a column" }] });
    expect(missing.checks[0]).toMatchObject({ passed: false, value: null, message: "accuracy across station slices was not measured: 'station' is not a column" });
  });
});

describe('a regression model by the gate', () => {
  it('judges RMSE, MAE and MAPE with lower better: thresholds as maxima, improvement as the drop from the champion', () => {
    const r = buildGateReport(policy({ thresholds: { rmse: { max: 3 }, r2: { min: 0.5 } }, min_improvement: { rmse: 0.2, mape: 0.01 } }), {
      candidate: { rmse: 2.5, mae: 2, r2: 0.7, mape: 0.12 },
      champion: champion({ rmse: 2.6, mae: 2.1, r2: 0.68, mape: 0.2 }),
      slices: [],
    });
    expect(r.checks.map((c) => [c.metric, c.passed])).toEqual([
      ['rmse', true],
      ['r2', true],
      ['rmse', false],
      ['mape', true],
    ]);
    expect(r.checks[2].improvement).toBeCloseTo(0.1, 12);
    expect(r.checks[2].message).toBe('rmse 2.5000 vs the champion (v1) 2.6000: an improvement of only 0.1000 (at least 0.2000 required, lower is better)');
    expect(r.checks[3].improvement).toBeCloseTo(0.08, 12);
    const worse = buildGateReport(policy({ min_improvement: { mae: 0 } }), { candidate: { mae: 2.5 }, champion: champion({ mae: 2 }), slices: [] });
    expect(worse.summary).toBe('failed: mae 2.5000 vs the champion (v1) 2: 0.5000 worse (at least 0 required, lower is better)');
  });

  it('names the slice with the lowest error the best one', () => {
    const slices = [
      { slice: 'rain', n: 30, value: 1.5 },
      { slice: 'sun', n: 40, value: 3.25 },
    ];
    expect(sliceGap(slices, 10, 'lower')).toMatchObject({ gap: 1.75, best: { slice: 'rain' }, worst: { slice: 'sun' } });
    const r = buildGateReport(policy({ max_slice_gap: [{ metric: 'mae', column: 'weather', max: 1 }] }), { candidate: {}, champion: null, slices: [{ candidate: slices, champion: null, error: null }] });
    expect(r.checks[0].message).toBe('mae differs by 1.7500 across weather slices (best rain 1.5000, worst sun 3.2500), above the maximum 1');
  });
});
