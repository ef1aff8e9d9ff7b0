// The model card page in a real Chromium: a data scientist opens v1's card from the model page,
// sees the HTML card in a sandboxed frame ("not filled in yet"), fills the fields (a <script> in
// one of them shows as text and runs nothing), switches to Markdown; a viewer gets no form.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signIn as apiSignIn, addMember } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { registerFixture } from '../support/serving.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, openChromiumPage, submitSignIn } from '../support/browser.js';

const PASSWORD = 'dora-password-123';

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

describe('model card page (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    for (const [user, role] of [['dora', 'data-scientist'], ['vera', 'viewer']]) {
      await addMember(server.app, admin, 'weather', user, PASSWORD, role);
    }
    await registerFixture(server.platform, 'weather', 'weather');
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 900 }, 10_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('shows the card, saves the fields, and escapes what users wrote', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(server.url);
    await submitSignIn(page, 'dora', PASSWORD);
    await page.goto(`${server.url}/#/projects/weather/models/weather`);
    await page.getByRole('link', { name: 'Model card of v1' }).click();
    const frame = page.frameLocator('[data-testid="model-card-frame"]');
    await frame.getByRole('heading', { name: 'Model card: weather v1' }).waitFor();
    expect(await frame.locator('.missing').filter({ hasText: 'Not filled in yet.' }).count()).toBe(4);

    await page.getByLabel('Intended use').fill('Daily forecasts for Seattle');
    await page.getByLabel('Limitations').fill('<script>alert("x")</script> only three years of data');
    await page.getByRole('button', { name: 'Save card fields' }).click();
    await frame.getByText('Daily forecasts for Seattle').waitFor();
    expect(await frame.getByText('only three years of data').textContent()).toContain('<script>alert("x")</script>');
    expect(await frame.locator('.missing').filter({ hasText: 'Not filled in yet.' }).count()).toBe(2);

    // Back to the top (the form is below the card) before switching the format.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByRole('button', { name: 'Markdown' }).click();
    await page.getByTestId('model-card-markdown').waitFor();
    expect(await page.getByTestId('model-card-markdown').textContent()).toMatch(/# Model card: weather v1[\s\S]*## Intended use\s+Daily forecasts for Seattle/);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows a viewer the card without the form', async () => {
    await page.context().clearCookies();
    await page.goto(server.url);
    await submitSignIn(page, 'vera', PASSWORD);
    await page.goto(`${server.url}/#/projects/weather/models/weather/versions/1/card`);
    await page.frameLocator('[data-testid="model-card-frame"]').getByText('Daily forecasts for Seattle').waitFor();
    expect(await page.getByRole('button', { name: 'Save card fields' }).count()).toBe(0);
  });
});
