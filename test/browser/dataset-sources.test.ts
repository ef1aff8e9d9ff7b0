// Dataset sources in a real Chromium: a data scientist opens a dataset, adds an HTTP source (a
// bad cron expression is shown under its field), sees it listed with kind, schedule, time zone
// and next run, presses "Run now" (the pull job runs in this process) and sees the last run's
// status and rows, then the source's runs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signIn as apiSignIn, addMember } from '../support/http.js';
import { runQueuedJobs } from '../support/jobs.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';

const PASSWORD = 'dana-password-123';

let server: Awaited<ReturnType<typeof startTestServer>>;
let files: Server;
let filesUrl: string;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

describe('dataset sources panel (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    files = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end('station,temp\noslo,3.5\nbergen,7\nbodo,-1\n'));
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    await addMember(server.app, admin, 'weather', 'dana', PASSWORD, 'data-scientist');
    expect((await call(server.app, 'POST', '/api/v1/projects/weather/datasets', admin, { name: 'stations' })).status).toBe(201);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1400, height: 1000 }, 15_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
    await new Promise((r) => files?.close(r));
  });

  it('adds a source, shows a bad schedule under its field, runs it now and shows the last run', async () => {
    await page.goto(`${server.url}/#/projects/weather/datasets/stations`);
    await submitSignIn(page, 'dana', PASSWORD);
    const panel = page.getByTestId('sources-panel');
    await expectListLoaded(page, 'dataset-sources');
    expect(await panel.getByTestId('empty-state').textContent()).toMatch(/No sources yet/);

    await panel.getByRole('button', { name: 'Add source' }).click();
    const form = page.getByRole('form', { name: 'Add a source' });
    await form.getByLabel('Source name').fill('daily');
    await form.getByLabel('URL').fill(`${filesUrl}/stations.csv?token=abc123`);
    await form.getByLabel('Schedule (cron)').fill('every morning');
    await form.getByLabel('Time zone').fill('Europe/Oslo');
    await form.getByRole('button', { name: 'Add source' }).click();
    await form.locator('.field-error').first().waitFor();
    expect(await form.locator('.field-invalid').filter({ hasText: 'Schedule (cron)' }).textContent()).toMatch(/five fields/);

    await form.getByLabel('Schedule (cron)').fill('0 6 * * *');
    await form.getByRole('button', { name: 'Add source' }).click();
    await form.waitFor({ state: 'detached' });
    await expectListLoaded(page, 'dataset-sources');
    const row = page.getByTestId('dataset-sources').getByRole('row').filter({ hasText: 'daily' });
    const text = await row.textContent();
    expect(text).toContain('HTTP');
    expect(text).toContain(`${filesUrl}/stations.csv?token=***`);
    expect(text).not.toContain('abc123');
    expect(text).toMatch(/0 6 \* \* \*Europe\/Oslo/);
    expect(text).toContain('never');

    await row.getByRole('button', { name: 'Run daily now' }).click();
    // The pull is a background job: run it here once it is queued.
    for (let i = 0; i < 50 && (await runQueuedJobs(server.platform)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const status = page.getByTestId('source-pull-status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/Pull of daily: succeeded/);
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/succeeded3 staged, 0 quarantined/);

    await row.getByRole('button', { name: 'Runs of daily' }).click();
    await expectListLoaded(page, 'source-runs');
    expect(await page.getByTestId('source-runs').getByRole('row').nth(1).textContent()).toMatch(/manualsucceeded330/);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
