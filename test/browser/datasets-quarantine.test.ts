// The quarantine browser in a real Chromium: a data scientist filters a version's quarantine by
// rule, edits two rows and re-admits them — the fixed one goes into a new version, the other shows
// the rule it still breaks — then follows the lineage to the new version, and declares a key in
// the dataset's schema editor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, call, signIn as apiSignIn } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';
import { ensureWebBuilt } from './build-web.js';

const PASSWORD = 'dana-password-123';
const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');
const RULES = { columns: { temp_max: { type: 'double' }, weather: { allowed: ['drizzle', 'fog', 'rain', 'snow', 'sun'], semantic: 'label' } } };

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

describe('quarantine browser (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'curation' })).status).toBe(201);
    await addMember(server.app, admin, 'curation', 'dana', PASSWORD, 'data-scientist');
    expect((await call(server.app, 'POST', '/api/v1/projects/curation/datasets', admin, { name: 'weather' })).status).toBe(201);
    const lines = readFileSync(SEATTLE, 'utf8').trim().split('\n');
    // 2012 on lines 2–367, then lines 368–370: two bad temp_max values and an unknown weather.
    const csv = [lines[0], ...lines.slice(1).filter((l) => l.startsWith('2012-')), '2013-01-01,0,warm,5,2,sun', '2013-01-02,0,hot,5,2,sun', '2013-01-03,0,8,5,2,hail'].join('\n');
    const up = await server.app.inject({
      method: 'POST',
      url: `/api/v1/projects/curation/datasets/weather/versions?rules=${encodeURIComponent(JSON.stringify(RULES))}`,
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(up.statusCode, up.body).toBe(201);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 900 }, 15_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('filters the quarantine by rule, edits rows and re-admits them', async () => {
    await page.goto(server.url);
    await submitSignIn(page, 'dana', PASSWORD);
    await page.getByTestId('project-list').waitFor();
    await page.goto(`${server.url}/#/projects/curation/datasets/weather/1`);
    await expectListLoaded(page, 'quarantine-list');
    const browser = page.getByTestId('quarantine-list');
    const dataRows = browser.locator('tbody tr[data-line]');
    expect(await dataRows.count()).toBe(3);
    expect(await browser.getByRole('group', { name: 'Filter by rule' }).textContent()).toMatch(/All3.*temp_max\.type2.*weather\.allowed1/);

    await browser.getByRole('button', { name: /^temp_max\.type/ }).click();
    await expectListLoaded(page, 'quarantine-list');
    expect(await dataRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line')))).toEqual(['368', '369']);

    await browser.getByRole('button', { name: 'Edit line 368' }).click();
    await browser.getByLabel('temp_max of line 368').fill('12.5');
    await browser.getByRole('button', { name: 'Edit line 369' }).click();
    await browser.getByLabel('temp_max of line 369').fill('still hot');
    await browser.getByRole('button', { name: 'Re-admit selected (2)' }).click();

    const outcome = page.getByTestId('readmit-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(/Re-admitted 1 row into v2; 1 still fails/);
    await expectListLoaded(page, 'quarantine-list');
    expect(await browser.locator('tr[data-line="368"]').textContent()).toMatch(/re-admitted in v2/);
    expect(await browser.locator('tr[data-line="369"]').textContent()).toMatch(/still fails: temp_max\.type — temp_max: 'still hot' is not a number/);
    expect(await browser.getByLabel('Select line 368').isDisabled()).toBe(true);
    expect(await browser.getByLabel('Select line 369').isChecked()).toBe(true);

    const lineage = page.getByTestId('version-lineage');
    await lineage.getByText('1 quarantined row re-admitted into').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('shows where the new version came from, and declares a key in the schema editor', async () => {
    await page.getByTestId('readmit-outcome').getByRole('link', { name: 'v2' }).click();
    await page.getByRole('heading', { name: 'weather v2' }).waitFor();
    const lineage = page.getByTestId('version-lineage');
    await lineage.waitFor();
    expect(await lineage.textContent()).toMatch(/parent v1 \(file\).*readmit: re-admitted from v1 \(1 row\).*re-admitted from v1's quarantine, line 368/);
    await expectListLoaded(page, 'quarantine-list');
    expect(await page.getByTestId('quarantine-list').textContent()).toMatch(/No quarantined rows/);

    await page.goto(`${server.url}/#/projects/curation/datasets/weather`);
    const editor = page.getByTestId('schema-editor');
    await editor.waitFor();
    // Only date is unique and never empty: the one candidate key.
    expect(await editor.getByRole('row').filter({ hasText: 'candidate key' }).locator('code').allTextContents()).toEqual(['date']);
    await editor.getByLabel('date is part of the key').check();
    await editor.getByLabel('Meaning of wind').selectOption('categorical');
    await editor.getByRole('button', { name: 'Save schema' }).click();
    await editor.getByRole('status').waitFor();
    expect(await editor.getByRole('status').textContent()).toMatch(/Schema saved/);
    expect(await editor.textContent()).toMatch(/Declared schema, saved/);
    expect(pageErrors).toEqual([]);
  });
});
