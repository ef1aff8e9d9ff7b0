// Dataset sources in a real Chromium: a data scientist opens a dataset, adds an HTTP source (a
// bad cron expression is shown under its field), sees it listed with kind, schedule, time zone
// and next run, presses "Run now" (the pull job runs in this process) and sees the last run's
// status and rows, then the source's runs. Then edits it (bad values shown under their fields in
// the server's words; the URL is replaced, never shown), switches its schedule off and still
// runs it by hand, sees a failed run's error text, and deletes the source after confirming.
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
    files = createServer((req, res) => {
      if (req.url?.startsWith('/missing.csv')) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such file');
      if (req.url?.startsWith('/stations-v2.csv')) return void res.writeHead(200, { 'content-type': 'text/csv' }).end('station,temp\ntromso,-4\nalta,-9\n');
      res.writeHead(200, { 'content-type': 'text/csv' }).end('station,temp\noslo,3.5\nbergen,7\nbodo,-1\n');
    });
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

    // "Run now" opens the source's runs.
    expect(await row.getByRole('button', { name: 'Runs of daily' }).getAttribute('aria-pressed')).toBe('true');
    await expectListLoaded(page, 'source-runs');
    expect(await page.getByTestId('source-runs').getByRole('row').nth(1).textContent()).toMatch(/manualsucceeded330/);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('edits a source, runs it by hand with its schedule off, shows a failed run\'s error, and deletes it after confirming', async () => {
    const dana = await apiSignIn(server.app, 'dana', PASSWORD);
    const sources = '/api/v1/projects/weather/datasets/stations/sources';
    const list = page.getByTestId('dataset-sources');
    const row = list.getByRole('row').filter({ hasText: 'daily' });
    await row.getByRole('button', { name: 'Edit daily' }).click();
    const form = page.getByRole('form', { name: 'Edit source daily' });
    expect(await form.getByTestId('source-location').textContent()).toBe(`${filesUrl}/stations.csv?token=***`);
    expect(await form.innerHTML()).not.toContain('abc123'); // the stored URL is never in the page
    expect(await form.getByLabel('Schedule (cron)').inputValue()).toBe('0 6 * * *');

    // Bad values come back from the server and show under their fields.
    await form.getByLabel('Time zone').fill('Mars/Olympus');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => form.locator('.field-invalid').filter({ hasText: 'Time zone' }).textContent()).toMatch(/must be an IANA time zone such as 'UTC'/);
    await form.getByLabel('Time zone').fill('UTC');
    await form.getByLabel('Schedule (cron)').fill('30 7 * * 1-5');
    await form.getByLabel('Commit every N rows (optional)').fill('0');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => form.locator('.field-invalid').filter({ hasText: 'Commit every N rows' }).textContent()).toMatch(/>=1/);
    await form.getByLabel('Commit every N rows (optional)').fill('500');
    await form.getByLabel('Pull on schedule').uncheck();
    await form.getByRole('button', { name: 'Replace URL' }).click();
    expect(await form.getByLabel('New URL').inputValue()).toBe('');
    expect(await form.getByLabel('New URL').getAttribute('type')).toBe('password');
    await form.getByLabel('New URL').fill(`${filesUrl}/stations-v2.csv?token=new456`);
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await page.getByTestId('sources-notice').textContent()).toContain('Saved source daily.');
    await expectListLoaded(page, 'dataset-sources');
    await expect.poll(() => row.textContent()).toMatch(/30 7 \* \* 1-5UTCdisabledevery 500 rows/);
    expect(await row.textContent()).toContain(`${filesUrl}/stations-v2.csv?token=***`);
    expect(await page.content()).not.toContain('new456');
    const saved = await call(server.app, 'GET', `${sources}/daily`, dana);
    expect(saved.body).toMatchObject({ schedule: '30 7 * * 1-5', timezone: 'UTC', enabled: false, next_run_at: null, commit_every_rows: 500, location: `${filesUrl}/stations-v2.csv?token=***` });

    // "Run now" pulls a disabled source by hand (from the new URL); the schedule stays off.
    await row.getByRole('button', { name: 'Run daily now' }).click();
    for (let i = 0; i < 50 && (await runQueuedJobs(server.platform)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const status = page.getByTestId('source-pull-status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('Pull of daily (schedule off, pulled by hand): succeeded — 2 staged, 0 quarantined');
    await expectListLoaded(page, 'source-runs');
    const runs = page.getByTestId('source-runs').getByRole('row');
    await expect.poll(() => runs.count()).toBe(3); // the header and two runs
    expect(await runs.nth(1).textContent()).toMatch(/manualsucceeded220/);
    expect((await call(server.app, 'GET', `${sources}/daily`, dana)).body).toMatchObject({ enabled: false, next_run_at: null, last_run: { trigger: 'manual', rows_staged: 2 } });

    // A failed pull shows its error text in the list and in its runs.
    expect((await call(server.app, 'POST', sources, dana, { name: 'broken', kind: 'http', url: `${filesUrl}/missing.csv`, schedule: '0 * * * *', timezone: 'UTC' })).status).toBe(201);
    await page.reload();
    await expectListLoaded(page, 'dataset-sources');
    const broken = list.getByRole('row').filter({ hasText: 'broken' });
    await broken.getByRole('button', { name: 'Run broken now' }).click();
    for (let i = 0; i < 50 && (await runQueuedJobs(server.platform)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe(`Pull of broken: failed — GET ${filesUrl}/missing.csv answered HTTP 404 Not Found`);
    await expect.poll(() => broken.textContent()).toContain(`failedGET ${filesUrl}/missing.csv answered HTTP 404 Not Found`);
    await expectListLoaded(page, 'source-runs');
    expect(await page.getByTestId('source-runs').getByRole('row').nth(1).textContent()).toMatch(new RegExp(`manualfailed000GET ${filesUrl.replace(/[.]/g, '\\.')}/missing\\.csv answered HTTP 404 Not Found$`));

    // Delete asks for a second click; then the source, its runs and its secret are gone.
    await row.getByRole('button', { name: 'Delete source daily' }).click();
    expect(await list.getByRole('row').count()).toBe(3); // not yet: the button asks to confirm
    await row.getByRole('button', { name: 'Confirm: Delete source daily' }).click();
    await expect.poll(() => list.getByRole('row').count()).toBe(2);
    expect(await page.getByTestId('sources-notice').textContent()).toMatch(/Deleted source daily/);
    await expectListLoaded(page, 'dataset-sources');
    expect((await call(server.app, 'GET', `${sources}/daily`, dana)).status).toBe(404);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
