// A project for KPI gate tests: a dataset of weather rows (2013, daily, two stations) whose
// labels follow fixture model v2 at the north station and only every other day at the south one,
// two training runs holding out Oct–Dec 2013, and the two fixture models registered from them.
// The expected metrics are computed here from the models' hand-computed predictions.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random.js';
import type { Platform } from '../../src/platform.js';
import { accuracy } from '../../src/stats/index.js';
import { buildLinearModel, expectedPrediction, WEATHER_SPEC, WEATHER_SPEC_V2, type LinearModelSpec } from '../fixtures/models/linear-model.js';
import { call, type Headers } from './http.js';
import { adminContext, projectAccess } from './serving.js';

export const HOLDOUT = { from: '2013-10-01', to: '2014-01-01' };

export type GateRow = {
  date: string;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  station: string;
  weather: string;
};

/** Whether the spec's top two probabilities are close (such rows are left out so float32 and float64 agree). */
function nearTie(spec: LinearModelSpec, row: GateRow): boolean {
  const p = Object.values(expectedPrediction(spec, row).probabilities).sort((a, b) => b - a);
  return p[0] - p[1] < 0.02;
}

/** One row a day of 2013 (seeded), labelled as described above. */
export function gateRows(): GateRow[] {
  const rnd = seededRandom(2013);
  const rows: GateRow[] = [];
  for (let t = Date.UTC(2013, 0, 1), i = 0; t < Date.UTC(2014, 0, 1); t += 86_400_000, i++) {
    const temp_max = Math.round(rnd() * 300) / 10;
    const row: GateRow = {
      date: new Date(t).toISOString().slice(0, 10),
      precipitation: Math.round(rnd() * 100) / 10,
      temp_max,
      temp_min: Math.round((temp_max - 3 - rnd() * 7) * 10) / 10,
      wind: Math.round(rnd() * 80) / 10,
      station: i % 2 === 0 ? 'north' : 'south',
      weather: '',
    };
    if (nearTie(WEATHER_SPEC, row) || nearTie(WEATHER_SPEC_V2, row)) continue;
    const v2 = expectedPrediction(WEATHER_SPEC_V2, row).label;
    const wrong = WEATHER_SPEC.classes.find((c) => c !== v2 && c !== expectedPrediction(WEATHER_SPEC, row).label) ?? WEATHER_SPEC.classes.find((c) => c !== v2)!;
    row.weather = row.station === 'north' || rows.length % 4 === 0 ? v2 : wrong;
    rows.push(row);
  }
  return rows;
}

export const inHoldout = (r: GateRow) => r.date >= HOLDOUT.from && r.date < HOLDOUT.to;

/** Accuracy of a fixture spec on rows, from its hand-computed predictions. */
export function specAccuracy(spec: LinearModelSpec, rows: GateRow[]): number {
  return accuracy(
    rows.map((r) => r.weather),
    rows.map((r) => expectedPrediction(spec, r).label),
  );
}

const CSV_COLUMNS: Array<keyof GateRow> = ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'station', 'weather'];

/**
 * Create the dataset, two queued training runs on it (never executed: they hold the spec and
 * the dataset version), and register v1 (WEATHER_SPEC) and v2 (WEATHER_SPEC_V2) from them with
 * recorded metrics that are deliberately not the holdout's (so a test can tell which were used).
 */
export async function seedGateProject(app: FastifyInstance, platform: Platform, admin: Headers, project: string, model = 'weather'): Promise<{ rows: GateRow[] }> {
  const rows = gateRows();
  expect((await call(app, 'POST', `/api/v1/projects/${project}/datasets`, admin, { name: 'weather-days' })).status).toBe(201);
  const csv = [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => r[c]).join(','))].join('\n');
  const up = await app.inject({ method: 'POST', url: `/api/v1/projects/${project}/datasets/weather-days/versions`, headers: { ...admin, 'content-type': 'text/csv' }, payload: csv });
  expect(up.statusCode, up.body).toBe(201);
  const ctx = await adminContext(platform);
  const access = await projectAccess(platform, project);
  const spec = {
    experiment: 'gates',
    dataset: 'weather-days',
    target: 'weather',
    features: WEATHER_SPEC.features.map(({ name, kind }) => ({ name, kind })),
    time_column: 'date',
    holdout: HOLDOUT,
  };
  for (const fixture of [WEATHER_SPEC, WEATHER_SPEC_V2]) {
    const run = await platform.services.training.startRun(ctx, access, spec, { enqueue: false });
    await platform.services.registry.registerVersion(ctx, access, {
      model,
      onnx: buildLinearModel(fixture),
      run_id: run.id,
      dataset_version_id: run.dataset_version_id,
      metrics: { accuracy: 0.99, macro_f1: 0.99 },
      gate: null,
    });
  }
  return { rows };
}
