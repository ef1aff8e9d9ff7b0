// The experiments pages in a real Chromium: a data scientist opens an experiment of 260 runs
// (logged through MLflow's API), filters it on the server, sorts by a metric, scrolls the
// virtualised table (only the rows in view are drawn; the next page loads at the end), compares
// two runs (differences marked, overlaid charts), watches a running run's chart grow as points
// are logged, downloads an artifact, and deletes and restores a run.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, bearer, call, signIn as apiSignIn, type Headers } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { closeChromium, openChromiumPage, submitSignIn } from '../support/browser.js';
import { ensureWebBuilt } from './build-web.js';

const PASSWORD = 'dora-password-123';
const RUNS = 260;
const TS = 1_700_000_000_000;

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
let mlflow: Headers;
let experimentId: string;
let liveRun: string;
const pageErrors: string[] = [];
/** Seeded auc of run-i and its algo: known here, so the test knows what the table must show. */
const auc = (i: number) => Math.round((0.5 + ((i * 37) % 100) / 200) * 1000) / 1000;
const algo = (i: number) => (i % 3 === 0 ? 'gbdt' : i % 3 === 1 ? 'lr' : 'rf');

/** A screenshot for people to look at (/tmp/flywheel-experiments-NAME.png); nothing asserts on it. */
const shot = (name: string) => page.screenshot({ path: `/tmp/flywheel-experiments-${name}.png`, fullPage: true });

