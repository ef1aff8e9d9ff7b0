// Flywheel's model contract, checked when a version is registered: one input per feature,
// named as the column, shape [N, 1], float for numeric and string for categorical features;
// metadata `flywheel.features`; and either a classifier's outputs `label` and `probabilities`
// with metadata `flywheel.classes`, or a regression model's one numeric output `prediction`
// ([N, 1] or [N], float or double) and no classes.
import { ValidationError } from '../../domain/errors.js';
import type { ModelSignature } from '../../domain/ports/model-runtime.js';
import type { FeatureSpec } from '../../domain/serving.js';

export const FEATURES_KEY = 'flywheel.features';
export const CLASSES_KEY = 'flywheel.classes';

function fail(message: string): never {
  throw new ValidationError(`the model does not follow Flywheel's model contract: ${message}`, { field: 'onnx' });
}

function parseJson(key: string, text: string | undefined): unknown {
  if (text === undefined) fail(`metadata property '${key}' is missing`);
  try {
    return JSON.parse(text);
  } catch {
    return fail(`metadata property '${key}' is not JSON`);
  }
}

function parseFeatures(value: unknown): FeatureSpec[] {
  if (!Array.isArray(value) || value.length === 0) fail(`'${FEATURES_KEY}' must be a non-empty array of {name, kind}`);
  const seen = new Set<string>();
  return value.map((f: unknown, i) => {
    const { name, kind } = (f ?? {}) as { name?: unknown; kind?: unknown };
    if (typeof name !== 'string' || name === '') fail(`'${FEATURES_KEY}'[${i}].name must be a non-empty string`);
    if (kind !== 'numeric' && kind !== 'categorical') fail(`'${FEATURES_KEY}'[${i}].kind must be 'numeric' or 'categorical'`);
    if (seen.has(name)) fail(`feature '${name}' is listed twice`);
    seen.add(name);
    return { name, kind };
  });
}

function parseClasses(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((c) => typeof c === 'string')) {
    fail(`'${CLASSES_KEY}' must be a non-empty array of class labels`);
  }
  return value as string[];
}

/** A regression model's output. */
export const REGRESSION_OUTPUT = 'prediction';
const NUMERIC_OUTPUT_TYPES = new Set(['float32', 'float64']);

/** Whether the signature is a regression model's: output `prediction` and no `label` (nor classes). */
function isRegression(signature: ModelSignature): boolean {
  return signature.metadata[CLASSES_KEY] === undefined && !signature.outputs.includes('label') && signature.outputs.includes(REGRESSION_OUTPUT);
}

/**
 * The features and classes of a model, after checking its signature against the contract; a
 * regression model's classes are empty.
 */
export function checkModelContract(signature: ModelSignature): { features: FeatureSpec[]; classes: string[] } {
  const features = parseFeatures(parseJson(FEATURES_KEY, signature.metadata[FEATURES_KEY]));
  const regression = isRegression(signature);
  const classes = regression ? [] : parseClasses(parseJson(CLASSES_KEY, signature.metadata[CLASSES_KEY]));
  const inputs = new Map(signature.inputs.map((i) => [i.name, i]));
  for (const f of features) {
    const input = inputs.get(f.name);
    if (!input) fail(`feature '${f.name}' has no model input of that name`);
    const want = f.kind === 'numeric' ? 'float32' : 'string';
    if (input.type !== want) fail(`input '${f.name}' is ${input.type}, but a ${f.kind} feature needs ${want}`);
    if (input.shape.length !== 2 || (typeof input.shape[1] === 'number' && input.shape[1] !== 1)) {
      fail(`input '${f.name}' must have shape [N, 1], not [${input.shape.join(', ')}]`);
    }
    inputs.delete(f.name);
  }
  if (inputs.size > 0) fail(`input(s) ${[...inputs.keys()].map((n) => `'${n}'`).join(', ')} are not listed in '${FEATURES_KEY}'`);
  if (regression) {
    const type = signature.outputTypes?.[REGRESSION_OUTPUT];
    if (type !== undefined && !NUMERIC_OUTPUT_TYPES.has(type)) fail(`output '${REGRESSION_OUTPUT}' of a regression model must be float or double, not ${type}`);
    return { features, classes };
  }
  for (const out of ['label', 'probabilities']) {
    if (!signature.outputs.includes(out)) fail(`output '${out}' is missing (a classifier answers 'label' and 'probabilities'; a regression model answers only '${REGRESSION_OUTPUT}')`);
  }
  return { features, classes };
}

/** Declares how the model treats missing numeric values: 'impute' (it replaces or routes NaN itself). */
export const MISSING_KEY = 'flywheel.missing';
/** The model's trainer (metadata written by Flywheel's own exports). */
export const MODEL_KEY = 'flywheel.model';
/**
 * Flywheel's own trainers, whose exported graphs take NaN for a missing number: logistic and
 * linear regression impute the training mean, gradient-boosted trees send it down each split's
 * learned missing-value branch.
 */
const IMPUTING_TRAINERS = new Set(['logistic_regression', 'linear_regression', 'gbdt']);

/**
 * Whether the model imputes missing numeric values (so a null numeric input may be fed as NaN):
 * it says so (`flywheel.missing` = `impute`), or it was exported by one of Flywheel's trainers.
 * A model from elsewhere that says nothing gets finite numbers only.
 */
export function imputesMissing(signature: Pick<ModelSignature, 'metadata'> | undefined): boolean {
  const meta = signature?.metadata ?? {};
  return meta[MISSING_KEY] === 'impute' || IMPUTING_TRAINERS.has(meta[MODEL_KEY] ?? '');
}
