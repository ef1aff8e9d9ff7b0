// Open Inference Protocol (V2) tensors ↔ Flywheel's model contract. A model takes one input
// tensor per feature, shape [N, 1] (or [N]): FP32 for numeric features (other numeric
// datatypes are accepted and read as numbers), BYTES for categorical ones. A classifier answers
// `label` (BYTES [N]) and `probabilities` (FP32 [N, C], row-major, classes in the model's order);
// a regression model answers `prediction` (FP32, or FP64 when the model outputs doubles, [N, 1]).
// A bad tensor (missing, unknown, wrong datatype, shape that does not match its data, rows
// that disagree) fails with a ValidationError naming it; nothing is predicted.
import { ValidationError } from '../../domain/errors.js';
import type { FeatureSpec } from '../../domain/serving.js';
import type { PredictBody } from '../../services/serving/predict-input.js';

export interface TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

export interface ResponseTensor extends TensorMetadata {
  data: Array<string | number>;
}

export const OUTPUT_NAMES = ['label', 'probabilities'] as const;
/** A regression model's one output. */
export const REGRESSION_OUTPUT_NAMES = ['prediction'] as const;

/** What the output tensors depend on: the task, the classes, a regression model's value type. */
export interface OutputModel {
  task: 'classification' | 'regression';
  classes: string[];
  value_type: 'float32' | 'float64' | null;
}

const valueDatatype = (m: Pick<OutputModel, 'value_type'>) => (m.value_type === 'float64' ? 'FP64' : 'FP32');
const outputNames = (m: Pick<OutputModel, 'task'>): readonly string[] => (m.task === 'regression' ? REGRESSION_OUTPUT_NAMES : OUTPUT_NAMES);

const NUMERIC_TYPES = new Set(['FP32', 'FP64', 'FP16', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64']);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(field: string, message: string): never {
  throw new ValidationError(`${field} ${message}`, { field });
}

/** The model's input and output tensors as OIP model metadata describes them. */
export function tensorMetadata(features: FeatureSpec[], model: OutputModel): { inputs: TensorMetadata[]; outputs: TensorMetadata[] } {
  return {
    inputs: features.map((f) => ({ name: f.name, datatype: f.kind === 'numeric' ? 'FP32' : 'BYTES', shape: [-1, 1] })),
    outputs:
      model.task === 'regression'
        ? [{ name: 'prediction', datatype: valueDatatype(model), shape: [-1, 1] }]
        : [
            { name: 'label', datatype: 'BYTES', shape: [-1] },
            { name: 'probabilities', datatype: 'FP32', shape: [-1, model.classes.length] },
          ],
  };
}

function flatten(data: unknown[], out: unknown[] = []): unknown[] {
  for (const v of data) if (Array.isArray(v)) flatten(v, out);
  else out.push(v);
  return out;
}

/** Check an inference request's input tensors against the features and build the predict body (columns + rows). */
export function inferInputs(body: unknown, features: FeatureSpec[]): PredictBody {
  if (!isPlainObject(body)) bad('body', 'must be an inference request object {"inputs": [...]}');
  const inputs = body.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) bad('inputs', 'must be a non-empty array of tensors {name, shape, datatype, data}');
  const byName = new Map<string, unknown[]>();
  let rows: number | undefined;
  let first = '';
  inputs.forEach((t: unknown, j) => {
    const at = `inputs[${j}]`;
    if (!isPlainObject(t)) bad(at, 'must be a tensor object {name, shape, datatype, data}');
    const { name, shape, datatype, data } = t;
    if (typeof name !== 'string' || name === '') bad(`${at}.name`, 'must be a non-empty string');
    const feature = features.find((f) => f.name === name);
    if (!feature) bad(`input '${name}'`, `is not an input of the model (its inputs: ${features.map((f) => f.name).join(', ')})`);
    if (byName.has(name)) bad(`input '${name}'`, 'is given twice');
    if (typeof datatype !== 'string') bad(`input '${name}'.datatype`, 'must be a string such as FP32 or BYTES');
    if (feature.kind === 'numeric' && !NUMERIC_TYPES.has(datatype)) bad(`input '${name}'.datatype`, `is ${datatype}, but the model takes FP32 (a numeric feature)`);
    if (feature.kind === 'categorical' && datatype !== 'BYTES') bad(`input '${name}'.datatype`, `is ${datatype}, but the model takes BYTES (a categorical feature)`);
    if (!Array.isArray(shape) || shape.length === 0 || shape.length > 2 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      bad(`input '${name}'.shape`, 'must be [N] or [N, 1] with non-negative integers');
    }
    if (shape.length === 2 && shape[1] !== 1) bad(`input '${name}'.shape`, `is [${shape.join(', ')}], but the model takes [N, 1]`);
    if (!Array.isArray(data)) bad(`input '${name}'.data`, 'must be an array of values');
    const flat = flatten(data);
    const n = shape[0] as number;
    if (flat.length !== n) bad(`input '${name}'.data`, `has ${flat.length} elements but shape [${shape.join(', ')}] needs ${n}`);
    flat.forEach((v, i) => {
      if (feature.kind === 'numeric' && (typeof v !== 'number' || !Number.isFinite(v))) bad(`input '${name}'.data[${i}]`, `must be a number (${datatype}), got ${JSON.stringify(v)}`);
      if (feature.kind === 'categorical' && typeof v !== 'string') bad(`input '${name}'.data[${i}]`, `must be a string (BYTES), got ${JSON.stringify(v)}`);
    });
    if (rows === undefined) {
      rows = n;
      first = name;
    } else if (n !== rows) bad(`input '${name}'.shape`, `has ${n} rows but input '${first}' has ${rows}`);
    byName.set(name, flat);
  });
  for (const f of features) if (!byName.has(f.name)) bad(`input '${f.name}'`, `is missing: the model needs one tensor per feature (${features.map((x) => x.name).join(', ')})`);
  if (!rows) bad('inputs', 'hold no rows: send at least one');
  const columns = features.map((f) => f.name);
  const cols = columns.map((c) => byName.get(c)!);
  const data = Array.from({ length: rows }, (_, i) => cols.map((col) => col[i]));
  return { columns, data };
}

