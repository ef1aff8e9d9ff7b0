// Pure statistics on arrays: classification metrics, drift, annotation agreement.
export * from './order.js';
export * from './histogram.js';
export * from './drift.js';
export * from './classification-metrics.js';
export * from './agreement.js';
