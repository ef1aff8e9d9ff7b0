// The loop in a real Chromium: the demo turns the whole loop on seattle-weather (through the
// lead's demo runner), then the admin sees every stage with its counts on the project page, the
// monitoring chart with 24 monthly windows and the alerts, the experiments with their gate
// reports, and the retraining decisions on the models pages. An empty project shows zeros.
import type { BrowserContext, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoOn } from '../../src/cli/demo/seed-demo.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';

const PROJECT = 'seattle-weather';
const STAGES = ['collect', 'cleanse', 'annotate', 'train', 'validate', 'deploy', 'monitor', 'retrain'];

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

function listLoaded(testId: string): Promise<void> {
  return expectListLoaded(page, testId);
}

/** A screenshot for people to look at (/tmp/flywheel-loop-NAME.png); nothing asserts on it. */
async function shot(name: string, fullPage = true): Promise<void> {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `/tmp/flywheel-loop-${name}.png`, fullPage });
}

/** GET an API path with the page's session (what the UI itself would read). */
async function api<T>(path: string): Promise<T> {
  return page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;
}

async function openSection(label: string): Promise<void> {
  await page.getByTestId('project-sections').getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { name: label, level: 2 }).waitFor();
}

describe('the loop in the web UI (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    await runDemoOn(server.platform, { log: () => {}, logger: pino({ level: 'warn' }) });
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 900 }, 15_000));
  }, 180_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('signs in and shows every stage of the loop with its counts and latest state', async () => {
    await page.goto(server.url);
    await submitSignIn(page, server.admin.username, server.admin.password);
    await listLoaded('project-list');
    await page.getByTestId('project-list').getByRole('link', { name: PROJECT, exact: true }).click();
    await page.locator('[data-testid="lifecycle-loop"][aria-busy="false"]').waitFor();
    expect(await page.getByTestId('error-banner').count()).toBe(0);

    const loop = page.getByTestId('lifecycle-loop');
    expect(await loop.textContent()).toMatch(/Collect.*Cleanse.*Annotate.*Train.*Validate.*Deploy.*Monitor.*Retrain/s);
    for (const stage of STAGES) {
      const card = loop.locator(`[data-stage="${stage}"]`);
      expect(Number(await card.getAttribute('data-total')), `${stage} count`).toBeGreaterThan(0);
      expect(await card.textContent(), `${stage} says nothing yet`).not.toMatch(/nothing yet/);
    }
    expect(await loop.locator('[data-stage="collect"]').textContent()).toMatch(/latest seattle-weather v\d+: [\d,]+ accepted \/ \d+ quarantined/);
    expect(await loop.locator('[data-stage="validate"]').textContent()).toMatch(/gate passed: accuracy [\d.]+ ≥ 0\.5/);
    expect(await loop.locator('[data-stage="monitor"]').textContent()).toMatch(/24 windows · [\d,]+ open alerts?/);
    expect(await loop.locator('[data-stage="retrain"]').textContent()).toMatch(/\d+ promotions? of \d+ decisions?/);
    // Each card links to the section where its stage lives.
    expect(await loop.locator('[data-stage="monitor"]').getAttribute('href')).toBe(`#/projects/${PROJECT}/monitoring`);
    await shot('overview');
  });

  it('charts the monitor: drift and performance per month with the alerts, 24 windows, the alerts list', async () => {
    await openSection('Monitoring');
    await listLoaded('monitoring-list');
    await page.getByTestId('monitoring-list').getByRole('link', { name: 'weather-monitor' }).click();
    await page.getByRole('heading', { name: 'weather-monitor', level: 2 }).waitFor();
    const chart = page.getByTestId('monitor-chart');
    await chart.locator('.uplot canvas').waitFor();
    const box = await chart.locator('.uplot canvas').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    const legend = (await chart.locator('.u-legend').textContent()) ?? '';
    for (const label of ['PSI temp_max', 'PSI threshold 0.2', 'accuracy', 'macro-F1', 'accuracy floor', 'drift alerts', 'performance alerts']) expect(legend).toContain(label);

    expect(await page.getByTestId('window-row').count()).toBe(24);
    expect(await page.getByTestId('window-row').first().textContent()).toMatch(/^Jan 2014/);
    await listLoaded('alerts-list');
    expect(await page.getByTestId('alerts-list').locator('tbody tr').count()).toBeGreaterThan(0);

    // Hovering a month shows its values in the legend, the alert counts included.
    const over = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.5, over.y + over.height * 0.5);
    await page.waitForFunction(() => !/—/.test(document.querySelector('.monitor-chart .u-legend .u-series:first-child .u-value')?.textContent ?? '—'));
    await chart.screenshot({ path: '/tmp/flywheel-loop-chart.png' });
    await shot('monitor', false);
  });

  it('lists the experiments and shows a run with its gate report', async () => {
    await openSection('Experiments');
    await listLoaded('experiments-list');
    const rows = page.getByTestId('experiments-list').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    // Dataset versions are named once the project's datasets are read.
    await rows.last().getByRole('link', { name: 'seattle-weather v1' }).waitFor();
    expect(await rows.last().textContent()).toMatch(/baseline.*finished.*seattle-weather v1.*passed/s);
    await shot('experiments');

    await rows.last().getByRole('link').first().click();
    await page.getByTestId('run-gate').waitFor();
    const checks = page.getByTestId('run-gate').locator('tbody tr');
    expect(await checks.count()).toBe(2);
    expect(await checks.first().textContent()).toMatch(/accuracy≥0\.500[\d.]+pass/);
    await page.getByTestId('run-model-version').getByRole('link', { name: /weather-classifier v1/ }).waitFor();
    expect(await page.getByTestId('run-facts').textContent()).toMatch(/Seed42.*Code version\d+\.\d+\.\d+/s);
    await shot('run');
  });

  it('shows the retraining decisions with their metrics and reason on the models pages', async () => {
    const decisions = await api<{ items: { reason: string; decision: string }[] }>(`/api/v1/projects/${PROJECT}/retraining-decisions`);
    expect(decisions.items.length).toBeGreaterThan(0);
    await openSection('Models');
    await listLoaded('retraining-decisions');
    const rows = page.getByTestId('retraining-decisions').locator('tbody tr');
    expect(await rows.count()).toBe(decisions.items.length);
    const text = (await rows.first().textContent()) ?? '';
    expect(text).toContain(decisions.items[0].reason);
    expect(text).toMatch(/macro-F1 \d\.\d{3}.*accuracy \d\.\d{3}/s);
    expect(text).toContain(decisions.items[0].decision === 'promoted' ? 'promoted' : 'kept champion');
    await shot('models');

    await page.getByTestId('models-list').getByRole('link', { name: 'weather-classifier' }).click();
    await listLoaded('model-versions');
    await listLoaded('retraining-decisions');
    expect(await page.getByTestId('retraining-decisions').locator('tbody tr').count()).toBe(decisions.items.length);
    expect(await page.getByTestId('model-versions').locator('tbody tr').first().textContent()).toMatch(/passed.*accuracy [\d.]+ ≥ 0\.500/s);
    await shot('model');
  });

  it('shows an empty project with zeros and "nothing yet" in every stage', async () => {
    const created = await page.evaluate(async () => {
      const csrf = decodeURIComponent(/(?:^|; )fw_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
      const res = await fetch('/api/v1/projects', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ name: 'fresh' }) });
      return res.status;
    });
    expect(created).toBe(201);
    await page.goto(`${server.url}/#/projects/fresh`);
    await page.locator('[data-testid="lifecycle-loop"][aria-busy="false"]').waitFor();
    const loop = page.getByTestId('lifecycle-loop');
    for (const stage of STAGES) {
      const card = loop.locator(`[data-stage="${stage}"]`);
      expect(await card.getAttribute('data-total')).toBe('0');
      expect(await card.textContent()).toMatch(/nothing yet/);
    }
    await shot('empty');
    expect(pageErrors).toEqual([]);
  });
});
