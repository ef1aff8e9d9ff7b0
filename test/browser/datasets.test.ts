// Datasets in a real Chromium: a data scientist sees the datasets list, ingests a CSV file from
// the browser (streamed as the raw body), and opens a version: report, schema with profile
// (a histogram per numeric column) and the quarantine with line, rule and reason.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signIn as apiSignIn, addMember } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';

const PASSWORD = 'dana-password-123';
const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

function listLoaded(testId: string): Promise<void> {
  return expectListLoaded(page, testId);
}

describe('datasets pages (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    await addMember(server.app, admin, 'weather', 'dana', PASSWORD, 'data-scientist');
    expect((await call(server.app, 'POST', '/api/v1/projects/weather/datasets', admin, { name: 'seattle', description: 'Seattle daily weather' })).status).toBe(201);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 900 }, 15_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('ingests a file from the browser and shows the report', async () => {
    await page.goto(server.url);
    await submitSignIn(page, 'dana', PASSWORD);
    await page.getByTestId('project-list').getByRole('link', { name: 'weather' }).click();
    await page.getByTestId('project-sections').getByRole('link', { name: 'Datasets', exact: true }).click();
    await listLoaded('datasets-list');
    await page.getByTestId('datasets-list').getByRole('link', { name: 'seattle' }).click();
    await listLoaded('dataset-versions');

    const lines = readFileSync(SEATTLE, 'utf8').trim().split('\n');
    const file = join(profileDir, 'seattle.csv');
    writeFileSync(file, [...lines, '2016-01-01,-3,1,1,1,sun', '2016-01-02,1,1,1'].join('\n'));
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    await page.getByLabel('Rules (JSON, optional)').fill('{"columns": {"precipitation": {"range": {"min": 0}}, "weather": {"semantic": "label"}}}');
    await page.getByRole('button', { name: 'Ingest' }).click();
    const status = page.getByRole('status');
    await status.waitFor();
    expect(await status.textContent()).toMatch(/Version 1: read 1,463, accepted 1,461, quarantined 2/);
    await listLoaded('dataset-versions');
    expect(await page.getByTestId('dataset-versions').getByRole('row').filter({ hasText: 'v1' }).textContent()).toMatch(/1,463.*1,461.*2.*seattle\.csv/);
  });

  it('shows a version: schema, profile with histograms, and the quarantine', async () => {
    await page.getByTestId('dataset-versions').getByRole('link', { name: 'v1' }).click();
    await listLoaded('quarantine-list');
    expect(await page.getByTestId('ingest-report').textContent()).toMatch(/Quarantined2 \(parse\.missing_columns: 1, precipitation\.range: 1\)/);
    const profile = page.getByTestId('profile');
    expect(await profile.getByRole('row').filter({ hasText: 'precipitation' }).textContent()).toMatch(/double.*numeric/);
    expect(await profile.getByRole('img', { name: 'Histogram of temp_max' }).count()).toBe(1);
    expect(await profile.getByRole('row').filter({ hasText: 'weather' }).textContent()).toMatch(/label.*rain 641/);
    const rows = page.getByTestId('quarantine-list').getByRole('row');
    expect(await rows.filter({ hasText: '1463' }).textContent()).toMatch(/precipitation\.range.*-3 is below the minimum 0/);
    expect(await rows.filter({ hasText: '1464' }).textContent()).toMatch(/parse\.missing_columns.*the record has 4 fields/);
    expect(pageErrors).toEqual([]);
  });
});
