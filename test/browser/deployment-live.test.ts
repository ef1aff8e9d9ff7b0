// The deployment page's live charts and micro-batching form in a real Chromium: while requests
// flow, the throughput and latency charts fill in from the stats endpoint (polled every 2 s) and
// the summary shows the traffic; an ops user changes the batching settings and reads them back.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEATHER_SPEC } from '../fixtures/models/linear-model.js';
import { addMember, call, signIn as apiSignIn, type Headers } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { registerFixture, SAMPLE_ROW } from '../support/serving.js';
import { closeChromium, openChromiumPage, submitSignIn } from '../support/browser.js';
import { ensureWebBuilt } from './build-web.js';

const PASSWORD = 'otto-password-123';

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
let admin: Headers;
const pageErrors: string[] = [];

describe('deployment page: live throughput and latency, micro-batching settings (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    await addMember(server.app, admin, 'weather', 'otto', PASSWORD, 'ops');
    await registerFixture(server.platform, 'weather', 'weather', WEATHER_SPEC);
    await call(server.app, 'PUT', '/api/v1/projects/weather/models/weather/aliases/champion', admin, { version: 1, reason: 'first model' });
    expect((await call(server.app, 'POST', '/api/v1/projects/weather/deployments', admin, { name: 'weather-prod', model: 'weather' })).status).toBe(201);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 1200 }, 10_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('draws live throughput and latency while requests flow', async () => {
    await page.goto(server.url);
    await submitSignIn(page, 'otto', PASSWORD);
    await page.getByTestId('project-list').getByRole('link', { name: 'weather' }).click();
    await page.goto(`${server.url}/#/projects/weather/deployments/weather-prod`);
    await page.getByTestId('live-summary').waitFor();
    expect(await page.getByTestId('live-rps').textContent()).toBe('0');

    // Traffic for a few seconds: bursts of concurrent single rows.
    const until = Date.now() + 3500;
    let sent = 0;
    while (Date.now() < until) {
      const burst = await Promise.all(Array.from({ length: 20 }, () => call(server.app, 'POST', '/api/v1/deployments/weather-prod/predict', admin, { rows: [SAMPLE_ROW] })));
      expect(burst.every((r) => r.status === 200)).toBe(true);
      sent += burst.length;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sent).toBeGreaterThan(100);
    // The page polls every 2 s; within a few polls the last seconds show the traffic.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live-rps"]')?.textContent?.replace(/[^\d.]/g, '') ?? 0) > 0, undefined, { timeout: 10_000 });
    expect(await page.getByTestId('live-p99').textContent()).toMatch(/^[\d.,]+ ms$/);
    for (const chart of ['throughput-chart', 'latency-chart']) {
      const el = page.getByTestId(chart);
      expect(await el.getAttribute('data-points')).toBe('60');
      expect(await el.locator('canvas').count()).toBe(1);
      expect(await el.getAttribute('aria-label')).toMatch(/weather-prod, last minute/);
    }
    expect(await page.getByTestId('throughput-chart').locator('.u-legend').textContent()).toMatch(/requests\/s.*rows\/s/);
    expect(await page.getByTestId('latency-chart').locator('.u-legend').textContent()).toMatch(/p50 ms.*p99 ms/);
  });

  it('changes the micro-batching settings, refusing values out of bounds', async () => {
    expect(await page.getByTestId('batching-fact').textContent()).toBe('up to 64 rows a run, at most 2 ms behind a running batch');
    await page.getByLabel('Max rows per run').fill('0');
    expect(await page.getByRole('button', { name: 'Apply batching' }).isDisabled()).toBe(true);
    await page.getByLabel('Max rows per run').fill('16');
    await page.getByLabel('Max delay (ms)').fill('5');
    await page.getByRole('button', { name: 'Apply batching' }).click();
    await page.getByTestId('batching-fact').getByText('up to 16 rows a run, at most 5 ms behind a running batch').waitFor();
    const d = await call(server.app, 'GET', '/api/v1/projects/weather/deployments/weather-prod', admin);
    expect(d.body.batching).toEqual({ max_rows: 16, max_delay_ms: 5 });
    await page.getByLabel('Max rows per run').fill('1');
    await page.getByRole('button', { name: 'Apply batching' }).click();
    await page.getByTestId('batching-fact').getByText('off').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
