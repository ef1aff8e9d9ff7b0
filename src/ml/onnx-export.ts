// ONNX export of a logistic regression with its preprocessing, built from ai.onnx.ml operators so
// that serving feeds raw rows: one graph input per feature column, outputs `label` and `probabilities`.
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import type { LogisticModel } from './logistic-regression.js';

const { onnx } = onnxProto;

/** ONNX opsets the exported graphs use. */
export const ONNX_OPSET = 17;
export const ONNX_ML_OPSET = 3;
/** IR version 8 (ONNX 1.10+), read by every onnxruntime since 1.10. */
export const ONNX_IR_VERSION = 8;

/** metadata_props keys every exported model carries. */
export const ONNX_METADATA = {
  features: 'flywheel.features',
  classes: 'flywheel.classes',
  model: 'flywheel.model',
} as const;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const STRING = onnx.TensorProto.DataType.STRING;
const A = onnx.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

type Attr = Onnx.IAttributeProto;
const ints = (name: string, v: number): Attr => ({ name, type: A.INT, i: v });
const float = (name: string, v: number): Attr => ({ name, type: A.FLOAT, f: v });
const floats = (name: string, v: ArrayLike<number>): Attr => ({ name, type: A.FLOATS, floats: Array.from(v, Math.fround) });
const str = (name: string, v: string): Attr => ({ name, type: A.STRING, s: utf8.encode(v) });
const strs = (name: string, v: readonly string[]): Attr => ({ name, type: A.STRINGS, strings: v.map((s) => utf8.encode(s)) });

/** A tensor value with a symbolic batch dimension: [N, ...rest]. */
function tensorValue(name: string, elemType: number, rest: number[]): Onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'N' }, ...rest.map((d) => ({ dimValue: d }))] } } },
  };
}

/**
 * Serialise a fitted logistic regression as an ONNX model (protobuf bytes).
 *
 * Graph (opsets ai.onnx 17, ai.onnx.ml 3):
 * - inputs: one per feature, named as the feature, shape [N, 1]; tensor(float) for numeric,
 *   tensor(string) for categorical (send '' for a missing category, NaN for a missing number);
 * - numeric: Concat(axis 1) → Imputer(NaN → training mean) → Scaler(offset = mean, scale = 1/std);
 * - categorical: OneHotEncoder(training categories, zeros = 1: unknown → all zeros) → Flatten;
 * - Concat(axis 1) in the design-matrix order → LinearClassifier(multi_class = 1,
 *   post_transform = SOFTMAX, classlabels_strings = the model's classes);
 * - outputs: `label` tensor(string) [N] and `probabilities` tensor(float) [N, C] (classes in
 *   the model's order);
 * - metadata_props: flywheel.features = JSON [{name, kind}], flywheel.classes = JSON [...],
 *   flywheel.model = 'logistic_regression'.
 * @example
 *   const bytes = exportOnnx(model);
 *   const session = await ort.InferenceSession.create(bytes);
 *   const out = await session.run({ temp_max: new ort.Tensor('float32', Float32Array.of(12.8), [1, 1]),
 *                                   month: new ort.Tensor('string', ['01'], [1, 1]) });
 *   // out.label.data → ['rain'], out.probabilities.data → Float32Array of C values
 */
export function exportOnnx(model: LogisticModel): Uint8Array {
  const { numeric, categorical } = model.preprocessor.state;
  const nodes: Onnx.INodeProto[] = [];
  const blocks: string[] = [];
  // Types of the intermediate tensors, so checkers and viewers can infer through the ai.onnx.ml ops.
  const valueInfo: Onnx.IValueInfoProto[] = [];
  const floatValue = (name: string, rest: number[]) => valueInfo.push(tensorValue(name, FLOAT, rest));
  const node = (opType: string, input: string[], output: string[], attribute: Attr[] = [], domain = '') =>
    nodes.push({ opType, input, output, attribute, domain, name: `flywheel/${opType}_${nodes.length}` });

  if (numeric.length > 0) {
    let raw = numeric[0].name;
    if (numeric.length > 1) {
      raw = 'flywheel/numeric_raw';
      node('Concat', numeric.map((s) => s.name), [raw], [ints('axis', 1)]);
      floatValue(raw, [numeric.length]);
    }
    node('Imputer', [raw], ['flywheel/numeric_imputed'], [floats('imputed_value_floats', numeric.map((s) => s.mean)), float('replaced_value_float', NaN)], 'ai.onnx.ml');
    node('Scaler', ['flywheel/numeric_imputed'], ['flywheel/numeric_scaled'], [floats('offset', numeric.map((s) => s.mean)), floats('scale', numeric.map((s) => 1 / s.std))], 'ai.onnx.ml');
    floatValue('flywheel/numeric_imputed', [numeric.length]);
    floatValue('flywheel/numeric_scaled', [numeric.length]);
    blocks.push('flywheel/numeric_scaled');
  }
  categorical.forEach((s, i) => {
    if (s.categories.length === 0) return; // never seen a value: contributes no design column
    node('OneHotEncoder', [s.name], [`flywheel/onehot_${i}`], [strs('cats_strings', s.categories), ints('zeros', 1)], 'ai.onnx.ml');
    node('Flatten', [`flywheel/onehot_${i}`], [`flywheel/onehot_${i}_2d`], [ints('axis', 1)]);
    floatValue(`flywheel/onehot_${i}`, [1, s.categories.length]);
    floatValue(`flywheel/onehot_${i}_2d`, [s.categories.length]);
    blocks.push(`flywheel/onehot_${i}_2d`);
  });
  node('Concat', blocks, ['flywheel/features'], [ints('axis', 1)]);
  floatValue('flywheel/features', [model.preprocessor.width]);
  node(
    'LinearClassifier',
    ['flywheel/features'],
    ['label', 'probabilities'],
    [
      floats('coefficients', model.coefficients),
      floats('intercepts', model.intercepts),
      ints('multi_class', 1),
      str('post_transform', 'SOFTMAX'),
      strs('classlabels_strings', model.classes),
    ],
    'ai.onnx.ml',
  );

  const features = model.features.map((f) => ({ name: f.name, kind: f.kind }));
  const proto = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: 'flywheel',
    producerVersion: '1',
    domain: 'flywheel',
    modelVersion: 1,
    docString: 'Flywheel multinomial logistic regression with its preprocessing.',
    opsetImport: [
      { domain: '', version: ONNX_OPSET },
      { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET },
    ],
    metadataProps: [
      { key: ONNX_METADATA.features, value: JSON.stringify(features) },
      { key: ONNX_METADATA.classes, value: JSON.stringify(model.classes) },
      { key: ONNX_METADATA.model, value: 'logistic_regression' },
    ],
    graph: {
      name: 'flywheel_logistic_regression',
      node: nodes,
      input: features.map((f) => tensorValue(f.name, f.kind === 'numeric' ? FLOAT : STRING, [1])),
      output: [tensorValue('label', STRING, []), tensorValue('probabilities', FLOAT, [model.classes.length])],
      valueInfo,
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}
