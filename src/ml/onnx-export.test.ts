// The exported ONNX graph, run in onnxruntime-node, gives the in-process predictions: every row
// of seattle-weather, unseen categories and missing values, and a binary problem.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { pythonHas, runPythonJson } from '../../test/fixtures/ml/python.js';
import { loadSeattleWeather } from '../../test/fixtures/ml/seattle-weather.js';
import type { Columns, FeatureSpec } from './feature-spec.js';
import { fitLogisticRegression, LogisticModel } from './logistic-regression.js';
import { exportOnnx, ONNX_METADATA } from './onnx-export.js';

const HAS_ONNX_CHECKER = pythonHas('/usr/bin/python3', ['onnx']);
if (!HAS_ONNX_CHECKER) console.warn('SKIPPED: onnx.checker cross-check — /usr/bin/python3 has no onnx (apt-get install -y python3-onnx)');

const FEATURES: FeatureSpec[] = [
  { name: 'precipitation', kind: 'numeric' },
  { name: 'temp_max', kind: 'numeric' },
  { name: 'temp_min', kind: 'numeric' },
  { name: 'wind', kind: 'numeric' },
  { name: 'month', kind: 'categorical' },
];

/** Raw columns as ONNX feeds: [N, 1] float32 (missing → NaN) or string (missing → ''). */
function feeds(features: FeatureSpec[], columns: Columns): Record<string, ort.Tensor> {
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

async function runOnnx(model: LogisticModel, columns: Columns) {
  const session = await ort.InferenceSession.create(exportOnnx(model));
  const out = await session.run(feeds([...model.features], columns));
  return { session, label: out.label, probabilities: out.probabilities };
}

function expectSamePredictions(model: LogisticModel, columns: Columns, onnx: { label: ort.Tensor; probabilities: ort.Tensor }) {
  const ours = model.predictProba(columns);
  const rows = ours.labels.length;
  expect(onnx.probabilities.dims).toEqual([rows, model.classes.length]);
  expect(onnx.label.dims).toEqual([rows]);
  const probs = onnx.probabilities.data as Float32Array;
  let maxDiff = 0;
  for (let i = 0; i < ours.probabilities.length; i++) maxDiff = Math.max(maxDiff, Math.abs(probs[i] - ours.probabilities[i]));
  expect(maxDiff).toBeLessThan(1e-5);
  expect(onnx.label.data as string[]).toEqual(ours.labels);
  return maxDiff;
}

describe('ONNX export', () => {
  const sw = loadSeattleWeather();
  const model = fitLogisticRegression({ features: FEATURES, columns: sw as unknown as Columns, target: sw.weather });

  it('declares one input per feature and the label/probabilities outputs, with metadata', async () => {
    const session = await ort.InferenceSession.create(exportOnnx(model));
    expect(session.inputNames).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind', 'month']);
    expect(session.outputNames).toEqual(['label', 'probabilities']);
    const bytes = exportOnnx(model);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(ONNX_METADATA.features);
    expect(text).toContain(JSON.stringify(FEATURES));
    expect(text).toContain(JSON.stringify(model.classes));
    expect(text).toContain('logistic_regression');
    expect(exportOnnx(model)).toEqual(bytes); // deterministic bytes
  });

  it('matches predictProba on every seattle-weather row (probabilities within 1e-5, same labels)', async () => {
    const onnx = await runOnnx(model, sw as unknown as Columns);
    expect(model.classes).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);
    const maxDiff = expectSamePredictions(model, sw as unknown as Columns, onnx);
    console.info(`seattle-weather: ${sw.weather.length} rows, max |ONNX − in-process| probability = ${maxDiff.toExponential(2)}`);
  });

  it('maps unseen categories to zeros and missing numbers to the training mean, like predictProba', async () => {
    const columns = {
      precipitation: [0, null, 5.5, NaN, 0, null],
      temp_max: [12, 20, null, 3, NaN, NaN],
      temp_min: [5, NaN, 8, -2, null, null],
      wind: [3, 2, 1, null, NaN, null],
      month: ['13', null, '07', 'unknown', '', null],
    };
    const onnx = await runOnnx(model, columns);
    expectSamePredictions(model, columns, onnx);
    // The all-missing last row scores the intercepts only: every number at its mean, no category.
    const ours = model.predictProba(columns).probabilities;
    const e = Array.from(model.intercepts, Math.exp);
    const total = e.reduce((a, b) => a + b, 0);
    e.forEach((v, k) => {
      expect(ours[5 * 5 + k]).toBeCloseTo(v / total, 12);
      expect((onnx.probabilities.data as Float32Array)[5 * 5 + k]).toBeCloseTo(v / total, 6);
    });
  });

  it('exports binary models and a model with only categorical or only numeric features', async () => {
    const rainy = sw.weather.map((w) => (w === 'rain' ? 'rain' : 'dry'));
    for (const features of [FEATURES, FEATURES.slice(4), FEATURES.slice(1, 2)]) {
      const m = fitLogisticRegression({ features, columns: sw as unknown as Columns, target: rainy });
      expect(m.classes).toEqual(['dry', 'rain']);
      const onnx = await runOnnx(m, sw as unknown as Columns);
      expect(onnx.session.inputNames).toEqual(features.map((f) => f.name));
      expectSamePredictions(m, sw as unknown as Columns, onnx);
    }
  });

  it('survives a JSON round trip bit for bit', () => {
    const back = LogisticModel.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(back.predictProba(sw as unknown as Columns).probabilities).toEqual(model.predictProba(sw as unknown as Columns).probabilities);
    expect(exportOnnx(back)).toEqual(exportOnnx(model));
  });

  it.skipIf(!HAS_ONNX_CHECKER)('passes onnx.checker.check_model(full_check=True) and names the contract exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flywheel-onnx-'));
    try {
      const file = join(dir, 'model.onnx');
      writeFileSync(file, exportOnnx(model));
      const info = runPythonJson<{ inputs: [string, number, (string | number)[]][]; outputs: [string, number, (string | number)[]][]; meta: Record<string, string>; opsets: [string, number][] }>(
        '/usr/bin/python3',
        `import onnx
m = onnx.load(INPUT)
onnx.checker.check_model(m, full_check=True)
vi = lambda v: [v.name, v.type.tensor_type.elem_type, [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]]
print(json.dumps({"inputs": [vi(v) for v in m.graph.input], "outputs": [vi(v) for v in m.graph.output],
  "meta": {p.key: p.value for p in m.metadata_props}, "opsets": [[o.domain, o.version] for o in m.opset_import]}))`,
        file,
      );
      expect(info.inputs).toEqual([
        ['precipitation', 1, ['N', 1]],
        ['temp_max', 1, ['N', 1]],
        ['temp_min', 1, ['N', 1]],
        ['wind', 1, ['N', 1]],
        ['month', 8, ['N', 1]],
      ]);
      expect(info.outputs).toEqual([
        ['label', 8, ['N']],
        ['probabilities', 1, ['N', 5]],
      ]);
      expect(info.meta).toEqual({
        'flywheel.features': JSON.stringify(FEATURES),
        'flywheel.classes': JSON.stringify(['drizzle', 'fog', 'rain', 'snow', 'sun']),
        'flywheel.model': 'logistic_regression',
      });
      expect(info.opsets).toEqual([
        ['', 17],
        ['ai.onnx.ml', 3],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
