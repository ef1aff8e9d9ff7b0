// flywheel train --algorithm gbdt --param NAME=VALUE in local mode: trains gradient-boosted trees
// with the given params (logged on the run), and a bad param fails the command naming it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';

const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');

describe('flywheel train --algorithm gbdt (local mode)', () => {
  const home = tempDir('flywheel-cli-gbdt-');
  const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'w' };
  const train = ['train', '--dataset', 'weather', '--target', 'weather', '--features', 'precipitation,temp_max,temp_min,wind', '--time-column', 'date', '--holdout', '2013-10-01..2014-01-01', '--algorithm', 'gbdt'];

  it('trains with the params given, and refuses a bad one naming it', async () => {
    const lines = readFileSync(SEATTLE, 'utf8').trim().split('\n');
    const file = join(home, 'history.csv');
    writeFileSync(file, [lines[0], ...lines.slice(1).filter((l) => l < '2014')].join('\n'));
    expect((await cli(['project', 'create', 'w'], env)).code).toBe(0);
    expect((await cli(['data', 'ingest', file, '--dataset', 'weather'], env)).code).toBe(0);

    const ok = await cli([...train, '--param', 'max_iter=20', '--param', 'max_leaf_nodes=7', '--param', 'max_depth=null', '--seed', '5', '--register', 'weather-gbdt', '--json'], env);
    expect(ok.code, ok.stderr).toBe(0);
    const run = ok.json();
    expect(run).toMatchObject({ status: 'finished', gate: { passed: true } });
    expect(run.params).toMatchObject({ model: 'gbdt', max_iter: '20', max_leaf_nodes: '7', max_depth: 'null', seed: '5' });
    expect(run.tags['flywheel.trees']).toBe('100');
    expect(run.model_version_id).toBeTruthy();

    const bad = await cli([...train, '--param', 'learning_rate=fast'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('learning_rate must be a number in (0, 10], got "fast"');
    const malformed = await cli([...train, '--param', 'learning_rate'], env);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain("--param must be NAME=VALUE, got 'learning_rate'");
    expect((await cli(['runs', '--json'], env)).json().items).toHaveLength(1);
  }, 120_000);
});
