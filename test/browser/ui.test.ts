// The web UI in a real Chromium against a real Flywheel server: sign-in, projects, every
// project section, members, tokens (used with a plain fetch), audit, and sign-out.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.js';
import { ensureWebBuilt } from './build-web.js';
import { closeChromium, expectListLoaded, openChromiumPage, submitSignIn } from '../support/browser.js';


/** The project sections, in sub-navigation order, with the list each one shows. */
const SECTIONS: { label: string; list?: string; empty?: RegExp }[] = [
  { label: 'Overview' },
  { label: 'Datasets', list: 'datasets-list', empty: /No datasets yet.*flywheel data ingest/s },
  { label: 'Labelling', list: 'labelling-list', empty: /No labelling jobs yet/ },
  { label: 'Experiments', list: 'experiments-list', empty: /No experiments yet/ },
  { label: 'Models', list: 'models-list', empty: /No registered models yet/ },
  { label: 'Deployments', list: 'deployments-list', empty: /No deployments yet/ },
  { label: 'Monitoring', list: 'monitoring-list', empty: /No monitors yet/ },
  { label: 'Pipelines', list: 'pipelines-list', empty: /No pipelines yet/ },
  { label: 'Jobs', list: 'job-list', empty: /No jobs yet/ },
  { label: 'Members', list: 'member-list' },
  { label: 'Audit', list: 'audit-list' },
];

let annPassword = '';
let server: Awaited<ReturnType<typeof startTestServer>>;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

/** Wait until a <PagedList> has finished loading, then check it shows no error banner. */
function listLoaded(testId: string): Promise<void> {
  return expectListLoaded(page, testId);
}

/** A screenshot for people to look at (/tmp/flywheel-ui-NAME.png); nothing asserts on it. */
async function shot(name: string): Promise<void> {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `/tmp/flywheel-ui-${name}.png`, fullPage: true });
}

async function signIn(username: string, password: string): Promise<void> {
  await submitSignIn(page, username, password);
}

