// One journey with the keyboard only (issue 6): sign in, create a pool, scale it, queue a build
// and open it from the pool's live queue. No click, no fill: Tab, arrows, Enter and typed keys,
// and every element reached shows where the focus is.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, screenshot } from './support/browser.mjs';

const API = 'api-version=2019-06-01-preview';
let emulator, browser;
before(async () => { emulator = await startEmulator(['--speed', '20']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);

/** What has the focus: its accessible-ish name (aria-label, text or id), and whether a focus
 * ring is drawn on it or on the card around it. */
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  const ring = (x) => x && getComputedStyle(x).outlineStyle !== 'none' && parseFloat(getComputedStyle(x).outlineWidth) >= 2;
  return {
    name: (e.getAttribute('aria-label') || e.innerText || e.value || '').trim(),
    id: e.id, tag: e.tagName, ring: ring(e) || ring(e.closest('label, .tier-card')),
    inQueue: !!e.closest('.live-queue'),
  };
});

/** Presses Tab (or Shift+Tab) until the focused element satisfies `want` (at most 80 times). */
async function tabTo(page, want, what, key = 'Tab') {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (want(f)) {
      assert.ok(f.ring, `${what} shows a focus ring`);
      return f;
    }
  }
  assert.fail(`Tab never reached ${what}`);
}
const named = (text) => (f) => f.name === text || f.name.startsWith(text);
const withId = (id) => (f) => f.id === id;

test('sign in, create, scale, queue a build and open it, keyboard only', async () => {
  const { page, problems } = await freshPage(browser);
  await page.goto(`${emulator.origins.portal}/`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await tabTo(page, named('Sign in'), 'the sign-in button');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.href.startsWith(emulator.origins.login));
  await page.getByRole('button', { name: /Olivia Owner/ }).waitFor();
  await tabTo(page, (f) => f.name.includes('Olivia Owner'), 'the demo owner');
  await page.keyboard.press('Enter');

  await page.getByRole('link', { name: 'Contoso Platform (demo)' }).waitFor();
  await tabTo(page, named('Contoso Platform (demo)'), 'the subscription');
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'contosobuilds' }).waitFor();
  await tabTo(page, named('contosobuilds'), 'the registry');
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'Create agent pool' }).waitFor();
  await tabTo(page, named('Create agent pool'), 'the create link');
  await page.keyboard.press('Enter');

  await page.locator('#pool-subnet[aria-describedby]').waitFor();
  await tabTo(page, withId('pool-name'), 'the name field');
  await page.keyboard.type('kbd-pool');
  await tabTo(page, (f) => f.tag === 'INPUT' && f.name === 'S1', 'the tier choice');
  await page.keyboard.press('ArrowDown');
  assert.ok(await page.getByRole('radio', { name: /^S2/ }).isChecked(), 'an arrow key picks the next tier');
  await tabTo(page, withId('pool-count'), 'the instance count');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('1');
  const submit = await tabTo(page, named('Create agent pool'), 'the submit button');
  assert.equal(submit.tag, 'BUTTON');
  await screenshot(page, 'keyboard-create');
  await page.keyboard.press('Enter');
  // An accepted create opens the new pool's page, where its progress shows.
  await page.waitForURL(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/kbd-pool`);
  await page.getByText('Create kbd-pool (S2 × 1): Succeeded.').waitFor({ timeout: 20000 });

  await page.locator('#scale-slider').waitFor();
  await tabTo(page, withId('scale-slider'), 'the scale slider');
  // build-s2 holds 8 of the 16 vCPU and this pool 4: one more S2 instance fits, and no more.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#scale-slider').inputValue(), '2', 'the slider stops at the quota');
  await tabTo(page, named('Scale to 2'), 'the scale button');
  await page.keyboard.press('Enter');
  await page.getByText('Scale 1 → 2: Succeeded.').waitFor({ timeout: 20000 });
  const pool = await emulator.arm(`${CONTOSO_BUILDS}/agentPools/kbd-pool?${API}`);
  assert.equal(pool.properties.tier, 'S2');
  assert.equal(pool.properties.count, 2);

  // Runs are started on the pool's Runs tab, above the scale card: reached going back.
  await tabTo(page, (f) => f.name === 'Runs' && f.tag === 'A', 'the Runs tab', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/kbd-pool/runs`);
  await tabTo(page, named('Queue build'), 'the quick build button');
  await page.keyboard.press('Enter');
  // The list is read again once the run is queued; its link is above the form.
  const runLink = page.getByRole('table', { name: 'Runs' }).locator('tbody th a').first();
  await runLink.waitFor({ timeout: 15000 });
  const runId = (await runLink.innerText()).trim();
  await tabTo(page, (f) => f.name === runId && f.tag === 'A', 'the run in the list', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${emulator.origins.portal}${CONTOSO_BUILDS}/runs/${runId}`);
  await page.getByRole('heading', { name: new RegExp(runId) }).first().waitFor();
  await screenshot(page, 'keyboard-run');
  const run = await emulator.arm(`${CONTOSO_BUILDS}/runs/${runId}?api-version=2019-06-01-preview`);
  assert.equal(run.properties.agentPoolName, 'kbd-pool');
  assert.deepEqual(problems.filter((p) => !/status of 416/.test(p)), []);
});
