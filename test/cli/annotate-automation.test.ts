// flywheel annotate create --model / settings / prelabel / sample / output: a job with a registry
// model, its pre-labels and auto-labels computed by a background job the command follows, active
// learning reprioritising its open tasks, the labelled output, and bad values refused naming the
// option's field with a non-zero exit.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeProject } from '../../src/services/index.js';
import { cli } from '../support/cli.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { adminContext, registerFixture } from '../support/serving.js';

const ROWS = Array.from({ length: 12 }, (_, i) => ({
  precipitation: (i * 1.7) % 9,
  temp_max: 3 + ((i * 4.1) % 24),
  temp_min: -3 + ((i * 2.3) % 12),
  wind: 1 + ((i * 0.8) % 5),
  station: i % 2 ? 'north' : 'south',
}));

describe('flywheel annotate automation', () => {
  let server: TestServer;
  let local: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer();
    local = { FLYWHEEL_HOME: server.home, FLYWHEEL_DATABASE_URL: `sqlite:${join(server.home, 'flywheel.db')}`, FLYWHEEL_PROJECT: 'weather', FLYWHEEL_WORKERS: '1' };
    expect((await cli(['project', 'create', 'weather'], local)).code).toBe(0);
    await registerFixture(server.platform, 'weather', 'weather');
    const ctx = await adminContext(server.platform);
    await server.platform.services.registry.setAlias(ctx, await authorizeProject(server.platform.store, ctx.principal, 'model.promote', 'weather'), 'weather', 'champion', 1, 'fixture');
    writeFileSync(join(server.home, 'items.jsonl'), ROWS.map((data) => JSON.stringify({ data })).join('\n') + '\n');
  }, 60_000);
  afterAll(() => server?.close());

  it('refuses bad automation options naming the field, with exit code 1', async () => {
    const items = join(server.home, 'items.jsonl');
    const unknown = await cli(['annotate', 'create', 'bad', '--labels', 'rain,sun,snow', '--model', 'nope', '--items', items], local);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('body.model.model');
    const classes = await cli(['annotate', 'create', 'bad', '--labels', 'rain,sun', '--model', 'weather'], local);
    expect(classes.code).toBe(1);
    expect(classes.stderr).toMatch(/body\.model: model 'weather' v1 predicts rain, sun, snow, but 'snow' is not among this job's labels/);
    const threshold = await cli(['annotate', 'create', 'bad', '--labels', 'rain,sun,snow', '--model', 'weather', '--auto-label', '1.2'], local);
    expect(threshold.code).toBe(1);
    expect(threshold.stderr).toContain("--auto-label must be a number from 0 to 1, got '1.2'");
  });

  it('creates a job with a model, computes its pre-labels and auto-labels, reprioritises and writes the labelled output', async () => {
    const items = join(server.home, 'items.jsonl');
    const created = await cli(['annotate', 'create', 'storms', '--labels', 'rain,sun,snow,fog', '--overlap', '1', '--model', 'weather', '--auto-label', '0.7', '--spot-check', '0.1', '--seed', '3', '--items', items, '--json'], local);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json().job).toMatchObject({ model: { model: 'weather', alias: 'champion' }, auto_label: { threshold: 0.7, spot_check_share: 0.1, seed: 3 } });

    const hide = await cli(['annotate', 'settings', '--job', 'storms', '--hide-suggestions', '--lease-seconds', '120'], local);
    expect(hide.code, hide.stderr).toBe(0);
    expect(hide.stdout).toContain('lease 120 s; model weather @champion; suggestions hidden');
    const badShare = await cli(['annotate', 'settings', '--job', 'storms', '--auto-label', '0.9', '--spot-check', '2'], local);
    expect(badShare.code).toBe(1);
    expect(badShare.stderr).toContain('--spot-check must be a number from 0 to 1');

    const pre = await cli(['annotate', 'prelabel', '--job', 'storms', '--json'], local);
    expect(pre.code, pre.stderr).toBe(0);
    const report = pre.json().result;
    expect(report).toMatchObject({ tasks: 12, suggested: 12, skipped: 0 });
    // Five rows have a confidence of at least 0.7 (0.767, 0.935, 0.778, 0.862, 0.766); about one in ten of those is spot-checked.
    expect(report.auto_labelled + report.spot_checks).toBe(5);
    expect(report.auto_labelled).toBeGreaterThan(0);

    const show = await cli(['annotate', 'show', '--job', 'storms'], local);
    expect(show.stdout).toContain(`automation: model weather @champion, suggestions hidden; 12 suggested, ${report.auto_labelled} auto-labelled`);

    const sample = await cli(['annotate', 'sample', '--job', 'storms', '--strategy', 'margin', '--k', '2', '--reprioritise', '--json'], local);
    expect(sample.code, sample.stderr).toBe(0);
    expect(sample.json().result).toMatchObject({ mode: 'reprioritise', strategy: 'margin', picked: 2 });
    const next = await cli(['annotate', 'next', '--job', 'storms', '--json'], local);
    expect(next.json().task.id).toBe(sample.json().result.top[0].task_id);
    expect(next.json().task.suggestion).toBeNull(); // hidden

    const noStrategy = await cli(['annotate', 'sample', '--job', 'storms', '--strategy', 'vibes', '--k', '2', '--reprioritise'], local);
    expect(noStrategy.code).toBe(1);
    expect(noStrategy.stderr).toContain('--strategy must be one of least-confidence, margin, entropy');

    const out = await cli(['annotate', 'output', '--job', 'storms', '--dataset', 'storms-labelled'], local);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`storms-labelled v1: ${report.auto_labelled} rows (human consensus 0, review 0, model ${report.auto_labelled})`);
  }, 120_000);
});
