// The exported ridge regression, run in onnxruntime-node, gives the in-process predictions within
// 1e-5 on every seattle-weather row, with missing numbers and unseen categories, and for models
// with only numeric or only categorical features; the graph passes onnx.checker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { pythonHas, runPythonJson } from '../../test/fixtures/ml/python.js';
import { loadSeattleWeather } from '../../test/fixtures/ml/seattle-weather.js';
import type { Columns, FeatureSpec } from './feature-spec.js';
import { exportLinearOnnx } from './linear-onnx-export.js';
import { fitLinearRegression, type LinearModel } from './linear-regression.js';

const HAS_ONNX_CHECKER = pythonHas('/usr/bin/python3', ['onnx']);
if (!HAS_ONNX_CHECKER) console.warn('SKIPPED: onnx.checker cross-check — /usr/bin/python3 has no onnx (apt-get install -y python3-onnx)');

const FEATURES: FeatureSpec[] = [
  { name: 'precipitation', kind: 'numeric' },
  { name: 'temp_min', kind: 'numeric' },
  { name: 'wind', kind: 'numeric' },
  { name: 'month', kind: 'categorical' },
];

function feeds(features: readonly FeatureSpec[], columns: Columns): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const f of features) {
    const col = Array.from(columns[f.name] as ArrayLike<number | string | null | undefined>);
    out[f.name] =
      f.kind === 'numeric'
        ? new ort.Tensor('float32', Float32Array.from(col, (v) => (v === null || v === undefined ? NaN : Number(v))), [col.length, 1])
        : new ort.Tensor('string', col.map((v) => (v === null || v === undefined ? '' : String(v))), [col.length, 1]);
  }
  return out;
}

/** Max |ONNX − in-process| over the rows; the ONNX output must be [N, 1]. */
async function maxDifference(model: LinearModel, columns: Columns): Promise<number> {
  const session = await ort.InferenceSession.create(exportLinearOnnx(model));
  expect(session.inputNames).toEqual(model.features.map((f) => f.name));
  expect(session.outputNames).toEqual(['prediction']);
  const out = (await session.run(feeds(model.features, columns))).prediction;
  const ours = model.predictValues(columns);
  expect(out.dims).toEqual([ours.length, 1]);
  const got = out.data as Float32Array;
  let max = 0;
  for (let i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(got[i] - ours[i]));
  return max;
}

describe('linear regression ONNX export', () => {
  const sw = loadSeattleWeather();
  const columns = sw as unknown as Columns;
  const model = fitLinearRegression({ features: FEATURES, columns, target: sw.temp_max }, { l2: 1 });

  it('matches predictValues on every seattle-weather row within 1e-5, with deterministic bytes', async () => {
    const diff = await maxDifference(model, columns);
    console.info(`seattle-weather temp_max: ${sw.temp_max.length} rows, max |ONNX − in-process| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-5);
    expect(exportLinearOnnx(model)).toEqual(exportLinearOnnx(model));
  });

  it('imputes missing numbers with the training mean and maps unseen categories to zeros, as in-process', async () => {
    const odd = {
      precipitation: [0, null, 5.5, NaN, null],
      temp_min: [5, NaN, 8, -2, null],
      wind: [3, 2, null, NaN, null],
      month: ['13', null, '07', 'unknown', ''],
    };
    expect(await maxDifference(model, odd)).toBeLessThan(1e-5);
    // The all-missing last row predicts the intercept: every number at its mean, no category.
    expect(model.predictValues(odd)[4]).toBeCloseTo(model.intercept, 12);
  });

  it('exports models with only numeric or only categorical features', async () => {
    for (const features of [FEATURES.slice(0, 3), FEATURES.slice(3), FEATURES.slice(1, 2)]) {
      const m = fitLinearRegression({ features, columns, target: sw.temp_max }, { l2: 0.1 });
      expect(await maxDifference(m, columns)).toBeLessThan(1e-5);
    }
  });

  it.skipIf(!HAS_ONNX_CHECKER)('passes onnx.checker.check_model(full_check=True) with the regression contract', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flywheel-onnx-linear-'));
    try {
      const file = join(dir, 'model.onnx');
      writeFileSync(file, exportLinearOnnx(model));
      const info = runPythonJson<{ outputs: [string, number, (string | number)[]][]; meta: Record<string, string> }>(
        '/usr/bin/python3',
        `import onnx
m = onnx.load(INPUT)
onnx.checker.check_model(m, full_check=True)
vi = lambda v: [v.name, v.type.tensor_type.elem_type, [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]]
print(json.dumps({"outputs": [vi(v) for v in m.graph.output], "meta": {p.key: p.value for p in m.metadata_props}}))`,
        file,
      );
      expect(info.outputs).toEqual([['prediction', 1, ['N', 1]]]);
      expect(info.meta).toEqual({ 'flywheel.features': JSON.stringify(FEATURES), 'flywheel.model': 'linear_regression' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
