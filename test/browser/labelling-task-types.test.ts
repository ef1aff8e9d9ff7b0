// The workbench for structured tasks in a real Chromium, by keyboard and mouse: an annotator
// selects text spans with the mouse and labels them with digits (a wrong one removed, another
// undone with Z), submits with Enter and gets the preloaded next task, skips it with S; draws a
// box on an image (a PNG made by the test, as a data: URL) and labels it with a digit; toggles
// labels of a multi-label task with digits, submits with Enter, and takes it back with Z.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, call, signIn as apiSignIn, type Headers } from '../support/http.js';
import { pngDataUrl } from '../support/png.js';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, openChromiumPage, submitSignIn } from '../support/browser.js';
import { selectText } from '../support/text-selection.js';

const PASSWORD = 'anna-password-123';
const TEXT = 'Anna flew from Oslo to Paris.';
const BASE = '/api/v1/projects/news/labelling-jobs';

let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
let admin: Headers;
const pageErrors: string[] = [];

async function openWorkbench(job: string): Promise<void> {
  await page.goto(`${server.url}/#/projects/news/labelling/${job}/work`);
  await page.getByRole('heading', { name: `Labelling ${job}` }).waitFor();
  await page.getByTestId('workbench-task').waitFor();
}

const labelsOf = async (job: string) => (await call(server.app, 'GET', `${BASE}/${job}/tasks`, admin)).body.items as Array<{ id: string; status: string; labels: Array<{ value: any }> }>;

