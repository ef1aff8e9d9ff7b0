// The Seattle weather rows the training tests learn from: a project with a `weather` dataset
// whose first version is the 2012–2013 rows (the rest of the file is left for later versions).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { call, type Headers } from './http.js';

export const SEATTLE_CSV = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');

/** The header and the rows dated before `before` (an ISO date prefix), as CSV text. */
export function seattleRowsBefore(before: string): string {
  const lines = readFileSync(SEATTLE_CSV, 'utf8').trim().split('\n');
  return [lines[0], ...lines.slice(1).filter((l) => l < before)].join('\n');
}

/** Create project `project` and its dataset `weather`, version 1 = the rows before 2014. */
export async function seedWeatherProject(app: FastifyInstance, admin: Headers, project: string): Promise<void> {
  await call(app, 'POST', '/api/v1/projects', admin, { name: project });
  await call(app, 'POST', `/api/v1/projects/${project}/datasets`, admin, { name: 'weather' });
  const up = await app.inject({
    method: 'POST',
    url: `/api/v1/projects/${project}/datasets/weather/versions`,
    headers: { ...admin, 'content-type': 'text/csv' },
    payload: seattleRowsBefore('2014'),
  });
  expect(up.statusCode, up.body).toBe(201);
}
