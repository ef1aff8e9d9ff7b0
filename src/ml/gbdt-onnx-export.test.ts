// The exported gradient-boosted trees, run in onnxruntime-node, give the in-process predictions
// (within 1e-5, same label on every row) for binary, multiclass and regression models, with
// missing values, unknown categories, categorical set splits of every shape, and float64 inputs
// that only the float32 cast tells apart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { pythonHas, runPythonJson } from '../../test/fixtures/ml/python.js';
import { loadSeattleWeather } from '../../test/fixtures/ml/seattle-weather.js';
import { synthetic } from '../../test/fixtures/ml/synthetic.js';
import type { Columns, FeatureSpec } from './feature-spec.js';
import type { GbdtModel } from './gbdt-model.js';
import { exportGbdtOnnx } from './gbdt-onnx-export.js';
import { fitGbdt } from './gbdt-train.js';

const HAS_ONNX_CHECKER = pythonHas('/usr/bin/python3', ['onnx']);
if (!HAS_ONNX_CHECKER) console.warn('SKIPPED: onnx.checker cross-check — /usr/bin/python3 has no onnx (apt-get install -y python3-onnx)');

const SW_FEATURES: FeatureSpec[] = [
  { name: 'precipitation', kind: 'numeric' },
  { name: 'temp_max', kind: 'numeric' },
  { name: 'temp_min', kind: 'numeric' },
  { name: 'wind', kind: 'numeric' },
  { name: 'month', kind: 'categorical' },
];

/** Raw columns as ONNX feeds: [N, 1] float32 (missing → NaN) or string (missing → ''). */
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

async function runOnnx(model: GbdtModel, columns: Columns) {
  const session = await ort.InferenceSession.create(exportGbdtOnnx(model));
  return { session, out: await session.run(feeds(model.features, columns)) };
}

/** Probabilities within 1e-5 and the same label on every row; returns the largest difference. */
async function expectSameClassifier(model: GbdtModel, columns: Columns): Promise<number> {
  const { out } = await runOnnx(model, columns);
  const ours = model.predictProba(columns);
  const rows = ours.labels.length;
  expect(out.probabilities.dims).toEqual([rows, model.classes!.length]);
  expect(out.label.dims).toEqual([rows]);
  const probs = out.probabilities.data as Float32Array;
  let maxDiff = 0;
  for (let i = 0; i < probs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(probs[i] - ours.probabilities[i]));
  expect(maxDiff).toBeLessThan(1e-5);
  expect(out.label.data as string[]).toEqual(ours.labels);
  return maxDiff;
}

/** Seattle weather with holes: every 7th temp_max, every 11th month and every 13th wind missing. */
function seattleWithMissing() {
  const sw = loadSeattleWeather();
  const columns = {
    precipitation: sw.precipitation,
    temp_max: Float64Array.from(sw.temp_max, (v, i) => (i % 7 === 0 ? NaN : v)),
    temp_min: sw.temp_min,
    wind: Array.from(sw.wind, (v, i) => (i % 13 === 0 ? null : v)),
    month: sw.month.map((m, i) => (i % 11 === 0 ? null : m)),
  } as Columns;
  return { sw, columns };
}

