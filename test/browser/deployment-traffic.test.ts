// The deployment page's traffic controls in a real Chromium: an ops user sets a canary with the
// slider and the number (kept in step), applies it, picks a shadow version, rolls back with a
// confirming second click, and reads each change in the binding history.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEATHER_SPEC, WEATHER_SPEC_V2 } from '../fixtures/models/linear-model.js';
import { addMember, call, signIn as apiSignIn } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { registerFixture } from '../support/serving.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';
import { ensureWebBuilt } from './build-web.js';

const PASSWORD = 'otto-password-123';

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

describe('deployment page: canary, shadow, rollback, binding history (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    await addMember(server.app, admin, 'weather', 'otto', PASSWORD, 'ops');
    await registerFixture(server.platform, 'weather', 'weather', WEATHER_SPEC);
    await registerFixture(server.platform, 'weather', 'weather', WEATHER_SPEC_V2);
    await registerFixture(server.platform, 'weather', 'weather', { ...WEATHER_SPEC, intercepts: [0.9, -0.4, 0.2] });
    await call(server.app, 'PUT', '/api/v1/projects/weather/models/weather/aliases/champion', admin, { version: 1, reason: 'first model' });
    expect((await call(server.app, 'POST', '/api/v1/projects/weather/deployments', admin, { name: 'weather-prod', model: 'weather' })).status).toBe(201);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 1000 }, 10_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  const historyRows = () => page.getByTestId('binding-history').locator('tbody tr');

  it('applies a canary set with the slider and the number, which stay in step', async () => {
    await page.goto(server.url);
    await submitSignIn(page, 'otto', PASSWORD);
    await page.getByTestId('project-list').getByRole('link', { name: 'weather' }).click();
    await page.goto(`${server.url}/#/projects/weather/deployments/weather-prod`);
    await expectListLoaded(page, 'binding-history');
    expect(await page.getByTestId('canary-fact').textContent()).toBe('none');
    expect(await historyRows().count()).toBe(1);

    await page.getByLabel('Canary version').selectOption({ label: 'v2' });
    await page.getByLabel('Canary share (slider)').fill('25');
    expect(await page.getByLabel('Canary percent').inputValue()).toBe('25');
    await page.getByLabel('Canary percent').fill('30');
    expect(await page.getByLabel('Canary share (slider)').inputValue()).toBe('30');
    await page.getByRole('button', { name: 'Apply canary' }).click();
    await page.getByTestId('canary-fact').getByText('v2 takes 30%').waitFor();
    await historyRows().nth(1).waitFor();
    expect(await historyRows().first().textContent()).toMatch(/update.*@champion → v1 · canary v2 → v2 30%.*otto.*changed in the web UI/);
    const d = await call(server.app, 'GET', '/api/v1/projects/weather/deployments/weather-prod', await apiSignIn(server.app, 'otto', PASSWORD));
    expect(d.body).toMatchObject({ canary: { version: 2, percent: 30 }, canary_version: 2 });
  });

  it('picks a shadow version, then rolls back with a confirming second click', async () => {
    await page.getByLabel('Shadow version').selectOption({ label: 'v3' });
    await page.getByRole('button', { name: 'Apply shadow' }).click();
    await page.getByTestId('shadow-fact').getByText('v3 (mirrored, logged)').waitFor();
    await historyRows().nth(2).waitFor();
    expect(await historyRows().first().textContent()).toMatch(/update.*shadow v3 → v3/);

    await page.getByRole('button', { name: 'Roll back weather-prod' }).click();
    const confirm = page.getByRole('button', { name: 'Confirm: Roll back weather-prod' });
    await confirm.waitFor();
    expect(await page.getByTestId('shadow-fact').textContent()).toBe('v3 (mirrored, logged)'); // nothing happens on the first click
    await confirm.click();
    await page.getByTestId('shadow-fact').getByText('none').waitFor();
    expect(await page.getByTestId('canary-fact').textContent()).toBe('v2 takes 30%');
    await historyRows().nth(3).waitFor();
    expect(await historyRows().first().textContent()).toMatch(/rollback.*canary v2 → v2 30%.*otto.*rolled back in the web UI/);
    expect(await historyRows().count()).toBe(4);
    expect(pageErrors).toEqual([]);
  });
});
