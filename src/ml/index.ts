// Built-in trainers on typed arrays: preprocessing, L-BFGS, multinomial logistic regression,
// linear (ridge) regression, histogram-based gradient-boosted trees, ONNX export.
// Metrics (accuracy, F1, …) live in src/stats.
export * from './feature-spec.js';
export * from './preprocessor.js';
export * from './lbfgs.js';
export * from './softmax-objective.js';
export * from './binary-logistic-objective.js';
export * from './logistic-regression.js';
export * from './onnx-export.js';
export * from './ridge-solve.js';
export * from './linear-regression.js';
export * from './linear-onnx-export.js';
export * from './gbdt-params.js';
export * from './gbdt-model.js';
export * from './gbdt-train.js';
export * from './gbdt-onnx-export.js';
