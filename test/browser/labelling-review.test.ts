// The disputes tab in a real Chromium: two annotators tie on a task; a reviewer opens the job,
// sees per-annotator gold accuracy, switches to Disputes and fixes the task's label.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signIn as apiSignIn, addMember } from '../support/http.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';

const PASSWORD = 'rita-password-123';

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

describe('labelling disputes tab (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    const admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'weather' })).status).toBe(201);
    for (const [u, role] of [['rita', 'reviewer'], ['a1', 'annotator'], ['a2', 'annotator']]) {
      await addMember(server.app, admin, 'weather', u, PASSWORD, role);
    }
    const job = await call(server.app, 'POST', '/api/v1/projects/weather/labelling-jobs', admin, {
      name: 'feb-2014',
      labels: ['rain', 'sun', 'fog'],
      overlap: 2,
      items: [{ data: { date: '2014-02-01' }, prediction_id: 'pred-9' }, { data: { date: 'gold' }, gold_label: 'sun' }],
    });
    expect(job.status).toBe(201);
    const [task, gold] = job.body.tasks.items.map((i: { task_id: string }) => i.task_id);
    for (const [u, label] of [['a1', 'rain'], ['a2', 'fog']]) {
      const as = await apiSignIn(server.app, u, PASSWORD);
      expect((await call(server.app, 'POST', `/api/v1/projects/weather/labelling-jobs/feb-2014/tasks/${task}/labels`, as, { label })).status).toBe(201);
      expect((await call(server.app, 'POST', `/api/v1/projects/weather/labelling-jobs/feb-2014/tasks/${gold}/labels`, as, { label: u === 'a1' ? 'sun' : 'fog' })).status).toBe(201);
    }
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 860 }, 10_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('lets a reviewer fix a disputed task from the Disputes tab', async () => {
    await page.goto(`${server.url}`);
    await submitSignIn(page, 'rita', PASSWORD);
    await page.getByTestId('project-list').getByRole('link', { name: 'weather' }).click();
    await page.getByTestId('project-sections').getByRole('link', { name: 'Labelling', exact: true }).click();
    await expectListLoaded(page, 'labelling-list');
    await page.getByTestId('labelling-list').getByRole('link', { name: 'feb-2014', exact: true }).click();
    await page.getByTestId('annotator-table').waitFor();
    const table = await page.getByTestId('annotator-table').textContent();
    expect(table).toContain('Gold accuracy');
    expect(table).toMatch(/100(\.0)?\s*%\s*\(1\/1\)/);
    expect(table).toMatch(/0(\.0)?\s*%\s*\(0\/1\)/);

    await page.getByRole('tab', { name: 'Disputes' }).click();
    await expectListLoaded(page, 'labelling-disputes');
    const row = page.getByTestId('labelling-disputes').getByRole('row').filter({ hasText: 'a1: rain' });
    expect(await row.textContent()).toContain('(tie)');
    await row.getByRole('combobox').selectOption('sun');
    await row.getByRole('button', { name: 'Fix' }).click();
    await page.getByTestId('labelling-disputes').getByText('No disputed tasks.').waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui-disputes.png', fullPage: true });
    expect(pageErrors).toEqual([]);

    const project = await server.platform.store.projects.getByName('weather');
    const fb = await server.platform.services.feedback.feedbackFor(project!.id, ['pred-9']);
    expect(fb.get('pred-9')).toMatchObject({ label: 'sun' });
  });
});
