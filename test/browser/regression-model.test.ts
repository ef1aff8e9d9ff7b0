// A regression model in the registry UI, in a real Chromium: the model page marks the version a
// regression and shows its error metrics first (MAE, RMSE, R², MAPE, lower-is-better ones
// flagged), its card says what it predicts and explains the metrics, and "Try it" on its
// deployment shows the predicted value.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLinearOnnx, fitLinearRegression } from '../../src/ml/index.js';
import { call, signIn as apiSignIn } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { adminContext, projectAccess } from '../support/serving.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, openChromiumPage, submitSignIn } from '../support/browser.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

describe('a regression model in the registry UI (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'temps' })).status).toBe(201);
    // temp_max ≈ temp_min + 7: a small ridge regression, exported as training would.
    const temp_min = Float64Array.from({ length: 40 }, (_, i) => i / 2);
    const model = fitLinearRegression({ features: [{ name: 'temp_min', kind: 'numeric' }], columns: { temp_min }, target: Float64Array.from(temp_min, (t, i) => t + 7 + (i % 3) - 1) }, { l2: 0.1 });
    const ctx = await adminContext(server.platform);
    const access = await projectAccess(server.platform, 'temps');
    const registry = server.platform.services.registry;
    await registry.registerVersion(ctx, access, { model: 'temps', onnx: exportLinearOnnx(model), metrics: { rmse: 0.8165, mae: 0.6667, r2: 0.97, mape: 0.05, train_rmse: 0.8 }, gate: { passed: true, summary: 'passed: rmse 0.8165 <= 2' } });
    await registry.setAlias(ctx, access, 'temps', 'champion', 1, 'first');
    expect((await call(server.app, 'POST', '/api/v1/projects/temps/deployments', admin, { name: 'temps-prod', model: 'temps' })).status).toBe(201);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 900 }, 10_000));
  }, 180_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('marks the version a regression, shows its error metrics first, and its card says what it predicts', async () => {
    await page.goto(server.url);
    await submitSignIn(page, server.admin.username, server.admin.password);
    await page.goto(`${server.url}/#/projects/temps/models/temps`);
    const row = page.getByTestId('model-versions').getByRole('row').filter({ hasText: 'v1' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/v1 regression.*champion.*rmse 0\.817 ↓.*mae 0\.667 ↓.*r2 0\.970.*mape 0\.050 ↓.*train_rmse 0\.800/);
    expect(await row.locator('.metric-key').count()).toBe(4);

    await page.getByRole('link', { name: 'Model card of v1' }).click();
    const frame = page.frameLocator('[data-testid="model-card-frame"]');
    await frame.getByRole('heading', { name: 'Model card: temps v1' }).waitFor();
    expect(await frame.getByRole('row').filter({ hasText: 'task' }).textContent()).toContain("regression: predicts a number (output 'prediction')");
    expect(await frame.getByText('rmse: root mean squared error').textContent()).toContain('lower is better');
    expect(pageErrors).toEqual([]);
  });

  it('tries the deployment with one row and shows the predicted value', async () => {
    await page.goto(`${server.url}/#/projects/temps/deployments`);
    const row = page.getByTestId('deployments-list').getByRole('row').filter({ hasText: 'temps-prod' });
    await row.getByRole('link', { name: 'Try temps-prod' }).click();
    const box = page.getByLabel('One row (JSON)');
    await box.waitFor();
    expect(JSON.parse(await box.inputValue())).toEqual({ temp_min: 0 });
    await box.fill('{"temp_min": 10}');
    await page.getByRole('button', { name: 'Predict' }).click();
    const result = page.getByTestId('prediction-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toMatch(/predicted value 1[67]\.\d+ from temps v1/);
    expect(pageErrors).toEqual([]);
  });
});
