// flywheel train --search FILE in local mode: a YAML grid runs as trials (the command's own
// workers), prints one line per trial with the best marked, and --json answers the parent run and
// its trials; a bad search file or search exits 1 naming the problem. flywheel runs exec needs a
// server (FLYWHEEL_URL) and says so.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';

const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');

describe('flywheel train --search and runs exec (local mode)', () => {
  const home = tempDir('flywheel-cli-search-');
  const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 's' };
  const train = ['train', '--dataset', 'weather', '--target', 'weather', '--features', 'precipitation,temp_max,temp_min,wind', '--time-column', 'date', '--holdout', '2013-10-01..2014-01-01'];

  it('runs a grid from a YAML file, prints the trials and the best, and refuses bad searches', async () => {
    const lines = readFileSync(SEATTLE, 'utf8').trim().split('\n');
    const data = join(home, 'history.csv');
    writeFileSync(data, [lines[0], ...lines.slice(1).filter((l) => l < '2014')].join('\n'));
    expect((await cli(['project', 'create', 's'], env)).code).toBe(0);
    expect((await cli(['data', 'ingest', data, '--dataset', 'weather'], env)).code).toBe(0);
    const file = join(home, 'search.yaml');
    writeFileSync(file, 'method: grid\nmetric: macro_f1\nparams:\n  l2: [0.01, 100]\n');

    const human = await cli([...train, '--search', file], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/search \S+ \(grid, 2 trials\): finished/);
    expect(human.stdout).toMatch(/^1 \*?\s+finished\s+0\.\d{4}\s+l2=0\.01$/m);
    expect(human.stdout).toMatch(/^2 \*?\s+finished\s+0\.\d{4}\s+l2=100$/m);
    expect(human.stdout).toMatch(/best: trial [12] \(maximize macro_f1 on the validation rows\)/);
    expect(human.stderr).toMatch(/search \[#{30}\] 100% succeeded/);

    const json = await cli([...train, '--search', file, '--json'], env);
    expect(json.code).toBe(0);
    const out = json.json();
    expect(out.run).toMatchObject({ status: 'finished', params: { search_method: 'grid', search_metric: 'macro_f1' } });
    expect(out.trials.items).toHaveLength(2);

    writeFileSync(file, 'method: grid\nmetric: macro_f1\nparams:\n  l2: {uniform: [0.1, 1]}\n');
    const bad = await cli([...train, '--search', file], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("a grid takes a list of values for 'l2'");
    writeFileSync(file, 'method: [grid\n');
    const broken = await cli([...train, '--search', file], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('is not valid JSON or YAML');
  }, 120_000);

  it('runs exec asks for a server', async () => {
    const r = await cli(['runs', 'exec', '--dataset', 'weather', '--', 'python3', 'train.py'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FLYWHEEL_URL');
  });
});