describe('web UI (Chromium)', () => {
  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startTestServer();
    ({ profileDir, context, page } = await openChromiumPage(pageErrors, { width: 1280, height: 860 }, 10_000));
  }, 120_000);

  afterAll(async () => {
    await closeChromium(context, profileDir);
    await server?.close();
  });

  it('shows the sign-in page, and an error for a wrong password', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(server.admin.username, 'not-the-password');
    const banner = page.getByTestId('error-banner');
    await banner.waitFor();
    expect((await banner.textContent())?.trim().length).toBeGreaterThan(0);
    await shot('signin-error');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('signs in as the admin and shows the projects list', async () => {
    await signIn(server.admin.username, server.admin.password);
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    expect(await page.getByTestId('whoami').textContent()).toContain(server.admin.username);
    await listLoaded('project-list');
  });

  it('creates the project "weather" and opens it', async () => {
    await page.getByRole('button', { name: 'New project' }).click();
    // A name the server refuses: its message appears under the field and in the banner.
    await page.getByLabel('Name', { exact: true }).fill('Bad Name');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByTestId('error-banner').waitFor();
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error').textContent()).toMatch(/lowercase/);
    await page.getByLabel('Name', { exact: true }).fill('weather');
    await page.getByLabel('Description').fill('Seattle weather: predict the kind of day');
    await page.getByRole('button', { name: 'Create project' }).click();
    const link = page.getByTestId('project-list').getByRole('link', { name: 'weather', exact: true });
    await link.waitFor();
    await listLoaded('project-list');
    await shot('projects');
    await link.click();
    await page.getByRole('heading', { name: 'weather', level: 1 }).waitFor();
    expect(page.url()).toMatch(/#\/projects\/weather$/);
    await page.getByTestId('lifecycle-loop').waitFor();
    expect(await page.getByTestId('lifecycle-loop').textContent()).toMatch(/Collect.*Cleanse.*Annotate.*Train.*Validate.*Deploy.*Monitor.*Retrain/s);
  });

  it('visits every project section without an error', async () => {
    const nav = page.getByTestId('project-sections');
    expect((await nav.getByRole('link').allTextContents()).map((s) => s.trim())).toEqual(SECTIONS.map((s) => s.label));
    for (const section of SECTIONS) {
      await nav.getByRole('link', { name: section.label, exact: true }).click();
      await page.getByRole('heading', { name: section.label, level: 2 }).waitFor();
      if (section.list) await listLoaded(section.list);
      else expect(await page.getByTestId('error-banner').count()).toBe(0);
      if (section.empty) expect(await page.getByTestId(section.list!).textContent()).toMatch(section.empty);
      if (section.label === 'Datasets') await shot('datasets');
    }
  });

  it('creates the user "ann" and adds her as a data scientist', async () => {
    await page.getByTestId('project-sections').getByRole('link', { name: 'Members' }).click();
    await listLoaded('member-list');
    await page.getByLabel('New username').fill('ann');
    await page.getByLabel('Display name').fill('Ann Example');
    await page.getByRole('button', { name: 'Create user' }).click();
    const password = page.getByTestId('user-password');
    await password.waitFor();
    annPassword = (await password.textContent())!.trim();
    expect(annPassword.length).toBeGreaterThanOrEqual(12);

    await page.getByLabel('Username', { exact: true }).fill('ann');
    await page.getByLabel('Role').selectOption('data-scientist');
    await page.getByRole('button', { name: 'Save member' }).click();
    const row = page.getByTestId('member-list').getByRole('row').filter({ hasText: 'ann' });
    await row.waitFor();
    await listLoaded('member-list');
    expect(await row.textContent()).toContain('data-scientist');
    await shot('members');
  });

  it('creates a project token whose secret, shown once, works with a plain fetch until revoked', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await listLoaded('token-list');
    await page.getByLabel('Token name').fill('notebook');
    await page.getByLabel('Role').selectOption('data-scientist');
    await page.getByLabel('Project', { exact: true }).fill('weather');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secretBox = page.getByTestId('token-secret');
    await secretBox.waitFor();
    const secret = (await secretBox.textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByTestId('token-list').getByRole('row').filter({ hasText: 'notebook' }).waitFor();
    await listLoaded('token-list');
    await shot('tokens');

    const res = await fetch(`${server.url}/api/v1/projects/weather`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }).name).toBe('weather');

    // Revoking takes two clicks; afterwards the secret no longer works.
    await page.getByRole('button', { name: 'Revoke notebook' }).click();
    await page.getByRole('button', { name: 'Confirm: Revoke notebook' }).click();
    await page.getByTestId('token-list').getByRole('row').filter({ hasText: 'revoked' }).waitFor();
    const after = await fetch(`${server.url}/api/v1/projects/weather`, { headers: { authorization: `Bearer ${secret}` } });
    expect(after.status).toBe(401);
  });

  it("shows the project's audit log with the creation and the new member", async () => {
    await page.goto(`${server.url}/#/projects/weather/audit`);
    await page.getByRole('heading', { name: 'Audit', level: 2 }).waitFor();
    await listLoaded('audit-list');
    const rows = page.getByTestId('audit-list').getByRole('row');
    await rows.filter({ hasText: 'project.create' }).first().waitFor();
    const memberRow = rows.filter({ hasText: 'member.put' }).filter({ hasText: 'ann' });
    await memberRow.first().waitFor();
    expect(await memberRow.first().textContent()).toContain('success');
    await shot('audit');
  });

  it('verifies the instance audit chain (admin)', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await listLoaded('audit-list');
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const result = page.getByTestId('audit-verify');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/intact/);
  });

  it('pages the projects list with "Load more"', async () => {
    // 51 more projects through the API from inside the page (session cookie + CSRF header).
    const created = await page.evaluate(async () => {
      const csrf = decodeURIComponent(/(?:^|; )fw_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
      let ok = 0;
      for (let i = 0; i < 51; i++) {
        const res = await fetch('/api/v1/projects', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ name: `bulk-${String(i).padStart(2, '0')}` }),
        });
        if (res.status === 201) ok++;
      }
      return ok;
    });
    expect(created).toBe(51);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await listLoaded('project-list');
    const rows = page.getByTestId('project-list').locator('tbody tr');
    expect(await rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="project-list"] tbody tr').length === 52);
    await listLoaded('project-list');
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });

  it('lists users (admin) and signs out', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await listLoaded('user-list');
    await page.getByTestId('user-list').getByRole('row').filter({ hasText: 'ann' }).waitFor();
    await page.goto(`${server.url}/#/projects/weather`);
    await page.getByTestId('lifecycle-loop').waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/flywheel-ui.png', fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('signs in as ann, a data scientist: no admin pages, no member management', async () => {
    await signIn('ann', annPassword);
    await page.getByTestId('whoami').filter({ hasText: '@ann' }).waitFor();
    const main = page.getByRole('navigation', { name: 'Main' });
    await main.getByRole('link', { name: 'Projects' }).click();
    await listLoaded('project-list');
    expect(await main.getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(await main.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    const rows = page.getByTestId('project-list').locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('data-scientist');
    await page.getByTestId('project-list').getByRole('link', { name: 'weather' }).click();
    await page.getByTestId('project-sections').getByRole('link', { name: 'Members' }).click();
    await listLoaded('member-list');
    expect(await page.getByRole('button', { name: 'Save member' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create user' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