const post = async (path: string, body: unknown) => {
  const r = await call(server.app, 'POST', `/api/2.0/mlflow${path}`, mlflow, body);
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

describe('experiments: runs table, compare, live charts, artifacts (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    await addMember(server.app, admin, 'weather', 'dora', PASSWORD, 'data-scientist');
    const tok = await call(server.app, 'POST', '/api/v1/tokens', await apiSignIn(server.app, 'dora', PASSWORD), { name: 'mlflow', role: 'data-scientist', project: 'weather' });
    mlflow = bearer(tok.body.secret);
    experimentId = (await post('/experiments/create', { name: 'sweep' })).experiment_id;
    for (let i = 0; i < RUNS; i++) {
      const run = (await post('/runs/create', { experiment_id: experimentId, run_name: `run-${i}`, start_time: TS + i * 1000 })).run.info.run_id;
      const metrics = [{ key: 'auc', value: auc(i), timestamp: TS, step: 0 }];
      if (i < 2) for (let step = 0; step < 20; step++) metrics.push({ key: 'loss', value: (i + 1) / (step + 1), timestamp: TS + step, step });
      await post('/runs/log-batch', { run_id: run, metrics, params: [{ key: 'algo', value: algo(i) }, { key: 'lr', value: String(0.01 * (1 + (i % 5))) }] });
      if (i !== RUNS - 1) await post('/runs/update', { run_id: run, status: 'FINISHED', end_time: TS + i * 1000 + 500 });
      else liveRun = run;
    }
    await post('/runs/log-batch', { run_id: liveRun, metrics: [0, 1, 2].map((step) => ({ key: 'val_loss', value: 1 - step / 10, timestamp: TS + step, step })) });
    const put = await server.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${liveRun}/artifacts/model/weights.txt`, headers: mlflow, payload: Buffer.from('w=1\n') });
    expect(put.statusCode).toBe(200);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1360, height: 1000 }, 15_000));
  }, 180_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  const table = () => page.getByTestId('runs-table');
  const loaded = () => page.locator('[data-testid="runs-table"][aria-busy="false"]').waitFor();
  const count = () => page.getByTestId('runs-count').textContent();
  const firstRunName = async () => (await table().locator('tbody tr:not(.spacer)').first().locator('td').nth(1).textContent())?.trim();

  it('opens an experiment, filters on the server and sorts by a metric', async () => {
    await page.goto(server.url);
    await submitSignIn(page, 'dora', PASSWORD);
    await page.goto(`${server.url}/#/projects/weather/experiments`);
    await page.getByTestId('experiment-list').getByRole('link', { name: 'sweep' }).click();
    await loaded();
    expect(await count()).toMatch(new RegExp(`^${RUNS} runs · 200 loaded`));
    expect(await firstRunName()).toBe(`run-${RUNS - 1}`);

    const matching = Array.from({ length: RUNS }, (_, i) => i).filter((i) => auc(i) > 0.9 && algo(i) === 'gbdt');
    await page.getByLabel('Filter runs').fill("metrics.auc > 0.9 and params.algo = 'gbdt'");
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByTestId('runs-count').getByText(new RegExp(`^${matching.length} runs`)).waitFor();
    await loaded();

    await table().getByRole('button', { name: /^auc/ }).click();
    await loaded();
    const best = [...matching].sort((a, b) => auc(b) - auc(a) || b - a)[0];
    await expect.poll(firstRunName).toBe(`run-${best}`);
    expect(await table().locator('th[aria-sort="descending"]').textContent()).toMatch(/auc/);
    await table().getByRole('button', { name: /^auc/ }).click();
    const worst = [...matching].sort((a, b) => auc(a) - auc(b) || b - a)[0];
    await expect.poll(firstRunName).toBe(`run-${worst}`);
    await shot('runs');
    expect(pageErrors).toEqual([]);
  });

  it('draws only the rows in view and loads the next page at the end of the table', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByTestId('runs-count').getByText(new RegExp(`^${RUNS} runs · 200 loaded`)).waitFor();
    await loaded();
    const scroller = table().locator('.runs-scroll');
    expect(await table().locator('tbody tr:not(.spacer)').count()).toBeLessThan(60);
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.getByTestId('runs-count').getByText(new RegExp(`^${RUNS} runs(?! · \\d+ loaded)`)).waitFor();
    await loaded();
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await table().locator(`tbody tr[aria-rowindex="${RUNS + 1}"]`).waitFor();
    expect(await table().locator('tbody tr:not(.spacer)').count()).toBeLessThan(60);
    expect(pageErrors).toEqual([]);
  });

  it('compares two runs: differences marked, metrics overlaid in one chart', async () => {
    await page.getByLabel('Filter runs').fill("attributes.run_name IN ('run-0', 'run-1')");
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByTestId('runs-count').getByText(/^2 runs/).waitFor();
    await table().getByLabel('Select run run-0', { exact: true }).check();
    await table().getByLabel('Select run run-1', { exact: true }).check();
    await page.getByRole('button', { name: 'Compare 2 runs' }).click();
    const compared = page.getByTestId('compare-table');
    await compared.waitFor();
    expect(await compared.locator('thead th').allTextContents()).toEqual(['Key', expect.stringContaining('run-0'), expect.stringContaining('run-1')]);
    const algoRow = compared.locator('tbody tr', { hasText: 'algo' });
    expect(await algoRow.getAttribute('data-differs')).toBe('true');
    expect(await algoRow.locator('td').allTextContents()).toEqual(['gbdt', 'lr']);
    const chart = page.getByTestId('compare-charts').locator('[data-testid="metric-chart"][data-metric="loss"]');
    await chart.locator('canvas').waitFor();
    expect(await chart.locator('.u-legend .u-series').allTextContents()).toEqual([expect.stringMatching(/^step/), expect.stringMatching(/^run-0/), expect.stringMatching(/^run-1/)]);
    await page.getByLabel('Only differences').check();
    expect(await compared.locator('tbody tr[data-differs="false"]').count()).toBe(0);
    await shot('compare');
    expect(pageErrors).toEqual([]);
  });

  it('updates a running run’s chart as points arrive, shows its context and artifacts, deletes and restores it', async () => {
    await page.goto(`${server.url}/#/projects/weather/experiments/${liveRun}`);
    const chart = page.getByTestId('run-charts').locator('[data-testid="metric-chart"][data-metric="val_loss"]');
    await chart.locator('canvas').waitFor();
    expect(await chart.getAttribute('data-points')).toBe('3');
    await post('/runs/log-batch', { run_id: liveRun, metrics: [3, 4, 5, 6].map((step) => ({ key: 'val_loss', value: 1 - step / 10, timestamp: TS + step, step })) });
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: 10_000 }).toBe('7');
    await post('/runs/update', { run_id: liveRun, status: 'FINISHED', end_time: TS + 999_000 });
    await page.locator('[data-testid="run-charts"][data-status="finished"]').waitFor({ timeout: 10_000 });
    await shot('run');

    const browser = page.getByTestId('artifact-browser');
    await browser.getByRole('button', { name: 'model/' }).click();
    const link = browser.getByRole('link', { name: 'weights.txt' });
    expect(await link.getAttribute('download')).toBe('weights.txt');
    const download = await page.request.get(`${server.url}${await link.getAttribute('href')}`);
    expect(await download.text()).toBe('w=1\n');

    await page.getByRole('button', { name: 'Delete run' }).click();
    await page.getByRole('button', { name: 'Confirm: Delete run' }).click();
    await page.getByRole('button', { name: 'Restore run' }).waitFor();
    expect((await call(server.app, 'GET', `/api/v1/projects/weather/runs/${liveRun}/details`, mlflow)).body.lifecycle_stage).toBe('deleted');
    await page.getByRole('button', { name: 'Restore run' }).click();
    await page.getByRole('button', { name: 'Delete run' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