describe('labelling workbench for spans, boxes and multi-label (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    admin = await apiSignIn(server.app, server.admin.username, server.admin.password);
    expect((await call(server.app, 'POST', '/api/v1/projects', admin, { name: 'news' })).status).toBe(201);
    await addMember(server.app, admin, 'news', 'anna', PASSWORD, 'annotator');
    const jobs = [
      { name: 'ner', kind: 'text-spans', labels: ['PER', 'LOC'], overlap: 1, items: [{ data: { text: TEXT } }, { data: { text: 'Second text.' } }] },
      { name: 'street', kind: 'image-boxes', labels: ['car', 'person'], overlap: 1, items: [{ data: { image: pngDataUrl(200, 120, [90, 160, 90]) } }] },
      { name: 'topics', kind: 'multi-label', labels: ['sport', 'politics', 'economy'], overlap: 2, items: [{ data: { headline: 'Tax on clubs' } }, { data: { headline: 'Cup final' } }] },
    ];
    for (const job of jobs) expect((await call(server.app, 'POST', BASE, admin, job)).status).toBe(201);
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 900 }, 10_000));
    await page.goto(server.url);
    await submitSignIn(page, 'anna', PASSWORD);
    await page.getByTestId('project-list').waitFor();
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('labels text spans selected with the mouse, by keyboard; Enter submits, the next task is preloaded, S skips', async () => {
    await openWorkbench('ner');
    const task = page.getByTestId('workbench-task');
    const first = await task.getAttribute('data-task-id');
    await page.locator('[data-testid="workbench-task"][data-next-task]').waitFor(); // the next task is preloaded
    const preloaded = await task.getAttribute('data-next-task');
    expect(preloaded).toMatch(/^[0-9a-f-]{36}$/);
    await selectText(page, 23, 28); // Paris
    await page.keyboard.press('2');
    await selectText(page, 0, 4); // Anna
    await page.keyboard.press('1');
    await selectText(page, 5, 9); // flew: a mistake, removed from the list
    await page.keyboard.press('1');
    await page.getByRole('button', { name: 'Remove span flew' }).click();
    await selectText(page, 15, 19); // Oslo, then undone with Z
    await page.keyboard.press('2');
    expect(await page.getByTestId('span-list').locator('li').count()).toBe(3);
    await page.keyboard.press('z');
    const listed = await page.getByTestId('span-list').locator('li').allTextContents();
    expect(listed.map((l) => l.replace(/Remove$/, '').trim())).toEqual(['PER “Anna” (0–4)', 'LOC “Paris” (23–28)']);
    expect(await page.locator('mark.span-mark').allTextContents()).toEqual(['Anna', 'Paris']);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui-workbench-spans.png', fullPage: true });

    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="workbench-task"][data-task-id="${preloaded}"]`).waitFor();
    expect(await page.getByTestId('session-count').textContent()).toBe('1');
    await page.keyboard.press('s');
    await page.getByTestId('all-done').waitFor();
    // The job page shows the table per label (F1 needs two annotators on a task: none yet).
    await page.getByTestId('all-done').getByRole('link', { name: 'Back to ner' }).click();
    await page.getByTestId('job-stats').waitFor();
    expect(await page.locator('p.lead').first().textContent()).toContain('Text spans — labels: PER, LOC');
    expect(await page.getByTestId('label-table').locator('tbody tr').allTextContents()).toEqual(['PER1—', 'LOC1—']);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui-job-spans.png', fullPage: true });

    const tasks = await labelsOf('ner');
    const done = tasks.find((x) => x.id === first)!;
    expect(done.status).toBe('resolved');
    expect(done.labels[0].value).toEqual({
      type: 'labels',
      spans: [
        { start: 0, end: 4, text: 'Anna', labels: ['PER'] },
        { start: 23, end: 28, text: 'Paris', labels: ['LOC'] },
      ],
    });
    expect(tasks.find((x) => x.id === preloaded)!.labels).toEqual([]);
  });

  it('draws a box on an image by mouse, labels it with a digit and submits with Enter', async () => {
    await openWorkbench('street');
    const img = page.getByTestId('box-stage').locator('img');
    await page.waitForFunction(() => (document.querySelector('[data-testid="box-stage"] img') as HTMLImageElement | null)?.naturalWidth === 200);
    const r = (await img.boundingBox())!;
    await page.mouse.move(r.x + r.width * 0.2, r.y + r.height * 0.25);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width * 0.6, r.y + r.height * 0.75, { steps: 8 });
    await page.mouse.up();
    await page.getByTestId('pending-box').waitFor();
    await page.keyboard.press('1');
    expect(await page.getByTestId('box-list').locator('li').count()).toBe(1);
    expect(await page.getByTestId('box-list').textContent()).toContain('car');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui-workbench-boxes.png', fullPage: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('all-done').waitFor();

    const [task] = await labelsOf('street');
    const value = task.labels[0].value;
    expect(value).toMatchObject({ type: 'rectanglelabels', original_width: 200, original_height: 120 });
    const box = value.boxes[0];
    expect(box.labels).toEqual(['car']);
    for (const [k, want] of [['x', 20], ['y', 25], ['width', 40], ['height', 50]] as const) expect(Math.abs(box[k] - want), `${k} ${box[k]}`).toBeLessThan(2);
  });

  it('toggles multi-label choices with digits, submits with Enter, and takes the label back with Z', async () => {
    await openWorkbench('topics');
    const task = page.getByTestId('workbench-task');
    const first = await task.getAttribute('data-task-id');
    await page.keyboard.press('1');
    await page.keyboard.press('3');
    await page.keyboard.press('1'); // toggled off again
    await page.keyboard.press('1');
    expect(await page.getByRole('group', { name: 'Labels' }).locator('[aria-pressed="true"]').allTextContents()).toEqual(['1 sport', '3 economy']);
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="workbench-task"]:not([data-task-id="${first}"])`).waitFor();
    expect((await labelsOf('topics')).find((x) => x.id === first)!.labels[0].value).toEqual({ type: 'choices', choices: ['sport', 'economy'] });
    // Z with nothing changed on this task withdraws the label just given: its task comes back.
    await page.keyboard.press('z');
    await page.locator(`[data-testid="workbench-task"][data-task-id="${first}"]`).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Withdrew your label “sport, economy”');
    expect((await labelsOf('topics')).find((x) => x.id === first)!.labels).toEqual([]);
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="workbench-task"]:not([data-task-id="${first}"])`).waitFor();
    expect((await labelsOf('topics')).find((x) => x.id === first)!.labels[0].value).toEqual({ type: 'choices', choices: ['politics'] });
    expect(pageErrors).toEqual([]);
  });
});
