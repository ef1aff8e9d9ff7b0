import { describe, expect, it } from 'vitest';
import { evaluateGate } from './validation-gate.js';

describe('evaluateGate', () => {
  it('passes when every metric meets its bound, and says so', () => {
    const r = evaluateGate({ accuracy: { min: 0.7 }, macro_f1: { min: 0.4 }, log_loss: { max: 1 } }, { accuracy: 0.8, macro_f1: 0.4, log_loss: 0.9 });
    expect(r.passed).toBe(true);
    expect(r.checks.map((c) => c.passed)).toEqual([true, true, true]);
    expect(r.summary).toBe('passed: accuracy 0.8000 >= 0.7000, macro_f1 0.4000 >= 0.4000, log_loss 0.9000 <= 1');
  });

  it('fails with one readable reason per failed check, including unmeasured metrics', () => {
    const r = evaluateGate({ accuracy: { min: 0.7 }, macro_f1: { min: 0.5 }, auc: { min: 0.8 } }, { accuracy: 0.65, macro_f1: 0.6 });
    expect(r.passed).toBe(false);
    expect(r.summary).toBe('failed: accuracy 0.6500 is below the minimum 0.7000; auc was not measured (minimum 0.8000)');
    expect(r.checks.find((c) => c.metric === 'auc')).toMatchObject({ value: null, passed: false });
  });

  it('passes trivially without thresholds, saying nothing was checked', () => {
    expect(evaluateGate({}, { accuracy: 0.1 })).toEqual({ passed: true, checks: [], summary: 'no thresholds are set for this project: nothing to check' });
  });
});
