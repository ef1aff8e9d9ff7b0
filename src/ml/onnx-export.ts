// ONNX export of a logistic regression with its preprocessing, built from ai.onnx.ml operators so
// that serving feeds raw rows: one graph input per feature column, outputs `label` and `probabilities`.
import { encodeModel, FLOAT, floatAttr, floatsAttr, GraphBuilder, intAttr, ONNX_METADATA, STRING, stringAttr, stringsAttr, tensorValue } from './onnx-builders.js';
import type { LogisticModel } from './logistic-regression.js';

export { ONNX_IR_VERSION, ONNX_METADATA, ONNX_ML_OPSET, ONNX_OPSET } from './onnx-builders.js';

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
  const g = new GraphBuilder();
  const blocks: string[] = [];

  if (numeric.length > 0) {
    let raw = numeric[0].name;
    if (numeric.length > 1) {
      raw = 'flywheel/numeric_raw';
      g.node('Concat', numeric.map((s) => s.name), [raw], [intAttr('axis', 1)]);
      g.value(raw, FLOAT, [numeric.length]);
    }
    g.node('Imputer', [raw], ['flywheel/numeric_imputed'], [floatsAttr('imputed_value_floats', numeric.map((s) => s.mean)), floatAttr('replaced_value_float', NaN)], 'ai.onnx.ml');
    g.node('Scaler', ['flywheel/numeric_imputed'], ['flywheel/numeric_scaled'], [floatsAttr('offset', numeric.map((s) => s.mean)), floatsAttr('scale', numeric.map((s) => 1 / s.std))], 'ai.onnx.ml');
    g.value('flywheel/numeric_imputed', FLOAT, [numeric.length]);
    g.value('flywheel/numeric_scaled', FLOAT, [numeric.length]);
    blocks.push('flywheel/numeric_scaled');
  }
  categorical.forEach((s, i) => {
    if (s.categories.length === 0) return; // never seen a value: contributes no design column
    g.node('OneHotEncoder', [s.name], [`flywheel/onehot_${i}`], [stringsAttr('cats_strings', s.categories), intAttr('zeros', 1)], 'ai.onnx.ml');
    g.node('Flatten', [`flywheel/onehot_${i}`], [`flywheel/onehot_${i}_2d`], [intAttr('axis', 1)]);
    g.value(`flywheel/onehot_${i}`, FLOAT, [1, s.categories.length]);
    g.value(`flywheel/onehot_${i}_2d`, FLOAT, [s.categories.length]);
    blocks.push(`flywheel/onehot_${i}_2d`);
  });
  g.node('Concat', blocks, ['flywheel/features'], [intAttr('axis', 1)]);
  g.value('flywheel/features', FLOAT, [model.preprocessor.width]);
  g.node(
    'LinearClassifier',
    ['flywheel/features'],
    ['label', 'probabilities'],
    [
      floatsAttr('coefficients', model.coefficients),
      floatsAttr('intercepts', model.intercepts),
      intAttr('multi_class', 1),
      stringAttr('post_transform', 'SOFTMAX'),
      stringsAttr('classlabels_strings', model.classes),
    ],
    'ai.onnx.ml',
  );

  const features = model.features.map((f) => ({ name: f.name, kind: f.kind }));
  return encodeModel({
    graphName: 'flywheel_logistic_regression',
    docString: 'Flywheel multinomial logistic regression with its preprocessing.',
    features,
    graph: g,
    outputs: [tensorValue('label', STRING, []), tensorValue('probabilities', FLOAT, [model.classes.length])],
    metadata: [
      { key: ONNX_METADATA.features, value: JSON.stringify(features) },
      { key: ONNX_METADATA.classes, value: JSON.stringify(model.classes) },
      { key: ONNX_METADATA.model, value: 'logistic_regression' },
    ],
  });
}
