// flywheel train / runs / monitor in local mode: a run waits for its job (run by the command's
// own workers), prints metrics and the gate, and exits 1 when the gate fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';

const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');

describe('flywheel train, runs and monitor (local mode)', () => {
  const home = tempDir('flywheel-cli-train-');
  const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'w' };
  const train = ['train', '--dataset', 'weather', '--target', 'weather', '--features', 'precipitation,temp_max,temp_min,wind', '--time-column', 'date', '--holdout', '2013-10-01..2014-01-01'];

  it('trains, registers when the gate passes, and fails the command when it does not', async () => {
    const lines = readFileSync(SEATTLE, 'utf8').trim().split('\n');
    const file = join(home, 'history.csv');
    writeFileSync(file, [lines[0], ...lines.slice(1).filter((l) => l < '2014')].join('\n'));
    expect((await cli(['project', 'create', 'w'], env)).code).toBe(0);
    expect((await cli(['data', 'ingest', file, '--dataset', 'weather'], env)).code).toBe(0);

    const ok = await cli([...train, '--register', 'weather-lr', '--alias', 'champion', '--json'], env);
    expect(ok.code, ok.stderr).toBe(0);
    const run = ok.json();
    expect(run).toMatchObject({ status: 'finished', gate: { passed: true } });
    expect(run.model_version_id).toBeTruthy();

    const human = await cli(train, env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/holdout accuracy 0\.\d{4}, macro-F1 0\.\d{4} on 92 rows \(trained on 639\)/);
    expect(human.stderr).toMatch(/training \[#{30}\] 100% succeeded/);

    // A gate the model cannot pass: the run finishes, nothing is registered, the command fails.
    expect((await cli(['policy', 'set', 'accuracy>=0.99', 'macro_f1>=0.1'], env)).code).toBe(0);
    expect((await cli(['policy', 'show'], env)).stdout).toContain('accuracy >= 0.99');
    const failing = await cli([...train, '--register', 'strict', '--json'], env);
    expect(failing.code).toBe(1);
    expect(failing.json()).toMatchObject({ status: 'finished', model_version_id: null, gate: { passed: false } });
    expect(failing.json().gate.summary).toMatch(/^failed: accuracy 0\.\d{4} is below the minimum 0\.9900$/);
    const bad = await cli(['policy', 'set', 'accuracy=high'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("a threshold looks like accuracy>=0.6");
    const runs = await cli(['runs', '--json'], env);
    expect(runs.json().items).toHaveLength(3);
    const shown = await cli(['runs', 'show', run.id], env);
    expect(shown.stdout).toContain(`run ${run.id} (finished)`);
    const monitors = await cli(['monitor', 'list', '--json'], env);
    expect(monitors.json().items).toEqual([]);
    // Retraining names what is missing before it queues anything.
    const retrain = ['monitor', 'retrain', '--model', 'weather-lr', '--deployment', 'd', '--monitor', 'm', '--dataset', 'weather', '--month', '2014-01', '--target', 'weather', '--features', 'wind', '--time-column', 'date'];
    const noMonitor = await cli(retrain, env);
    expect(noMonitor.code).toBe(1);
    expect(noMonitor.stderr).toContain("monitor 'm' was not found");
    const badMonth = await cli([...retrain.slice(0, -6), '--month', '2014-13', ...retrain.slice(-6)], env);
    expect(badMonth.code).toBe(1);
    expect(badMonth.stderr).toContain('holdout_month: must be YYYY-MM');
  }, 120_000);
});
