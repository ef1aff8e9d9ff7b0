// Real Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core,
// with the flags this closed network needs, and the checks every page test repeats.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fresh persistent context in `profileDir` (an empty temporary folder). */
export async function launchChromium(profileDir: string, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Wait until the paged list `testId` has loaded, and fail on any error banner. */
export async function expectListLoaded(page: Page, testId: string): Promise<void> {
  await page.locator(`[data-testid="${testId}"][aria-busy="false"]`).waitFor();
  const banners = page.getByTestId('error-banner');
  expect(await banners.count(), `error banner: ${await banners.allTextContents()}`).toBe(0);
}

/** Fill the sign-in form and submit it. */
export async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export interface ChromiumPage {
  profileDir: string;
  context: BrowserContext;
  page: Page;
}

/** A fresh profile, a context and its page; uncaught page errors are pushed to `pageErrors`. */
export async function openChromiumPage(pageErrors: string[], viewport?: { width: number; height: number }, timeoutMs = 15_000): Promise<ChromiumPage> {
  const profileDir = mkdtempSync(join(tmpdir(), 'flywheel-chromium-'));
  const context = await launchChromium(profileDir, viewport);
  context.setDefaultTimeout(timeoutMs);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return { profileDir, context, page };
}

/** Close the browser and remove its profile. */
export async function closeChromium(context: BrowserContext | undefined, profileDir: string | undefined): Promise<void> {
  await context?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
}
