// flywheel models card / card-fields (local mode): fill the fields, print the Markdown card,
// write the HTML card to a file; unknown versions fail with one clear line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { openServingApp, registerFixture } from '../support/serving.js';

describe('flywheel models card (local mode)', () => {
  const home = tempDir('flywheel-cli-card-');
  const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'weather' };

  beforeAll(async () => {
    expect((await cli(['project', 'create', 'weather'], env)).code).toBe(0);
    const s = await openServingApp({ home });
    await registerFixture(s.platform, 'weather', 'weather');
    await s.close();
  }, 60_000);

  it('fills the card fields and prints the card as Markdown or writes it as HTML', async () => {
    const set = await cli(['models', 'card-fields', 'weather', '--intended-use', 'Seattle forecasts', '--owners', 'ml@example.org'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('intended use: Seattle forecasts');
    expect(set.stdout).toContain('limitations: (not filled in yet)');
    const md = await cli(['models', 'card', 'weather', '1'], env);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# Model card: weather v1/);
    expect(md.stdout).toContain('Seattle forecasts');
    const out = join(home, 'card.html');
    const html = await cli(['models', 'card', 'weather', '1', '--html', '--out', out], env);
    expect(html.stdout).toContain(`wrote the HTML card of weather v1 to ${out}`);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>[\s\S]*ml@example\.org/);
    const missing = await cli(['models', 'card', 'weather', '7'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/model version 'weather v7' was not found/);
  });
});
