// Pure statistics on arrays: classification metrics, drift, annotation agreement.
export * from './order.js';
export * from './histogram.js';
export * from './drift.js';
export * from './classification-metrics.js';
export * from './numpy-sum.js';
export * from './class-probabilities.js';
export * from './binary-curve.js';
export * from './roc-auc.js';
export * from './average-precision.js';
export * from './log-loss.js';
export * from './calibration-curve.js';
export * from './expected-calibration-error.js';
export * from './regression-metrics.js';
export * from './slice-metrics.js';
export * from './agreement.js';
export * from './dawid-skene.js';
