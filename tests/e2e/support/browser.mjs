// Debian's Chromium driven by playwright-core, with the flags this machine needs.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './emulator.mjs';

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export const artifacts = path.join(repoRoot, 'tests/e2e/artifacts');
mkdirSync(artifacts, { recursive: true });

/** `env`: the browser's environment, where a caller needs another (its own HOME, say). */
export function launch({ env } = {}) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS, ...(env && { env }) });
}

const open = [];
const cspViolations = [];

/** Closes every context this file opened (a page left open would keep polling and blur the
 * request counts of the next test), and fails the test if any page broke the
 * Content-Security-Policy: the whole app must work under it. Call from `afterEach`. */
export async function closePages() {
  while (open.length) await open.pop().close();
  if (cspViolations.length) {
    const found = cspViolations.splice(0);
    throw new Error(`Content-Security-Policy violations:\n${found.join('\n')}`);
  }
}

/** A fresh browser context (no cookies, no storage) and a page that records what went wrong. */
/** `cspMayBlock`: the test points the page at an origin outside the policy on purpose, so the
 * policy blocking it is expected; the blocks are returned instead of failing the test. */
/** `timezoneId`: the browser's time zone (UTC unless a test needs another). */
export async function freshPage(browser, { width = 1280, height = 800, cspMayBlock = false, timezoneId } = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width, height }, ...(timezoneId && { timezoneId }) });
  open.push(context);
  const page = await context.newPage();
  const problems = [];
  const cspBlocks = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) (cspMayBlock ? cspBlocks : cspViolations).push(m.text());
    if (m.type() === 'error' && !/favicon/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  // A script that ran where only text should be: hostile data got through.
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  return { context, page, problems, cspBlocks };
}

/** On the emulator's sign-in page, picks the demo user whose name is given. */
export async function pickUser(page, name, loginOrigin) {
  await page.waitForURL((u) => u.href.startsWith(loginOrigin), { timeout: 15000 });
  await page.getByRole('button', { name: new RegExp(name) }).click();
}

/** From the portal's landing page: sign in as `name` and wait for the subscriptions list. */
export async function signIn(page, emulator, name) {
  await page.goto(`${emulator.origins.portal}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await pickUser(page, name, emulator.origins.login);
  await page.getByRole('heading', { name: 'Subscriptions' }).waitFor();
  // The list (or why it is empty) has loaded: no request of the landing page is still on its way.
  await page.locator('table[aria-label="Subscriptions"], p.empty').first().waitFor();
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** The page has no horizontal scroll (everything fits the viewport). */
export function fitsWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}
