// The labelling workbench in a real Chromium: an annotator signs in, opens Labelling, labels two
// tasks with the label buttons until "All done", and the job's progress shows them resolved.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signIn as apiSignIn, addMember } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';

const PASSWORD = 'anna-password-123';

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

function listLoaded(testId: string): Promise<void> {
  return expectListLoaded(page, testId);
}

describe('labelling workbench (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    await addMember(server.app, admin, 'weather', 'anna', PASSWORD, 'annotator');
    const job = await call(server.app, 'POST', '/api/v1/projects/weather/labelling-jobs', admin, {
      name: 'jan-2014',
      labels: ['rain', 'sun', 'fog'],
      overlap: 1,
      items: [
        { data: { date: '2014-01-01', precipitation: 7.4, temp_max: 8.3, wind: 4.1 }, prediction_id: 'pred-1' },
        { data: { date: '2014-01-02', precipitation: 0, temp_max: 11.1, wind: 2.0 } },
      ],
    });
    expect(job.status).toBe(201);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 860 }, 10_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('lets an annotator label two tasks with the buttons, and the progress follows', async () => {
    await page.goto(server.url);
    await submitSignIn(page, 'anna', PASSWORD);
    await page.getByTestId('project-list').getByRole('link', { name: 'weather' }).click();
    await page.getByTestId('project-sections').getByRole('link', { name: 'Labelling', exact: true }).click();
    await page.getByRole('heading', { name: 'Labelling', level: 2 }).waitFor();
    await listLoaded('labelling-list');
    const row = page.getByTestId('labelling-list').getByRole('row').filter({ hasText: 'jan-2014' });
    expect(await row.getByTestId('progress').textContent()).toContain('0 / 2');
    // An annotator cannot create jobs: the button is not offered.
    expect(await page.getByRole('button', { name: 'New labelling job' }).count()).toBe(0);

    await row.getByRole('link', { name: 'Start labelling jan-2014' }).click();
    await page.getByRole('heading', { name: 'Labelling jan-2014' }).waitFor();
    const task = page.getByTestId('workbench-task');
    await task.waitFor();
    const first = await task.getAttribute('data-task-id');
    expect(await page.getByTestId('task-data').textContent()).toMatch(/date\s*2014-01-01/);
    // Blind: nothing on the page names another label or annotator.
    expect(await page.locator('.label-chip').count()).toBe(0);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui-workbench.png', fullPage: true });

    await page.getByRole('group', { name: 'Labels' }).getByRole('button', { name: 'rain' }).click();
    await page.locator(`[data-testid="workbench-task"]:not([data-task-id="${first}"])`).waitFor();
    expect(await page.getByTestId('task-data').textContent()).toMatch(/date\s*2014-01-02/);
    await page.getByRole('group', { name: 'Labels' }).getByRole('button', { name: 'sun' }).click();
    await page.getByTestId('all-done').waitFor();
    expect(await page.getByTestId('session-count').textContent()).toBe('2');

    await page.getByTestId('all-done').getByRole('link', { name: 'Back to jan-2014' }).click();
    await page.getByRole('heading', { name: 'jan-2014', level: 2 }).waitFor();
    await page.getByTestId('job-stats').waitFor();
    expect(await page.getByTestId('job-stats').getByTestId('progress').textContent()).toContain('2 / 2');
    expect(await page.getByTestId('annotator-table').textContent()).toMatch(/anna\s*2/);
    await listLoaded('labelling-task-list');
    // Her own labels only.
    expect((await page.getByTestId('labelling-task-list').locator('.label-chip').allTextContents()).sort()).toEqual(['anna: rain', 'anna: sun']);

    await page.getByTestId('project-sections').getByRole('link', { name: 'Labelling', exact: true }).click();
    await listLoaded('labelling-list');
    expect(await page.getByTestId('labelling-list').getByRole('row').filter({ hasText: 'jan-2014' }).getByTestId('progress').textContent()).toContain('2 / 2');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui-labelling.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('turned the labelled prediction into feedback', async () => {
    const project = await server.platform.store.projects.getByName('weather');
    const fb = await server.platform.services.feedback.feedbackFor(project!.id, ['pred-1']);
    expect(fb.get('pred-1')).toMatchObject({ label: 'rain', source: 'annotation' });
  });
});
