// Built-in trainers on typed arrays: preprocessing, L-BFGS, multinomial logistic regression, ONNX export.
// Metrics (accuracy, F1, …) live in src/stats.
export * from './feature-spec.js';
export * from './preprocessor.js';
export * from './lbfgs.js';
export * from './softmax-objective.js';
export * from './logistic-regression.js';
export * from './onnx-export.js';
