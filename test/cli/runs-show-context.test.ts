// flywheel runs show RUN prints what the run ran on: the git commit with its dirty flag, the Node
// version, the host, the data version and its content hash, and the seed (and --json has them
// under `context`).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/databases.js';
import { seattleRowsBefore } from '../support/weather.js';

function gitHead(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

describe('flywheel runs show (local mode)', () => {
  it("prints the run's captured context: commit and dirty flag, Node, host, data version hash, seed", async () => {
    const home = tempDir('flywheel-cli-runs-show-');
    const env = { FLYWHEEL_HOME: home, FLYWHEEL_PROJECT: 'w' };
    const file = join(home, 'history.csv');
    writeFileSync(file, seattleRowsBefore('2014'));
    expect((await cli(['project', 'create', 'w'], env)).code).toBe(0);
    expect((await cli(['data', 'ingest', file, '--dataset', 'weather'], env)).code).toBe(0);
    const trained = await cli(
      ['train', '--dataset', 'weather', '--target', 'weather', '--features', 'precipitation,temp_max,temp_min,wind', '--time-column', 'date', '--holdout', '2013-10-01..2014-01-01', '--seed', '17', '--json'],
      env,
    );
    expect(trained.code, trained.stderr).toBe(0);
    const run = trained.json();

    const json = await cli(['runs', 'show', run.id, '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const context = json.json().context;
    expect(context).toMatchObject({ node_version: process.version, host: hostname(), seed: 17, data_version_id: run.dataset_version_id, data_version_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const shown = await cli(['runs', 'show', run.id], env);
    expect(shown.code, shown.stderr).toBe(0);
    const out = shown.stdout;
    expect(out).toContain(`run ${run.id} (finished)`);
    expect(out).toContain(`node:    ${process.version}`);
    expect(out).toContain(`host:    ${hostname()}`);
    expect(out).toContain(`data:    version ${run.dataset_version_id}, hash ${context.data_version_hash}`);
    expect(out).toContain('seed:    17');
    const head = gitHead();
    if (head) {
      expect(context.git_commit).toBe(head);
      expect(typeof context.git_dirty).toBe('boolean');
      expect(out).toContain(`commit:  ${head} (${context.git_dirty ? 'dirty: uncommitted changes' : 'clean'})`);
    } else {
      expect(out).toContain('commit:  -');
    }

    const missing = await cli(['runs', 'show', '01a22177-0000-7000-8000-000000000000'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
  }, 120_000);
});
