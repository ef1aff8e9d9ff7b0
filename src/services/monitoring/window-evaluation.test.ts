import { describe, expect, it } from 'vitest';
import { driftStatistics } from '../../stats/index.js';
import { evaluateWindow } from './window-evaluation.js';
import { monthsBetween, monthLabel } from './windows.js';

describe('evaluateWindow', () => {
  const reference = { t: Array.from({ length: 200 }, (_, i) => i % 40) };

  it('raises a drift alert exactly when PSI crosses the threshold', () => {
    const same = evaluateWindow({ reference, current: { t: reference.t }, labelled: { predicted: [], actual: [] }, psiThreshold: 0.2, tolerance: 0.05, baseline: {} });
    expect(same.drift.t).toBeCloseTo(0, 12);
    expect(same.alerts).toEqual([]);
    const shifted = { t: reference.t.map((v) => v + 25) };
    const psi = driftStatistics(reference.t, shifted.t, 'numeric').psi;
    const out = evaluateWindow({ reference, current: shifted, labelled: { predicted: [], actual: [] }, psiThreshold: 0.2, tolerance: 0.05, baseline: {} });
    expect(out.drift.t).toBe(psi);
    expect(psi).toBeGreaterThan(0.2);
    expect(out.alerts).toEqual([expect.objectContaining({ kind: 'drift', metric: 'psi.t', value: psi, threshold: 0.2 })]);
    const lenient = evaluateWindow({ reference, current: shifted, labelled: { predicted: [], actual: [] }, psiThreshold: psi, tolerance: 0.05, baseline: {} });
    expect(lenient.alerts).toEqual([]);
  });

  it('judges performance on labelled feedback against baseline − tolerance', () => {
    const labelled = { predicted: ['a', 'a', 'b', 'b'], actual: ['a', 'b', 'b', 'b'] };
    const ok = evaluateWindow({ reference: {}, current: {}, labelled, psiThreshold: 0.2, tolerance: 0.05, baseline: { accuracy: 0.79 } });
    expect(ok.performance!.accuracy).toBe(0.75);
    expect(ok.alerts).toEqual([]);
    const bad = evaluateWindow({ reference: {}, current: {}, labelled, psiThreshold: 0.2, tolerance: 0.05, baseline: { accuracy: 0.81 } });
    expect(bad.alerts).toEqual([expect.objectContaining({ kind: 'performance', metric: 'accuracy', value: 0.75 })]);
    expect(bad.alerts[0].threshold).toBeCloseTo(0.76, 12);
    const none = evaluateWindow({ reference: {}, current: {}, labelled: { predicted: [], actual: [] }, psiThreshold: 0.2, tolerance: 0.05, baseline: { accuracy: 0.9 } });
    expect(none.performance).toBeNull();
  });
});

describe('monthsBetween', () => {
  it('lists calendar months in UTC', () => {
    const ws = monthsBetween(Date.UTC(2014, 0, 1), Date.UTC(2016, 0, 1));
    expect(ws).toHaveLength(24);
    expect(monthLabel(ws[0])).toBe('2014-01');
    expect(monthLabel(ws[23])).toBe('2015-12');
    expect(ws[1].start).toBe(ws[0].end);
  });
});

describe('evaluateWindow for a regression model', () => {
  it('measures MAE, RMSE, R² and MAPE on numeric feedback, and alerts when an error rises above baseline + tolerance', () => {
    const values = { predicted: [10, 12, 8, 15], actual: [11, 12, 6, 15] };
    const base = { reference: {}, current: {}, labelled: { predicted: [], actual: [] }, values, psiThreshold: 0.2, tolerance: 0.5 };
    const ok = evaluateWindow({ ...base, baseline: { mae: 0.5, rmse: 1.2, r2: 0.5 } });
    expect(ok.performance).toMatchObject({ mae: 0.75, mape: (1 / 11 + 2 / 6) / 4 });
    expect(ok.performance!.rmse).toBeCloseTo(Math.sqrt(5 / 4), 12);
    expect(ok.alerts).toEqual([]);
    const bad = evaluateWindow({ ...base, tolerance: 0.05, baseline: { mae: 0.2, r2: 0.99 } });
    expect(bad.alerts.map((a) => a.metric)).toEqual(['mae', 'r2']);
    expect(bad.alerts[0]).toMatchObject({ kind: 'performance', value: 0.75 });
    expect(bad.alerts[0].threshold).toBeCloseTo(0.25, 12);
    expect(bad.alerts[0].message).toBe('mae 0.750 rose above 0.250 (baseline 0.200 + tolerance 0.05; lower is better)');
    expect(bad.alerts[1].message).toBe('r2 0.881 fell below 0.940 (baseline 0.990 − tolerance 0.05)');
  });
});
