// Model suggestions in the workbench, in a real Chromium: a job names a registry model and its
// pre-labels are computed; the annotator sees the suggested label (and labels by keyboard); the
// owner hides suggestions from the job's automation panel; the annotator's next task shows none.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeProject } from '../../src/services/index.js';
import { expectedPrediction, WEATHER_SPEC } from '../fixtures/models/linear-model.js';
import { addMember, call, signIn as apiSignIn } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { startTestServer } from '../support/server.js';
import { adminContext, registerFixture } from '../support/serving.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, openChromiumPage, submitSignIn } from '../support/browser.js';

const PASSWORD = 'anna-password-123';
const ROWS = [
  { precipitation: 9.5, temp_max: 6.1, temp_min: 2.2, wind: 4.7, station: 'north' },
  { precipitation: 0, temp_max: 27.8, temp_min: 14.4, wind: 2.1, station: 'south' },
  { precipitation: 0.3, temp_max: 1.1, temp_min: -4.2, wind: 5.5, station: 'north' },
];

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function openWorkbench(): Promise<void> {
  await page.goto(`${server.url}/#/projects/weather/labelling/storms/work`);
  await page.getByRole('heading', { name: 'Labelling storms' }).waitFor();
  await page.getByTestId('workbench-task').waitFor();
}

async function shownRow(): Promise<Record<string, unknown>> {
  const text = (await page.getByTestId('task-data').textContent()) ?? '';
  const row = ROWS.find((r) => text.includes(String(r.temp_max)));
  if (!row) throw new Error(`no fixture row on screen: ${text}`);
  return row;
}

describe('workbench suggestions (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    await addMember(server.app, admin, 'weather', 'anna', PASSWORD, 'annotator');
    await addMember(server.app, admin, 'weather', 'olga', PASSWORD, 'owner');
    await registerFixture(server.platform, 'weather', 'weather');
    const ctx = await adminContext(server.platform);
    await server.platform.services.registry.setAlias(ctx, await authorizeProject(server.platform.store, ctx.principal, 'model.promote', 'weather'), 'weather', 'champion', 1, 'fixture');
    const job = await call(server.app, 'POST', '/api/v1/projects/weather/labelling-jobs', admin, {
      name: 'storms',
      labels: ['rain', 'sun', 'snow', 'fog'],
      overlap: 1,
      model: { model: 'weather' },
      items: ROWS.map((data) => ({ data })),
    });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    expect((await call(server.app, 'POST', '/api/v1/projects/weather/labelling-jobs/storms/prelabel', admin)).status).toBe(202);
    const ran = await runQueuedJobs(server.platform);
    expect(ran.map((r) => r.error)).toEqual([undefined]);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 900 }, 10_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it("shows the model's suggestion to the annotator, who labels by keyboard", async () => {
    await page.goto(server.url);
    await submitSignIn(page, 'anna', PASSWORD);
    await page.getByTestId('whoami').waitFor();
    await openWorkbench();
    const row = await shownRow();
    const want = expectedPrediction(WEATHER_SPEC, row);
    const suggestion = page.getByTestId('suggestion');
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toContain(want.label);
    expect(await suggestion.textContent()).toContain(`${Math.round(want.probabilities[want.label] * 100)}%`);
    expect(await page.getByRole('group', { name: 'Labels' }).locator('[data-suggested="true"]').textContent()).toContain(want.label);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui-suggestions.png', fullPage: true });
    const first = await page.getByTestId('workbench-task').getAttribute('data-task-id');
    // Accept it by its shortcut key.
    await page.keyboard.press(String(['rain', 'sun', 'snow', 'fog'].indexOf(want.label) + 1));
    await page.locator(`[data-testid="workbench-task"]:not([data-task-id="${first}"])`).waitFor();
    expect(await page.getByTestId('session-count').textContent()).toBe('1');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('hides suggestions once the owner turns them off in the automation panel', async () => {
    await submitSignIn(page, 'olga', PASSWORD);
    await page.getByTestId('whoami').waitFor();
    await page.goto(`${server.url}/#/projects/weather/labelling/storms`);
    const panel = page.getByTestId('automation-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('shown to annotators');
    await panel.getByLabel('Show suggestions to annotators').uncheck();
    await panel.getByRole('button', { name: 'Save settings' }).click();
    await panel.getByText('Settings saved.').waitFor();
    await panel.getByText('hidden from annotators').waitFor();
    expect(await page.getByTestId('suggested-count').textContent()).toContain('hidden');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui-automation.png', fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();

    await submitSignIn(page, 'anna', PASSWORD);
    await page.getByTestId('whoami').waitFor();
    await openWorkbench();
    await shownRow();
    expect(await page.getByTestId('suggestion').count()).toBe(0);
    expect(await page.locator('[data-suggested="true"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
