// A reviewer fixes disputed structured tasks in a real Chromium, in the Disputes tab's fix editor
// that starts from the consensus: ticks a missing label of a multi-label task; adds two spans by
// selecting text and clicking their label, removing a wrong one; draws the box two annotators
// disagreed on and labels it. Each fix is stored as the task's resolved value, no longer disputed.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, call, signIn as apiSignIn, type Headers } from '../support/http.js';
import { pngDataUrl } from '../support/png.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';
import { selectText } from '../support/text-selection.js';

const PASSWORD = 'rita-password-123';
const BASE = '/api/v1/projects/news/labelling-jobs';
const TEXT = 'Anna flew from Oslo to Paris.';

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
let admin: Headers;
const pageErrors: string[] = [];

const span = (start: number, end: number, label: string) => ({ start, end, text: TEXT.slice(start, end), labels: [label] });
const onlyTask = async (job: string) => (await call(server.app, 'GET', `${BASE}/${job}/tasks`, admin)).body.items[0];

async function openDisputes(job: string): Promise<void> {
  await page.goto(`${server.url}/#/projects/news/labelling/${job}`);
  await page.getByRole('tab', { name: 'Disputes' }).click();
  await expectListLoaded(page, 'labelling-disputes');
  await page.getByTestId('labelling-disputes').getByRole('button', { name: /^Fix task / }).click();
  await page.getByTestId('fix-editor').waitFor();
}

async function saveFix(): Promise<void> {
  await page.getByTestId('fix-editor').getByRole('button', { name: 'Save fix' }).click();
  await page.getByTestId('labelling-disputes').getByText('No disputed tasks.').waitFor();
  expect(await page.getByTestId('fix-editor').count()).toBe(0);
}

describe('fixing disputed structured tasks (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'news' })).status).toBe(201);
    for (const [u, role] of [['rita', 'reviewer'], ['a1', 'annotator'], ['a2', 'annotator']]) await addMember(server.app, admin, 'news', u, PASSWORD, role);
    const jobs = [
      { name: 'topics', kind: 'multi-label', labels: ['sport', 'politics', 'economy'], overlap: 2, items: [{ data: { headline: 'Tax on clubs' } }] },
      { name: 'ner', kind: 'text-spans', labels: ['PER', 'LOC'], overlap: 2, items: [{ data: { text: TEXT } }] },
      { name: 'street', kind: 'image-boxes', labels: ['car', 'person'], overlap: 2, items: [{ data: { image: pngDataUrl(200, 120, [90, 160, 90]) } }] },
    ];
    for (const job of jobs) expect((await call(server.app, 'POST', BASE, admin, job)).status).toBe(201);
    // Each pair splits on something: a tie, so each task is disputed.
    const answers: Record<string, [unknown, unknown]> = {
      topics: [{ choices: ['economy', 'sport'] }, { choices: ['economy'] }],
      ner: [{ spans: [span(0, 4, 'PER'), span(15, 19, 'LOC')] }, { spans: [span(0, 4, 'PER'), span(0, 9, 'PER')] }],
      street: [{ boxes: [{ x: 5, y: 5, width: 20, height: 20, labels: ['car'] }] }, { boxes: [{ x: 70, y: 60, width: 20, height: 30, labels: ['car'] }] }],
    };
    for (const [job, [a, b]] of Object.entries(answers)) {
      const task = (await onlyTask(job)).id;
      for (const [who, body] of [['a1', a], ['a2', b]] as const) {
        const r = await call(server.app, 'POST', `${BASE}/${job}/tasks/${task}/labels`, await apiSignIn(server.app, who, PASSWORD), body);
        expect(r.status, JSON.stringify(r.body)).toBe(201);
      }
      expect(await onlyTask(job)).toMatchObject({ status: 'resolved', disputed: true });
    }
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 1000 }, 10_000));
    await page.goto(server.url);
    await submitSignIn(page, 'rita', PASSWORD);
    await page.getByTestId('whoami').waitFor();
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('multi-label: ticks the label the consensus left out', async () => {
    await openDisputes('topics');
    const editor = page.getByTestId('fix-editor');
    expect(await editor.getByLabel('economy').isChecked()).toBe(true);
    expect(await editor.getByLabel('sport').isChecked()).toBe(false);
    await editor.getByLabel('sport').check();
    await saveFix();
    expect(await onlyTask('topics')).toMatchObject({ resolved_value: { type: 'choices', choices: ['sport', 'economy'] }, resolved_label: 'sport, economy', disputed: false, resolved_by: 'review' });
  });

  it('text spans: adds spans by selecting text and clicking a label, removes a wrong one', async () => {
    await openDisputes('ner');
    const editor = page.getByTestId('fix-editor');
    // The consensus: Anna as PER (both gave it).
    expect(await editor.getByTestId('span-list').textContent()).toContain('“Anna”');
    await selectText(page, 15, 19, '[data-testid="fix-editor"]'); // Oslo
    await editor.getByRole('button', { name: 'LOC', exact: true }).click();
    await selectText(page, 23, 28, '[data-testid="fix-editor"]'); // Paris
    await editor.getByRole('button', { name: 'PER', exact: true }).click(); // wrong label: removed
    await editor.getByRole('button', { name: 'Remove span Paris' }).click();
    await selectText(page, 23, 28, '[data-testid="fix-editor"]');
    await editor.getByRole('button', { name: 'LOC', exact: true }).click();
    await editor.getByRole('button', { name: 'LOC', exact: true }).click(); // nothing selected: a note, no span
    await editor.getByRole('status').filter({ hasText: 'Select some text first' }).waitFor();
    await saveFix();
    expect((await onlyTask('ner')).resolved_value).toEqual({ type: 'labels', spans: [span(0, 4, 'PER'), span(15, 19, 'LOC'), span(23, 28, 'LOC')] });
  });

  it('image boxes: draws the box and labels it', async () => {
    await openDisputes('street');
    const editor = page.getByTestId('fix-editor');
    await page.waitForFunction(() => (document.querySelector('[data-testid="fix-editor"] [data-testid="box-stage"] img') as HTMLImageElement | null)?.naturalWidth === 200);
    const img = editor.getByTestId('box-stage').locator('img');
    await img.scrollIntoViewIfNeeded();
    const r = (await img.boundingBox())!;
    await page.mouse.move(r.x + r.width * 0.7, r.y + r.height * 0.6);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width * 0.9, r.y + r.height * 0.9, { steps: 8 });
    await page.mouse.up();
    await editor.getByTestId('pending-box').waitFor();
    await editor.getByRole('button', { name: 'car', exact: true }).click();
    expect(await editor.getByTestId('box-list').textContent()).toContain('car');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui-fix-boxes.png', fullPage: true });
    await saveFix();
    const fixed = (await onlyTask('street')).resolved_value;
    expect(fixed).toMatchObject({ type: 'rectanglelabels', original_width: 200, original_height: 120 });
    expect(fixed.boxes).toHaveLength(1);
    const [box] = fixed.boxes;
    expect(box.labels).toEqual(['car']);
    for (const [got, want] of [[box.x, 70], [box.y, 60], [box.width, 20], [box.height, 30]]) expect(Math.abs(got - want)).toBeLessThan(1.5);
    expect(pageErrors).toEqual([]);
  });
});