/** The output names the request asks for (all of the model's when it names none); a 400 for an unknown one. */
export function requestedOutputs(body: Record<string, unknown>, model: Pick<OutputModel, 'task'> = { task: 'classification' }): Set<string> {
  const known = outputNames(model);
  const outputs = body.outputs;
  if (outputs === undefined || outputs === null) return new Set(known);
  if (!Array.isArray(outputs)) bad('outputs', 'must be an array of {name}');
  const names = new Set<string>();
  outputs.forEach((o: unknown, j) => {
    const name = isPlainObject(o) ? o.name : undefined;
    if (typeof name !== 'string' || !known.includes(name)) {
      bad(`outputs[${j}].name`, `must be one of the model's outputs: ${known.join(', ')}`);
    }
    names.add(name);
  });
  return names;
}

type ClassRow = { label: string; probabilities: Record<string, number> };

/**
 * The response tensors for predictions: a classifier's labels and class probabilities (in
 * `classes` order), or a regression model's values (FP32 or FP64 as the model outputs them; a
 * value that is not finite is null, as JSON has no NaN).
 */
export function outputTensors(predictions: Array<ClassRow | { value: number | null }>, model: OutputModel, wanted: Set<string>): ResponseTensor[] {
  const n = predictions.length;
  if (model.task === 'regression') {
    if (!wanted.has('prediction')) return [];
    const data = predictions.map((p) => ('value' in p ? p.value : null)) as number[];
    return [{ name: 'prediction', datatype: valueDatatype(model), shape: [n, 1], data }];
  }
  return classTensors(predictions as ClassRow[], model.classes, wanted);
}

function classTensors(predictions: ClassRow[], classes: string[], wanted: Set<string>): ResponseTensor[] {
  const n = predictions.length;
  const out: ResponseTensor[] = [];
  if (wanted.has('label')) out.push({ name: 'label', datatype: 'BYTES', shape: [n], data: predictions.map((p) => p.label) });
  if (wanted.has('probabilities')) {
    const data: number[] = new Array(n * classes.length);
    predictions.forEach((p, i) => classes.forEach((c, k) => (data[i * classes.length + k] = p.probabilities[c])));
    out.push({ name: 'probabilities', datatype: 'FP32', shape: [n, classes.length], data });
  }
  return out;
}
