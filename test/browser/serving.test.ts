// Models and deployments in a real Chromium: an ops user sees a model's versions (metrics,
// gate, aliases) and alias history, opens a deployment and tries it with one JSON row; the
// probabilities shown are the model's.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedPrediction, WEATHER_SPEC, WEATHER_SPEC_V2 } from '../fixtures/models/linear-model.js';
import { call, signIn as apiSignIn, addMember } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { registerFixture, SAMPLE_ROW } from '../support/serving.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';

const PASSWORD = 'otto-password-123';

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

function listLoaded(testId: string): Promise<void> {
  return expectListLoaded(page, testId);
}

describe('models and deployments pages (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    await addMember(server.app, admin, 'weather', 'otto', PASSWORD, 'ops');
    await registerFixture(server.platform, 'weather', 'weather', WEATHER_SPEC, { metrics: { accuracy: 0.812, macro_f1: 0.64 } });
    await registerFixture(server.platform, 'weather', 'weather', WEATHER_SPEC_V2, { metrics: { accuracy: 0.845, macro_f1: 0.66 } });
    await call(server.app, 'PUT', '/api/v1/projects/weather/models/weather/aliases/champion', admin, { version: 1, reason: 'first model' });
    expect((await call(server.app, 'POST', '/api/v1/projects/weather/deployments', admin, { name: 'weather-prod', model: 'weather' })).status).toBe(201);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 860 }, 10_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('shows versions with metrics, gate and aliases, promotes v2, and lists the alias history', async () => {
    await page.goto(server.url);
    await submitSignIn(page, 'otto', PASSWORD);
    await page.getByTestId('project-list').getByRole('link', { name: 'weather' }).click();
    await page.getByTestId('project-sections').getByRole('link', { name: 'Models', exact: true }).click();
    await listLoaded('models-list');
    expect(await page.getByTestId('models-list').getByRole('row').filter({ hasText: 'weather' }).textContent()).toMatch(/v2.*champion → v1/);
    await page.getByTestId('models-list').getByRole('link', { name: 'weather' }).click();
    await listLoaded('model-versions');
    const v1 = page.getByTestId('model-versions').getByRole('row').filter({ hasText: 'v1' });
    expect(await v1.textContent()).toMatch(/champion.*accuracy 0\.812.*macro_f1 0\.640.*passed/);
    await page.getByRole('button', { name: 'Make v2 champion' }).click();
    await page.getByTestId('alias-history').getByRole('row').filter({ hasText: 'v1 → v2' }).waitFor();
    await listLoaded('alias-history');
    expect(await page.getByTestId('alias-history').getByRole('row').filter({ hasText: 'v1 → v2' }).textContent()).toMatch(/champion.*otto.*promoted in the web UI/);
  });

  it('lists the deployment and tries it with one row: the probabilities are the model\'s', async () => {
    await page.getByTestId('project-sections').getByRole('link', { name: 'Deployments', exact: true }).click();
    await listLoaded('deployments-list');
    const row = page.getByTestId('deployments-list').getByRole('row').filter({ hasText: 'weather-prod' });
    expect(await row.textContent()).toMatch(/weather.*@champion.*v2.*POST \/api\/v1\/deployments\/weather-prod\/predict/);
    await row.getByRole('link', { name: 'Try weather-prod' }).click();
    const box = page.getByLabel('One row (JSON)');
    await box.waitFor();
    expect(JSON.parse(await box.inputValue())).toEqual({ precipitation: 0, temp_max: 0, temp_min: 0, wind: 0, station: '' });
    await box.fill(JSON.stringify(SAMPLE_ROW));
    await page.getByRole('button', { name: 'Predict' }).click();
    const result = page.getByTestId('prediction-result');
    await result.waitFor();
    const want = expectedPrediction(WEATHER_SPEC_V2, SAMPLE_ROW);
    expect(await result.textContent()).toContain(`${want.label} from weather v2`);
    const top = Math.max(...Object.values(want.probabilities));
    expect(await result.getByRole('row').first().textContent()).toContain(`${(top * 100).toFixed(1)}%`);
    await box.fill('{"precipitation": "lots"}');
    await page.getByRole('button', { name: 'Predict' }).click();
    await page.getByTestId('error-banner').waitFor();
    expect(await page.getByTestId('error-banner').textContent()).toMatch(/body\.rows\[0\]\.precipitation must be a number/);
    expect(pageErrors).toEqual([]);
  });
});
