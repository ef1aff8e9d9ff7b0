// Tasks from a deployment's prediction log in a real Chromium: an owner creates a classification
// job from the deployment's logged predictions (a time window and a seeded random sample of 2),
// then on the job's page makes tasks of the rest of the log (earliest first), a bad sample size
// being refused at its field; the tasks are the logged inputs, linked by prediction id.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeProject } from '../../src/services/index.js';
import { addMember, call, signIn as apiSignIn } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { adminContext, registerFixture } from '../support/serving.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';

const PASSWORD = 'olga-password-123';
const ROWS = [1, 2, 3, 4, 5, 6].map((d) => ({ precipitation: d / 2, temp_max: 10 + d, temp_min: d - 3, wind: 2 + d / 10, station: d % 2 ? 'north' : 'south' }));

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
/** The logged predictions' ids, by day of February 2014 (index 0: the 1st). */
let predictionIds: string[] = [];

async function tasksOf(job: string): Promise<Array<{ prediction_id: string | null; data: Record<string, unknown> }>> {
  const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
  const r = await call(server.app, 'GET', `/api/v1/projects/weather/labelling-jobs/${job}/tasks?limit=100`, admin);
  expect(r.status).toBe(200);
  return r.body.items;
}

describe('labelling tasks from predictions (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    await addMember(server.app, admin, 'weather', 'olga', PASSWORD, 'owner');
    await registerFixture(server.platform, 'weather', 'weather');
    const ctx = await adminContext(server.platform);
    await server.platform.services.registry.setAlias(ctx, await authorizeProject(server.platform.store, ctx.principal, 'model.promote', 'weather'), 'weather', 'champion', 1, 'fixture');
    await server.platform.services.deployments.create(ctx, await authorizeProject(server.platform.store, ctx.principal, 'deployment.write', 'weather'), { name: 'weather-prod', model: 'weather' });
    const served = await call(server.app, 'POST', '/api/v1/deployments/weather-prod/predict', admin, { rows: ROWS, event_times: ROWS.map((_, i) => Date.UTC(2014, 1, i + 1)) });
    expect(served.status, JSON.stringify(served.body)).toBe(200);
    predictionIds = served.body.predictions.map((p: { id: string }) => p.id);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 900 }, 10_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('creates a job from a sample of the prediction log, then adds the rest from the job page', async () => {
    await page.goto(server.url);
    await submitSignIn(page, 'olga', PASSWORD);
    await page.getByTestId('project-list').getByRole('link', { name: 'weather' }).click();
    await page.getByTestId('project-sections').getByRole('link', { name: 'Labelling', exact: true }).click();
    await expectListLoaded(page, 'labelling-list');
    await page.getByRole('button', { name: 'New labelling job' }).click();
    const form = page.getByRole('form', { name: 'New labelling job' });
    await form.getByLabel('Job name').fill('from-log');
    await form.getByLabel('Labels').fill('rain, sun, snow, fog');
    await form.getByLabel('People per task').fill('1');
    await form.getByLabel('Tasks from').selectOption('predictions');
    expect(await form.getByLabel('Items (JSON Lines)').count()).toBe(0);
    await form.getByLabel('Deployment').selectOption('weather-prod');
    // The first four days: 1 Feb 00:00 to 5 Feb 00:00 (UTC), a seeded random sample of two.
    await form.getByLabel('Predicted from (UTC)').fill('2014-02-01T00:00');
    await form.getByLabel('Predicted until (UTC)').fill('2014-02-05T00:00');
    await form.getByLabel('Sample size').fill('2');
    expect(await form.getByLabel(/Random sample/).isChecked()).toBe(true);
    await form.getByLabel('Sample seed').fill('7');
    await form.getByRole('button', { name: 'Create job' }).click();
    const banner = page.getByRole('status').filter({ hasText: 'from-log' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Job from-log created with 2 tasks. Made 2 tasks from 4 logged predictions of weather-prod; more are left in the window.');

    const sampled = await tasksOf('from-log');
    expect(sampled).toHaveLength(2);
    const firstFour = predictionIds.slice(0, 4);
    for (const t of sampled) {
      const i = firstFour.indexOf(t.prediction_id!);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(t.data).toEqual(ROWS[i]);
    }
    const job = await call(server.app, 'GET', '/api/v1/projects/weather/labelling-jobs/from-log', await apiSignIn(server.app, 'olga', PASSWORD));
    expect(job.body.source).toEqual({ kind: 'predictions', deployment: 'weather-prod', from: Date.UTC(2014, 1, 1), to: Date.UTC(2014, 1, 5) });

    // The job page: its deployment is chosen already; a bad sample size is refused at its field.
    await page.getByTestId('labelling-list').getByRole('link', { name: 'from-log', exact: true }).click();
    const panel = page.getByTestId('prediction-tasks-panel');
    await panel.waitFor();
    await expectListLoaded(page, 'labelling-task-list');
    expect(await panel.getByLabel('Deployment').inputValue()).toBe('weather-prod');
    await panel.getByLabel('Sample size').fill('0');
    await panel.getByRole('button', { name: 'Make tasks' }).click();
    await panel.locator('.field-error').filter({ hasText: 'limit must be a whole number of at least 1' }).waitFor();
    // The whole log, earliest first: the four not yet tasks.
    await panel.getByLabel('Sample size').fill('10');
    await panel.getByLabel(/Random sample/).uncheck();
    await panel.getByRole('button', { name: 'Make tasks' }).click();
    const report = panel.getByTestId('prediction-tasks-report');
    await report.waitFor();
    expect(await report.textContent()).toBe('Made 4 tasks from 6 logged predictions of weather-prod (2 already tasks).');
    await page.getByTestId('labelling-task-list').getByRole('row').nth(6).waitFor();
    expect(await page.getByTestId('job-stats').textContent()).toMatch(/0\s*\/\s*6/);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui-labelling-predictions.png', fullPage: true });
    expect(pageErrors).toEqual([]);

    const all = await tasksOf('from-log');
    expect(all.map((t) => t.prediction_id).sort()).toEqual([...predictionIds].sort());
  });
});
