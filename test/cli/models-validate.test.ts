// The KPI gate and traffic from the command line (local mode): `flywheel models validate` prints
// the report and exits 1 when the gate fails, 0 when it passes (so CI/CD pipelines can stop on
// it), --json prints the report; a failed gate blocks `models alias … champion` unless overridden
// with a reason; `deploy canary|shadow|rollback|history` change and show the binding.
import { beforeAll, describe, expect, it } from 'vitest';
import { WEATHER_SPEC, WEATHER_SPEC_V2 } from '../fixtures/models/linear-model.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { openServingApp, registerFixture } from '../support/serving.js';

describe('flywheel models validate / deploy canary|shadow|rollback (local mode)', () => {
  const home = tempDir('flywheel-cli-gate-');
  const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'weather' };

  beforeAll(async () => {
    expect((await cli(['project', 'create', 'weather'], env)).code).toBe(0);
    const s = await openServingApp({ home });
    await registerFixture(s.platform, 'weather', 'weather', WEATHER_SPEC, { metrics: { accuracy: 0.8, macro_f1: 0.6 } });
    await registerFixture(s.platform, 'weather', 'weather', WEATHER_SPEC_V2, { metrics: { accuracy: 0.85, macro_f1: 0.62 } });
    await s.close();
  }, 60_000);

  it('exits 0 and prints the report when the gate passes', async () => {
    expect((await cli(['policy', 'set', 'accuracy>=0.7'], env)).code).toBe(0);
    const r = await cli(['models', 'validate', 'weather', '--version', '1'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('weather v1 KPI gate: PASSED');
    expect(r.stdout).toContain('PASS  accuracy 0.8000 meets the minimum 0.7000');
    // A version without a training run in the project is judged on its recorded metrics, and the report says so.
    expect(r.stdout).toMatch(/basis: recorded metrics compared \(v1's training run 'run-fixture' is not in this project, so no holdout\)/);
  });

  it('exits 1 when the gate fails, printing the failed check (as JSON with --json)', async () => {
    expect((await cli(['policy', 'set', 'accuracy>=0.9', '--min-improvement', 'accuracy=0.01'], env)).code).toBe(0);
    expect((await cli(['policy', 'show'], env)).stdout).toBe('accuracy >= 0.9\naccuracy: at least 0.01 better than the champion\n');
    const r = await cli(['models', 'validate', 'weather', '--version', '1'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('weather v1 KPI gate: FAILED');
    expect(r.stdout).toContain('FAIL  accuracy 0.8000 is below the minimum 0.9000');
    expect(r.stdout).toContain('PASS  no champion yet: accuracy has nothing to improve on');
    expect(r.stderr).toBe('');
    const json = await cli(['models', 'validate', 'weather', '--version', '1', '--json'], env);
    expect(json.code).toBe(1);
    expect(json.json()).toMatchObject({ model: 'weather', version: 1, gate: { passed: false, checks: [{ kind: 'threshold', metric: 'accuracy', value: 0.8, passed: false }, { kind: 'min_improvement', passed: true }] } });
    const missing = await cli(['models', 'validate', 'weather', '--version', '7'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/model version 'weather v7' was not found/);
  });

  it('refuses to make a failed version champion unless overridden with a reason', async () => {
    const blocked = await cli(['models', 'alias', 'weather', 'champion', '1'], env);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/^flywheel: weather v1 failed its KPI gate, so it cannot become champion: accuracy 0\.8000 is below the minimum 0\.9000/);
    const noReason = await cli(['models', 'alias', 'weather', 'champion', '1', '--override-gate'], env);
    expect(noReason.stderr).toMatch(/overriding a failed KPI gate needs a reason/);
    const done = await cli(['models', 'alias', 'weather', 'champion', '1', '--override-gate', '--reason', 'bootstrap the first champion'], env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('weather@champion → v1');
  });

  it('sets a canary and a shadow, shows the history, and rolls back', async () => {
    expect((await cli(['deploy', 'create', 'cli-live', '--model', 'weather'], env)).code).toBe(0);
    const canary = await cli(['deploy', 'canary', 'cli-live', '--version', '2', '--percent', '20', '--reason', 'try v2'], env);
    expect(canary.code, canary.stderr).toBe(0);
    expect(canary.stdout).toContain('cli-live: weather @champion (serving v1) at /api/v1/deployments/cli-live/predict; canary pinned v2 (v2) takes 20%');
    const shadow = await cli(['deploy', 'shadow', 'cli-live', '--version', '2'], env);
    expect(shadow.stdout).toContain('; shadow pinned v2 (v2) gets a mirror');
    expect((await cli(['deploy', 'canary', 'cli-live', '--version', '2'], env)).stderr).toMatch(/--percent P \(1-99\) is required/);
    expect((await cli(['deploy', 'shadow', 'cli-live'], env)).stderr).toMatch(/a shadow needs --alias A or --version N/);
    const back = await cli(['deploy', 'rollback', 'cli-live', '--reason', 'no shadow yet'], env);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/^rolled back cli-live: .*canary pinned v2 \(v2\) takes 20%\n$/);
    const history = await cli(['deploy', 'history', 'cli-live'], env);
    expect(history.stdout.split('\n').slice(1, 5).map((l) => l.split(/\s{2,}/)[1])).toEqual(['rollback', 'update', 'update', 'create']);
    expect(history.stdout).toContain('no shadow yet');
    const off = await cli(['deploy', 'canary', 'cli-live', '--off', '--json'], env);
    expect(off.json()).toMatchObject({ canary: null, shadow: null, serving_version: 1 });
    const list = await cli(['deploy', 'list'], env);
    expect(list.stdout).toMatch(/cli-live\s+weather\s+@champion\s+v1\s+-\s+-/);
  });
});
