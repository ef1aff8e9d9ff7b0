import { describe, expect, it } from 'vitest';
import { metricDirection } from './metric-direction.js';

describe('metricDirection', () => {
  it('knows scores go up and losses go down', () => {
    for (const m of ['accuracy', 'auc', 'f1', 'macro_f1', 'f1.rain', 'r2', 'precision.sun']) expect(metricDirection(m), m).toBe('higher');
    for (const m of ['log_loss', 'mae', 'rmse', 'mape', 'ece']) expect(metricDirection(m), m).toBe('lower');
    expect(metricDirection('latency')).toBeUndefined();
  });
});
