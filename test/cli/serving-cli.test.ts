// The deploy stage from the command line (local mode): models list|versions|alias,
// deploy create|list|update|batching, predict --row/--file; predictions reach the log when the CLI exits.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedPrediction, WEATHER_SPEC, WEATHER_SPEC_V2 } from '../fixtures/models/linear-model.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { openServingApp, projectAccess, registerFixture, SAMPLE_ROW } from '../support/serving.js';

describe('flywheel models / deploy / predict (local mode)', () => {
  const home = tempDir('flywheel-cli-serving-');
  const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'weather' };

  beforeAll(async () => {
    expect((await cli(['project', 'create', 'weather'], env)).code).toBe(0);
    // Training registers versions in-process; here the test does it on the same home.
    const s = await openServingApp({ home });
    await registerFixture(s.platform, 'weather', 'weather', WEATHER_SPEC);
    await registerFixture(s.platform, 'weather', 'weather', WEATHER_SPEC_V2);
    await s.close();
  }, 60_000);

  it('lists models and versions, and moves an alias', async () => {
    expect((await cli(['models', 'alias', 'weather', 'champion', '1', '--reason', 'first'], env)).stdout).toContain('weather@champion → v1');
    const list = await cli(['models', 'list'], env);
    expect(list.stdout).toMatch(/weather\s+2\s+champion=v1/);
    const versions = await cli(['models', 'versions', 'weather', '--json'], env);
    expect(versions.json().items.map((v: { version: number; aliases: string[] }) => [v.version, v.aliases])).toEqual([
      [2, []],
      [1, ['champion']],
    ]);
  });

  it('deploys, predicts from --row and --file, and switches version', async () => {
    const created = await cli(['deploy', 'create', 'cli-weather', '--model', 'weather'], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('cli-weather: weather @champion (serving v1)');
    const one = await cli(['predict', 'cli-weather', '--row', JSON.stringify(SAMPLE_ROW), '--json'], env);
    expect(one.code, one.stderr).toBe(0);
    expect(one.json().predictions[0].label).toBe(expectedPrediction(WEATHER_SPEC, SAMPLE_ROW).label);
    const file = join(home, 'rows.json');
    writeFileSync(file, JSON.stringify([SAMPLE_ROW, { ...SAMPLE_ROW, precipitation: 9 }]));
    const human = await cli(['predict', 'cli-weather', '--file', file], env);
    expect(human.stdout).toMatch(/cli-weather: weather v1\nID\s+LABEL\s+RAIN\s+SUN\s+SNOW/);
    const pinned = await cli(['deploy', 'update', 'cli-weather', '--version', '2'], env);
    expect(pinned.stdout).toContain('pinned v2 (serving v2)');
    expect((await cli(['predict', 'cli-weather', '--row', JSON.stringify(SAMPLE_ROW), '--json'], env)).json().model_version).toBe(2);
    const listed = await cli(['deploy', 'list', '--json'], env);
    expect(listed.json().items[0]).toMatchObject({ name: 'cli-weather', predictions_logged: 4 });
  });

  it('fails with one clear line on bad input', async () => {
    const bad = await cli(['predict', 'cli-weather', '--row', JSON.stringify({ ...SAMPLE_ROW, temp_max: 'warm' })], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^flywheel: body\.rows\[0\]\.temp_max must be a number/);
    expect((await cli(['predict', 'cli-weather'], env)).stderr).toMatch(/--file rows.json or --row/);
    expect((await cli(['predict', 'nowhere', '--row', '{}'], env)).stderr).toMatch(/deployment 'nowhere' was not found/);
  });

  it('sets micro-batching on create and with deploy batching, refusing bad values with one line', async () => {
    const created = await cli(['deploy', 'create', 'cli-batched', '--model', 'weather', '--batch-max-rows', '8', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json().batching).toEqual({ max_rows: 8, max_delay_ms: 2 });
    const set = await cli(['deploy', 'batching', 'cli-batched', '--max-rows', '128', '--max-delay-ms', '0'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('cli-batched: micro-batching up to 128 rows, 0 ms');
    expect((await cli(['deploy', 'batching', 'cli-batched', '--off'], env)).stdout).toContain('micro-batching off');
    expect((await cli(['deploy', 'list'], env)).stdout).toMatch(/cli-batched\s.*\soff\s/);
    const zero = await cli(['deploy', 'batching', 'cli-batched', '--max-rows', '0'], env);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/^flywheel: --max-rows must be a positive integer/);
    const big = await cli(['deploy', 'batching', 'cli-batched', '--max-rows', '20000'], env);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/max_rows/);
    expect((await cli(['deploy', 'batching', 'cli-batched'], env)).stderr).toMatch(/--max-rows N and\/or --max-delay-ms MS, or --off/);
  });

  it('leaves every prediction it made in registered segments', async () => {
    const s = await openServingApp({ home });
    try {
      const access = await projectAccess(s.platform, 'weather');
      expect(await s.platform.services.predictionLog.readPredictions(access.project.id, 'cli-weather')).toHaveLength(4);
    } finally {
      await s.close();
    }
  });
});
