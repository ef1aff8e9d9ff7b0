// Datasets in a real Chromium: a data scientist sees the datasets list, ingests a CSV file from
// the browser (streamed as the raw body, with an upload progress bar), and opens a version: report,
// a profile card per column (a histogram per numeric column, bars of the top values per
// categorical one) and the quarantine with line, rule and reason. A second ingest shows both
// versions on the timeline, and the diff view answers what the diff API answers.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
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
let admin: Awaited<ReturnType<typeof apiSignIn>>;
const pageErrors: string[] = [];
const RULES = '{"columns": {"precipitation": {"range": {"min": 0}}, "weather": {"semantic": "label"}}}';

function listLoaded(testId: string): Promise<void> {
  return expectListLoaded(page, testId);
}

describe('datasets pages (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
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
    await page.getByLabel('Rules (JSON or YAML, optional)').fill(RULES);
    await page.getByRole('button', { name: 'Ingest' }).click();
    const status = page.getByRole('status');
    await status.waitFor();
    expect(await status.textContent()).toMatch(/Version 1: read 1,463, accepted 1,461, quarantined 2/);
    const progress = page.getByRole('progressbar', { name: 'Upload progress' });
    expect(await progress.getAttribute('aria-valuenow')).toBe('100');
    const kib = `${Math.round(statSync(file).size / 1024)} KiB`;
    expect(await progress.textContent()).toBe(`${kib} / ${kib} · 100%`);
    await listLoaded('dataset-versions');
    expect(await page.getByTestId('dataset-versions').getByRole('row').filter({ hasText: 'v1' }).textContent()).toMatch(/1,463.*1,461.*2.*seattle\.csv/);
  });

  it('shows a version: schema, profile with histograms, and the quarantine', async () => {
    await page.getByTestId('dataset-versions').getByRole('link', { name: 'v1' }).click();
    await listLoaded('quarantine-list');
    expect(await page.getByTestId('ingest-report').textContent()).toMatch(/Quarantined2 \(parse\.missing_columns: 1, precipitation\.range: 1\)/);
    const profile = page.getByTestId('profile');
    const api = (await call(server.app, 'GET', '/api/v1/projects/weather/datasets/seattle/versions/1', admin)).body;
    const columnOf = (name: string) => api.profile.find((p: { name: string }) => p.name === name);
    expect(await profile.locator('[data-column="precipitation"] header').textContent()).toMatch(/precipitation\s*double · numeric/);
    const histogram = profile.getByRole('img', { name: 'Histogram of temp_max' });
    expect(await histogram.count()).toBe(1);
    expect(await histogram.locator('rect.histogram-bar').count()).toBe(columnOf('temp_max').histogram.counts.length);
    expect(await histogram.locator('title').first().textContent()).toMatch(/^Histogram of temp_max: 20 bins from -1\.6 to 35\.6, 1,461 values$/);
    const tempStats = profile.getByRole('table', { name: 'Statistics of temp_max' });
    expect(await tempStats.getByRole('row').filter({ hasText: 'Count' }).textContent()).toMatch(/Count1,461p1/);
    expect(await tempStats.getByRole('row').filter({ hasText: 'p50' }).textContent()).toContain(`p50${Number(columnOf('temp_max').quantiles[3].value.toPrecision(4))}`);
    const weather = profile.locator('[data-column="weather"]');
    expect(await weather.locator('header').textContent()).toMatch(/string · label/);
    const bars = weather.getByRole('img', { name: 'Top values of weather' });
    expect(await bars.locator('rect.category-bar').count()).toBe(columnOf('weather').top.length);
    expect(await bars.locator('.category-label').allTextContents()).toEqual(columnOf('weather').top.map((t: { value: string }) => t.value));
    expect(await bars.locator('.category-count').first().textContent()).toBe('641 43.9%');
    expect(await profile.getByRole('img', { name: 'Histogram of weather' }).count()).toBe(0);
    const rows = page.getByTestId('quarantine-list').getByRole('row');
    expect(await rows.filter({ hasText: '1463' }).textContent()).toMatch(/precipitation\.range.*-3 is below the minimum 0/);
    expect(await rows.filter({ hasText: '1464' }).textContent()).toMatch(/parse\.missing_columns.*the record has 4 fields/);
    expect(pageErrors).toEqual([]);
  });
  it('shows both versions on the timeline and their diff as the API answers it', async () => {
    await page.getByRole('link', { name: 'seattle' }).first().click();
    await listLoaded('dataset-versions');
    // Version 2: the first 10 days dropped, 5 days' weather changed, 3 new days.
    const [header, ...rows] = readFileSync(SEATTLE, 'utf8').trim().split('\n');
    const changed = rows.slice(10).map((r, i) => (i < 5 ? r.replace(/,[a-z]+$/, ',fog') : r));
    const file = join(profileDir, 'seattle-2.csv');
    writeFileSync(file, [header, ...changed, '2016-01-01,0.0,5.0,1.0,2.0,sun', '2016-01-02,0.0,6.0,1.5,2.5,sun', '2016-01-03,1.0,7.0,2.0,3.0,rain'].join('\n'));
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    await page.getByLabel('Rules (JSON or YAML, optional)').fill(RULES);
    await page.getByRole('button', { name: 'Ingest' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 2' }).waitFor();
    expect(await page.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('aria-valuenow')).toBe('100');

    const timeline = page.getByTestId('versions-timeline');
    await timeline.locator('[data-version="2"]').waitFor();
    expect(await timeline.locator('[data-version]').evaluateAll((els) => els.map((e) => e.getAttribute('data-version')))).toEqual(['1', '2']);
    expect(await timeline.locator('[data-version="1"]').getAttribute('aria-label')).toMatch(/^v1: 1,461 accepted, 2 quarantined, file upload seattle\.csv, /);
    expect(await timeline.locator('[data-version="2"]').getAttribute('aria-label')).toMatch(/^v2: 1,454 accepted, 0 quarantined, file upload seattle-2\.csv, from v1, /);
    expect(await timeline.locator('[data-version="1"] .timeline-quarantined').count()).toBe(1);
    expect(await timeline.locator('.timeline-link').count()).toBe(1);
    await listLoaded('dataset-versions');
    expect(await page.getByTestId('dataset-versions').getByRole('row').count()).toBe(3);

    await timeline.locator('[data-version="2"]').click();
    await listLoaded('quarantine-list');
    await page.getByRole('link', { name: 'Compare with…' }).click();
    const facts = page.getByTestId('diff-rows');
    await facts.waitFor();
    const diff = (await call(server.app, 'GET', '/api/v1/projects/weather/datasets/seattle/diff?from=1&to=2', admin)).body;
    expect(diff.rows).toMatchObject({ added: 3, removed: 10, changed: 5 });
    const count = async (id: string) => Number((await facts.locator(`[data-count="${id}"] dd`).textContent())!.replace(/[^0-9]/g, ''));
    expect([await count('added'), await count('removed'), await count('changed'), await count('unchanged')]).toEqual([diff.rows.added, diff.rows.removed, diff.rows.changed, diff.rows.unchanged]);
    expect(await page.getByTestId('diff-key').textContent()).toMatch(new RegExp(`Rows matched by ${diff.key.join(', ')}`));
    expect(await page.getByTestId('column-shifts').getByTestId('psi-bar').count()).toBe(diff.columns.length);
    const weatherShift = diff.columns.find((c: { column: string }) => c.column === 'weather');
    expect(await page.getByRole('img', { name: /^PSI of weather: / }).getAttribute('aria-label')).toContain(weatherShift.psi.toFixed(4));
    expect(await page.getByText('No schema changes').count()).toBe(1);
    // Sample rows of each kind, as the API lists them.
    expect(await page.getByTestId('diff-added').locator('tbody tr').count()).toBe(diff.samples.added.length);
    expect(await page.getByTestId('diff-removed').locator('tbody tr').count()).toBe(diff.samples.removed.length);
    expect(await page.getByTestId('diff-changed').locator('tbody tr').first().textContent()).toContain(`${diff.samples.changed[0].changes[0].column}`);

    // Pick the versions the other way round: the diff follows the route.
    await page.getByLabel('From version').selectOption('2');
    await page.getByLabel('To version').selectOption('1');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/\/diff\/2\/1$/);
    await facts.locator('[data-count="added"] dd').filter({ hasText: /^10$/ }).waitFor();
    expect(await count('removed')).toBe(3);
    expect(pageErrors).toEqual([]);
  });
});
