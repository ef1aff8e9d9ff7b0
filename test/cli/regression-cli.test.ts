// A regression model from the command line (local mode): trained and registered as champion,
// listed with its task and error metrics, deployed, and asked for predictions, which print one
// value per row; `models validate` judges it by a threshold on RMSE (lower is better) and exits
// non-zero when it fails.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { seattleRowsBefore } from '../support/weather.js';

describe('a regression model from the CLI (local mode)', () => {
  it('trains, registers, lists, deploys, predicts values and validates against an RMSE threshold', async () => {
    const home = tempDir('flywheel-cli-regression-');
    const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'r' };
    const file = join(home, 'history.csv');
    writeFileSync(file, seattleRowsBefore('2014'));
    expect((await cli(['project', 'create', 'r'], env)).code).toBe(0);
    expect((await cli(['data', 'ingest', file, '--dataset', 'weather'], env)).code).toBe(0);
    const train = ['train', '--dataset', 'weather', '--target', 'temp_max', '--features', 'precipitation,temp_min,wind,weather:cat', '--time-column', 'date', '--holdout', '2013-10-01..2014-01-01'];
    const trained = await cli([...train, '--algorithm', 'linear_regression', '--register', 'temps', '--alias', 'champion'], env);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/holdout rmse \d+\.\d{4}, mae \d+\.\d{4}, r2 \d\.\d{4} on 92 rows \(trained on 639\)/);

    const versions = await cli(['models', 'versions', 'temps'], env);
    expect(versions.code, versions.stderr).toBe(0);
    expect(versions.stdout).toMatch(/^\s*1\s+regression\s+champion\s+passed\s+.*rmse=\d/m);

    expect((await cli(['deploy', 'create', 'temps-prod', '--model', 'temps'], env)).code).toBe(0);
    const predicted = await cli(['predict', 'temps-prod', '--row', '{"precipitation": 0, "temp_min": 10, "wind": 2, "weather": "sun"}', '--row', '{"precipitation": 5, "temp_min": 2, "wind": 5, "weather": "rain"}'], env);
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(predicted.stdout).toContain('temps-prod: temps v1');
    expect(predicted.stdout).toMatch(/\bID\s+VALUE\b/);
    const values = [...predicted.stdout.matchAll(/^\S+\s+(-?\d+(\.\d+)?)\s*$/gm)].map((m) => Number(m[1]));
    expect(values).toHaveLength(2);
    expect(values[0]).toBeGreaterThan(values[1]); // a warmer, drier day

    expect((await cli(['policy', 'set', 'rmse<=0.5'], env)).code).toBe(0);
    const failed = await cli(['models', 'validate', 'temps', '--version', '1'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toMatch(/rmse \d+\.\d{4} is above the maximum 0\.5000/);
    const wrongWay = await cli(['policy', 'set', 'rmse>=0.5'], env);
    expect(wrongWay.code).toBe(1);
    expect(wrongWay.stderr).toMatch(/lower is better for rmse/);
  }, 120_000);
});
