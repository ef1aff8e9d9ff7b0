// The serving benchmark's model and request bodies: 100 gradient-boosted trees (31 leaves) on 20
// numeric features, fitted with Flywheel's own trainer on the synthetic fixture and exported to
// ONNX; one single-row body and one 1,000-row `{columns, data}` body drawn from held-out rows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportGbdtOnnx, fitGbdt, type Columns } from '../src/ml/index.js';
import { synthetic } from '../test/fixtures/ml/synthetic.js';

export const FEATURES = 20;
export const TREES = 100;
export const BATCH_ROWS = 1000;

export interface ServeModel {
  /** The ONNX file every server loads. */
  onnxPath: string;
  features: string[];
  /** `{ rows: [ {x0: …, …} ] }` */
  singleBody: string;
  /** `{ columns: [...], data: [[…] × 1000] }` */
  batchBody: string;
  /** The same single row for the Flask peer (its columns are f0..f19). */
  flaskSingleBody: string;
  flaskBatchBody: string;
}

/** Round to float32-exact short decimals so every server parses the same values. */
const short = (v: number) => Number(v.toFixed(6));

export function buildServeModel(dir: string): ServeModel {
  const trainRows = 20_000;
  const table = synthetic({ rows: trainRows + BATCH_ROWS, numeric: FEATURES, task: 'binary', noise: 1, seed: 7 });
  const names = table.features.map((f) => f.name);
  const train: Columns = Object.fromEntries(names.map((n) => [n, (table.columns[n] as Float64Array).subarray(0, trainRows)]));
  const model = fitGbdt(
    { features: table.features, columns: train, target: (table.target as string[]).slice(0, trainRows) },
    { max_iter: TREES, max_leaf_nodes: 31, early_stopping: false },
  );
  const onnxPath = join(dir, 'gbdt-100x20.onnx');
  writeFileSync(onnxPath, exportGbdtOnnx(model));

  const row = (i: number) => names.map((n) => short((table.columns[n] as Float64Array)[trainRows + i]));
  const data = Array.from({ length: BATCH_ROWS }, (_, i) => row(i));
  const first = Object.fromEntries(names.map((n, k) => [n, data[0][k]]));
  const flaskNames = names.map((_, k) => `f${k}`);
  return {
    onnxPath,
    features: names,
    singleBody: JSON.stringify({ rows: [first] }),
    batchBody: JSON.stringify({ columns: names, data }),
    flaskSingleBody: JSON.stringify({ dataframe_records: [Object.fromEntries(flaskNames.map((n, k) => [n, data[0][k]]))] }),
    flaskBatchBody: JSON.stringify({ dataframe_split: { columns: flaskNames, data } }),
  };
}