describe('gbdt ONNX export', () => {
  const { sw, columns } = seattleWithMissing();
  const multi = fitGbdt({ features: SW_FEATURES, columns, target: sw.weather }, { max_iter: 60, min_samples_leaf: 5 });
  const rainy = sw.weather.map((w) => (w === 'rain' ? 'rain' : 'dry'));
  const binary = fitGbdt({ features: SW_FEATURES, columns, target: rainy }, { max_iter: 100 });
  /** Rows the training data never had: missing everywhere, unknown and empty categories, out of range. */
  const odd = {
    precipitation: [null, 0, 55, NaN, 0, 1e30, -1],
    temp_max: [null, NaN, 40, 3, -20, 12, Infinity],
    temp_min: [null, 5, -10, NaN, 0, 5, -Infinity],
    wind: [null, 2, 9, NaN, 1, 4, 0],
    month: [null, '13', '07', 'unknown', '', '01', '12'],
  };

  it('declares one input per feature, label and probabilities, and the metadata', async () => {
    const bytes = exportGbdtOnnx(multi);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(SW_FEATURES.map((f) => f.name));
    expect(session.outputNames).toEqual(['label', 'probabilities']);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(JSON.stringify(SW_FEATURES));
    expect(text).toContain(JSON.stringify(multi.classes));
    expect(text).toContain('flywheel.model');
    expect(exportGbdtOnnx(multi)).toEqual(bytes);
  });

  it('multiclass (softmax, 5 trees a round): same probabilities and labels on every seattle-weather row and on odd rows', async () => {
    expect(multi.objective).toBe('multiclass');
    expect(multi.trees.some((t) => t.leftCategories.some((c) => c !== null))).toBe(true); // month splits are categorical
    const maxDiff = await expectSameClassifier(multi, columns);
    await expectSameClassifier(multi, odd);
    console.info(`gbdt multiclass: ${sw.weather.length} rows, ${multi.trees.length} trees, max |ONNX − in-process| probability = ${maxDiff.toExponential(2)}`);
  });

  it('binary (logistic): same probabilities and labels on every row and on odd rows', async () => {
    expect(binary.objective).toBe('binary');
    const maxDiff = await expectSameClassifier(binary, columns);
    await expectSameClassifier(binary, odd);
    console.info(`gbdt binary: max |ONNX − in-process| probability = ${maxDiff.toExponential(2)}`);
  });

  it('regression: TreeEnsembleRegressor predicts the in-process values within 1e-5', async () => {
    const features = SW_FEATURES.filter((f) => f.name !== 'temp_max');
    const target = Float64Array.from(sw.temp_max);
    const model = fitGbdt({ features, columns, target }, { objective: 'regression', max_iter: 100 });
    for (const rows of [columns, odd]) {
      const { session, out } = await runOnnx(model, rows);
      expect(session.outputNames).toEqual(['prediction']);
      const ours = model.predictValues(rows);
      expect(out.prediction.dims).toEqual([ours.length, 1]);
      const theirs = out.prediction.data as Float32Array;
      let maxDiff = 0;
      ours.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - theirs[i]))));
      expect(maxDiff).toBeLessThan(1e-5);
    }
  });

  it('exports categorical set splits of every shape (set, complement, missing-only) with many categories', async () => {
    const d = synthetic({ rows: 6000, numeric: 3, categorical: 2, cardinality: 40, missing: 0.1, task: 'multiclass', seed: 21 });
    const model = fitGbdt(d, { max_iter: 25, max_leaf_nodes: 15, min_samples_leaf: 5 });
    // Shapes of the left sets (known codes): the smaller side, the complement, or none/all (only missing values differ).
    const shapes = { set: 0, complement: 0, missingOnly: 0 };
    for (const t of model.trees) {
      t.leftCategories.forEach((c, i) => {
        const b = model.binning[t.feature[i]];
        if (c === null || b.kind !== 'categorical') return;
        const K = b.categories.length;
        const L = c.subarray(0, K).reduce((s, v) => s + v, 0);
        if (L === 0 || L === K) shapes.missingOnly++;
        else if (L <= K - L) shapes.set++;
        else shapes.complement++;
      });
    }
    expect(shapes.set).toBeGreaterThan(0);
    expect(shapes.complement).toBeGreaterThan(0);
    expect(shapes.missingOnly).toBeGreaterThan(0);
    await expectSameClassifier(model, d.columns as Columns);
    const unseen = { ...d.columns, c0: (d.columns.c0 as Array<string | null>).map((v, i) => (i % 3 === 0 ? 'never-seen' : v)) } as Columns;
    await expectSameClassifier(model, unseen);
  });

  it('routes float64 inputs by their float32 value, as the exported graph does', async () => {
    // Many float64 values collapse onto a few float32 values; labels follow the float32 value.
    const n = 3000;
    const x = Float64Array.from({ length: n }, (_, i) => 1 + (i % 6) * 2 ** -23 + (i % 7) * 2 ** -30);
    const target = Array.from(x, (v) => (Math.fround(v) >= 1 + 3 * 2 ** -23 ? 'hi' : 'lo'));
    const model = fitGbdt({ features: [{ name: 'x', kind: 'numeric' }], columns: { x }, target }, { max_iter: 5, learning_rate: 1, min_samples_leaf: 1 });
    expect(model.predict({ x })).toEqual(target);
    const probe = { x: Float64Array.from({ length: 200 }, (_, i) => 1 + (i / 199) * 8 * 2 ** -23) };
    await expectSameClassifier(model, { x });
    await expectSameClassifier(model, probe);
  });

  it.skipIf(!HAS_ONNX_CHECKER)('passes onnx.checker.check_model(full_check=True)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flywheel-gbdt-onnx-'));
    try {
      const files = [multi, binary].map((m, i) => {
        const file = join(dir, `model-${i}.onnx`);
        writeFileSync(file, exportGbdtOnnx(m));
        return file;
      });
      const info = runPythonJson<Array<{ outputs: string[]; opsets: [string, number][] }>>(
        '/usr/bin/python3',
        `import onnx
out = []
for f in INPUT:
    m = onnx.load(f)
    onnx.checker.check_model(m, full_check=True)
    out.append({"outputs": [o.name for o in m.graph.output], "opsets": [[o.domain, o.version] for o in m.opset_import]})
print(json.dumps(out))`,
        files,
      );
      for (const i of info) {
        expect(i.outputs).toEqual(['label', 'probabilities']);
        expect(i.opsets).toEqual([
          ['', 17],
          ['ai.onnx.ml', 3],
        ]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
