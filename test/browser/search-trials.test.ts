// A search's parent run page in a real Chromium: one scatter per searched parameter with a point
// per trial (the best one marked, each linking to its child run) and the summary of the trials.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeChromium, openChromiumPage, submitSignIn } from '../support/browser.js';
import { call, signIn } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt } from './build-web.js';

const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');

describe('search trials on the parent run page (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let profileDir: string;
  let context: BrowserContext;
  let page: Page;
  let parent: { id: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await signIn(server.app, server.admin.username, server.admin.password);
    await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'p' });
    await call(server.app, 'POST', '/api/v1/projects/p/datasets', admin, { name: 'weather' });
    const lines = readFileSync(SEATTLE, 'utf8').trim().split('\n');
    const csv = [lines[0], ...lines.slice(1).filter((l) => l < '2014')].join('\n');
    await server.app.inject({ method: 'POST', url: '/api/v1/projects/p/datasets/weather/versions', headers: { ...admin, 'content-type': 'text/csv' }, payload: csv });
    const r = await call(server.app, 'POST', '/api/v1/projects/p/searches', admin, {
      dataset: 'weather',
      target: 'weather',
      features: ['precipitation', 'temp_max', 'temp_min', 'wind'].map((name) => ({ name, kind: 'numeric' })),
      time_column: 'date',
      holdout: { from: '2013-10-01', to: '2014-01-01' },
      algorithm: 'gbdt',
      params: { max_iter: 10, early_stopping: false },
      search: { method: 'grid', params: { learning_rate: [0.01, 0.1, 1], max_leaf_nodes: [4, 16] }, metric: 'accuracy', parallelism: 1 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    parent = r.body;
    await runQueuedJobs(server.platform);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors));
    await page.goto(server.url);
    await submitSignIn(page, server.admin.username, server.admin.password);
  }, 180_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('charts the validation metric against each parameter, marking the best trial', async () => {
    await page.goto(`${server.url}/#/projects/p/experiments/${parent.id}`);
    const trials = page.getByTestId('search-trials');
    await trials.waitFor();
    await expect.poll(() => page.getByTestId('search-summary').textContent()).toContain('6/6 trials done');
    for (const name of ['learning_rate', 'max_leaf_nodes']) {
      const chart = page.getByTestId(`trial-scatter-${name}`);
      expect(await chart.getAttribute('aria-label')).toContain(`accuracy (validation) against ${name}`);
      expect(await chart.locator('circle.trial-point').count()).toBe(6);
      expect(await chart.locator('circle.trial-best').count()).toBe(1);
    }
    expect(await page.getByTestId('trial-scatter-learning_rate').getAttribute('aria-label')).toContain('(log scale)');
    const best = await page.locator('[data-testid="trial-scatter-learning_rate"] circle.trial-best').getAttribute('data-trial');
    const api = (await call(server.app, 'GET', `/api/v1/projects/p/runs/${parent.id}/trials`, await signIn(server.app, server.admin.username, server.admin.password))).body;
    expect(Number(best)).toBe(api.best_trial);
    expect(await page.getByTestId('search-summary').textContent()).toContain(`best: trial ${api.best_trial + 1}`);
    await page.screenshot({ path: '/tmp/flywheel-search-trials.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
