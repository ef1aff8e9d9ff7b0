// ONNX export of a linear (ridge) regression with its preprocessing, so serving feeds raw rows:
// one graph input per feature, output `prediction` [N, 1] (as the gbdt regressor's). The design
// matrix and the product are computed in double, mirroring `LinearModel.predictValues` step by
// step; only the final value is rounded to float32.
import { BOOL, DOUBLE, doubleTensor, encodeModel, FLOAT, GraphBuilder, intAttr, ONNX_METADATA, stringsAttr, tensorValue } from './onnx-builders.js';
import type { LinearModel } from './linear-regression.js';

/**
 * Serialise a fitted linear regression as an ONNX model (protobuf bytes).
 *
 * Graph (opsets ai.onnx 17, ai.onnx.ml 3):
 * - inputs: one per feature, named as the feature, shape [N, 1]; tensor(float) for numeric
 *   (NaN when missing), tensor(string) for categorical ('' when missing);
 * - numeric: Concat → Cast(double) → Where(IsNaN(x), mean, x) → Sub(mean) → Mul(1/std);
 * - categorical: OneHotEncoder(training categories, zeros = 1) → Flatten → Cast(double);
 * - Concat in the design-matrix order → Gemm(W [D, 1], b) in double → Cast(float) → `prediction`;
 * - metadata_props: flywheel.features, flywheel.model = 'linear_regression' (no classes).
 * LinearRegressor (ai.onnx.ml) is not used because it sums in float32, which can be ~1e-5 off
 * the double result for targets of a few tens; here the only rounding is of the final value.
 * @example
 *   const session = await ort.InferenceSession.create(exportLinearOnnx(model));
 *   const out = await session.run({ temp_min: new ort.Tensor('float32', Float32Array.of(5.6), [1, 1]) });
 *   // out.prediction.data → Float32Array [≈ 10.9], dims [1, 1]
 */
export function exportLinearOnnx(model: LinearModel): Uint8Array {
  const { numeric, categorical } = model.preprocessor.state;
  const g = new GraphBuilder();
  const blocks: string[] = [];

  if (numeric.length > 0) {
    const n = numeric.length;
    let raw = numeric[0].name;
    if (n > 1) {
      raw = 'flywheel/numeric_raw';
      g.node('Concat', numeric.map((s) => s.name), [raw], [intAttr('axis', 1)]);
      g.value(raw, FLOAT, [n]);
    }
    g.initializers.push(
      doubleTensor('flywheel/mean', [n], numeric.map((s) => s.mean)),
      doubleTensor('flywheel/inverse_std', [n], numeric.map((s) => 1 / s.std)),
    );
    g.node('Cast', [raw], ['flywheel/numeric_f64'], [intAttr('to', DOUBLE)]);
    g.node('IsNaN', ['flywheel/numeric_f64'], ['flywheel/numeric_missing']);
    g.node('Where', ['flywheel/numeric_missing', 'flywheel/mean', 'flywheel/numeric_f64'], ['flywheel/numeric_imputed']);
    g.node('Sub', ['flywheel/numeric_imputed', 'flywheel/mean'], ['flywheel/numeric_centred']);
    g.node('Mul', ['flywheel/numeric_centred', 'flywheel/inverse_std'], ['flywheel/numeric_scaled']);
    g.value('flywheel/numeric_f64', DOUBLE, [n]);
    g.value('flywheel/numeric_missing', BOOL, [n]);
    for (const name of ['imputed', 'centred', 'scaled']) g.value(`flywheel/numeric_${name}`, DOUBLE, [n]);
    blocks.push('flywheel/numeric_scaled');
  }
  categorical.forEach((s, i) => {
    if (s.categories.length === 0) return; // never seen a value: contributes no design column
    const k = s.categories.length;
    g.node('OneHotEncoder', [s.name], [`flywheel/onehot_${i}`], [stringsAttr('cats_strings', s.categories), intAttr('zeros', 1)], 'ai.onnx.ml');
    g.node('Flatten', [`flywheel/onehot_${i}`], [`flywheel/onehot_${i}_2d`], [intAttr('axis', 1)]);
    g.node('Cast', [`flywheel/onehot_${i}_2d`], [`flywheel/onehot_${i}_f64`], [intAttr('to', DOUBLE)]);
    g.value(`flywheel/onehot_${i}`, FLOAT, [1, k]);
    g.value(`flywheel/onehot_${i}_2d`, FLOAT, [k]);
    g.value(`flywheel/onehot_${i}_f64`, DOUBLE, [k]);
    blocks.push(`flywheel/onehot_${i}_f64`);
  });
  const D = model.preprocessor.width;
  let design = blocks[0];
  if (blocks.length > 1) {
    design = 'flywheel/features';
    g.node('Concat', blocks, [design], [intAttr('axis', 1)]);
    g.value(design, DOUBLE, [D]);
  }
  g.initializers.push(doubleTensor('flywheel/coefficients', [D, 1], model.coefficients), doubleTensor('flywheel/intercept', [1], [model.intercept]));
  g.node('Gemm', [design, 'flywheel/coefficients', 'flywheel/intercept'], ['flywheel/prediction_f64']);
  g.node('Cast', ['flywheel/prediction_f64'], ['prediction'], [intAttr('to', FLOAT)]);
  g.value('flywheel/prediction_f64', DOUBLE, [1]);

  const features = model.features.map((f) => ({ name: f.name, kind: f.kind }));
  return encodeModel({
    graphName: 'flywheel_linear_regression',
    docString: 'Flywheel linear (ridge) regression with its preprocessing.',
    features,
    graph: g,
    outputs: [tensorValue('prediction', FLOAT, [1])],
    metadata: [
      { key: ONNX_METADATA.features, value: JSON.stringify(features) },
      { key: ONNX_METADATA.model, value: 'linear_regression' },
    ],
  });
}
