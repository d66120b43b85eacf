// Faults end to end (issue 6): ARM out of reach, slow, failing, throttling; tokens expiring and
// sessions revoked. After each: nothing typed is lost, no write is sent twice (request log), and
// the page recovers without a reload.
import { test, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, pickUser, screenshot } from './support/browser.mjs';

let emulator, browser;
before(async () => { emulator = await startEmulator(['--speed', '20']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);
beforeEach(async () => { await emulator.reset(); await emulator.setFaults({}); });

const POOL = `${CONTOSO_BUILDS}/agentPools/build-s2`;
const banner = (page) => page.locator('.banner.offline');

/** Marks the document: the mark survives anything but a reload. */
const markDocument = (page) => page.evaluate(() => { window.__sameDocument = true; });
const sameDocument = (page) => page.evaluate(() => window.__sameDocument === true);
/** Every ARM request (that reached the emulator) since `mark` whose `METHOD path` matches. */
async function armCalls(mark, method, pathPart) {
  return (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.method === method && e.path.includes(pathPart));
}
/** The browser cannot reach ARM at all (the connection is refused) until `restore()`. */
async function cutArm(page) {
  const pattern = `${emulator.origins.arm}/**`;
  await page.route(pattern, (route) => route.abort('connectionrefused'));
  return () => page.unroute(pattern);
}
/** ARM is out of reach until the user clicks "Try now", and back from that click on. The banner
 * asks again by itself on a back-off: were ARM back before the click, that probe could find it
 * and take the banner (and its button) away under the test's click. Here nothing but the click
 * can: a capture listener marks the page before the button's own handler sends its probe, and
 * the route lets requests through only once the mark is there. */
async function cutArmUntilTryNow(page) {
  await page.evaluate(() => {
    window.addEventListener('click', (e) => {
      if (e.target.closest?.('.banner.offline button')) window.__armBack = true;
    }, true);
  });
  const pattern = `${emulator.origins.arm}/**`;
  await page.route(pattern, async (route) => {
    const back = await page.evaluate(() => window.__armBack === true).catch(() => false);
    return back ? route.fallback() : route.abort('connectionrefused');
  });
}

test('ARM out of reach during a create: banner, error, every field kept; back by itself, one PUT', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/createAgentPool`);
  await page.locator('#pool-subnet[aria-describedby]').waitFor();
  await page.locator('#pool-name').fill('offline-s1');
  await page.locator('#pool-count').fill('2');
  await page.locator('ul.preflight li.check-pass', { hasText: 'vCPU quota' }).waitFor();
  await markDocument(page);
  const mark = await emulator.mark();

  const restore = await cutArm(page);
  await page.getByRole('button', { name: 'Create agent pool' }).click();
  await banner(page).getByText('Azure Resource Manager cannot be reached.').waitFor({ timeout: 15000 });
  await page.getByRole('alert').getByRole('heading', { name: 'Azure could not be reached' }).waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#pool-name').inputValue(), 'offline-s1');
  assert.equal(await page.locator('#pool-count').inputValue(), '2');
  await screenshot(page, 'fault-offline-create');

  await restore();
  await banner(page).waitFor({ state: 'detached', timeout: 40000 });
  assert.ok(await sameDocument(page), 'recovered without a reload');
  await page.getByRole('button', { name: 'Create agent pool' }).click();
  await page.getByText('Create offline-s1 (S1 × 2): Succeeded.').waitFor({ timeout: 20000 });
  assert.equal((await armCalls(mark, 'PUT', '/agentPools/offline-s1?')).length, 1, 'one PUT reached ARM');
});

test('a page opened while ARM is out of reach loads once it is back, on "Try now", without a reload', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  await page.getByRole('link', { name: 'build-s2', exact: true }).waitFor();
  await markDocument(page);
  await cutArmUntilTryNow(page);
  await page.getByRole('link', { name: 'build-s2', exact: true }).click();
  await banner(page).waitFor({ timeout: 15000 });
  await page.getByRole('alert').getByRole('heading', { name: 'Azure could not be reached' }).waitFor({ timeout: 20000 });
  await screenshot(page, 'fault-offline-page');
  await banner(page).getByRole('button', { name: 'Try now' }).click();
  await page.locator('dl.pool-facts').waitFor({ timeout: 10000 });
  await banner(page).waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('alert').count(), 0, 'the error went with the outage');
  assert.ok(await sameDocument(page));
});

test('"Try now" pressed while a probe is on its way still counts: another probe follows it', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  await page.getByRole('link', { name: 'build-s2', exact: true }).waitFor();
  // ARM refuses connections, or (from `hold` on) keeps them unanswered and counts the probes.
  let mode = 'refuse';
  const held = [];
  let probes = 0;
  // Held: every request, the page's own reads' retries included; only probes are counted.
  await page.route(`${emulator.origins.arm}/**`, (route) => {
    const isProbe = new URL(route.request().url()).pathname === '/subscriptions';
    if (mode === 'hold') {
      if (isProbe) probes += 1;
      held.push({ route, isProbe });
      return undefined;
    }
    return route.abort('connectionrefused');
  });
  const heldProbes = () => held.filter((h) => h.isProbe).length;
  await page.getByRole('link', { name: 'build-s2', exact: true }).click();
  const tryNow = banner(page).getByRole('button', { name: 'Try now' });
  await tryNow.waitFor({ timeout: 15000 });
  mode = 'hold';
  await tryNow.click();
  await waitUntil(() => heldProbes() >= 1, 'a probe on its way');
  assert.ok(await tryNow.isEnabled(), 'the button stays usable while a probe is out');
  await tryNow.click();
  // What the banner says from here on: the failed probe must lead straight to the next one, never
  // to "Trying again in …" (the back-off), which is what a lost click would look like.
  await page.evaluate(() => {
    window.__bannerTexts = [];
    const p = document.querySelector('.banner.offline p');
    new MutationObserver(() => window.__bannerTexts.push(p.textContent)).observe(p, { childList: true, characterData: true, subtree: true });
  });
  for (const { route } of held.splice(0)) await route.abort('connectionrefused');
  // A read retrying on its own may be held beside it: the probe is what counts.
  await waitUntil(() => heldProbes() === 1, 'the probe the second click asked for');
  assert.equal(probes, 2);
  const said = await page.evaluate(() => window.__bannerTexts);
  assert.ok(!said.some((t) => t.includes('Trying again')), `no back-off between the two probes: ${said.join(' | ')}`);
  await banner(page).getByText('Checking…').waitFor();
});

/** Polls a condition of the test's own state (route handlers), not of the page. */
async function waitUntil(condition, what, timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('slow ARM (3 s): progress shows and a second click sends nothing', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${POOL}`);
  await page.locator('#scale-count').waitFor();
  await emulator.setFaults({ latencyMs: 3000 });
  const mark = await emulator.mark();
  await page.locator('#scale-count').fill('1');
  const apply = page.locator('section.scale button.primary');
  await apply.click();
  await page.getByRole('button', { name: 'Applying…' }).waitFor({ timeout: 2000 });
  assert.ok(await apply.isDisabled(), 'locked while the PATCH is on its way');
  await apply.click({ force: true, timeout: 1000 }).catch(() => {});
  await apply.press('Enter').catch(() => {});
  await screenshot(page, 'fault-slow-scale');
  await page.getByText('Scale 2 → 1: Succeeded.').waitFor({ timeout: 40000 });
  assert.equal((await armCalls(mark, 'PATCH', '/agentPools/build-s2?')).length, 1, 'one PATCH');

  // A slow read shows that it is loading. The pool list is held back until that is seen, so a
  // busy machine cannot let the answer arrive before the check.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route((url) => url.pathname.endsWith('/agentPools'), async (route) => { await held; await route.fallback(); });
  await page.getByRole('link', { name: 'contosobuilds' }).first().click();
  await page.waitForURL(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  await page.locator('p.loading').first().waitFor();
  await screenshot(page, 'fault-slow-read');
  release();
  await page.locator('table[aria-label="Agent pools"]').waitFor({ timeout: 20000 });
});

test('500 on a read: retried with growing back-off, then a clear error; "Try again" recovers', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  // A 500 carries no Retry-After (the emulator's 503 asks for 1 s, which is honoured instead).
  await emulator.setFaults({ serverErrors: 20, serverErrorStatus: 500, matching: `GET ${POOL}?` });
  const mark = await emulator.mark();
  await page.goto(`${emulator.origins.portal}${POOL}`);
  const alert = page.getByRole('alert');
  await alert.getByRole('heading', { name: 'Azure had a problem' }).waitFor({ timeout: 20000 });
  await assert.doesNotReject(alert.getByText('HTTP 500').waitFor());
  const gets = await armCalls(mark, 'GET', '/agentPools/build-s2?');
  assert.equal(gets.length, 4, 'the first try and 3 retries');
  gets.slice(1).forEach((g, i) => {
    const gap = g.atMs - gets[i].atMs;
    assert.ok(gap >= 400 * 2 ** i - 50, `retry ${i + 1} waited ${gap} ms, at least ${400 * 2 ** i}`);
  });
  await screenshot(page, 'fault-500');
  await emulator.setFaults({});
  await alert.getByRole('button', { name: 'Try again' }).click();
  await page.locator('dl.pool-facts').waitFor({ timeout: 10000 });
});

test('429 on a read: the wait is shown and honoured', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await emulator.setFaults({ throttle: 2, retryAfterSecs: 3, matching: `GET ${POOL}?` });
  const mark = await emulator.mark();
  await page.goto(`${emulator.origins.portal}${POOL}`);
  const notice = page.locator('.banner.throttled');
  await notice.getByText('Azure is throttling requests.').waitFor({ timeout: 10000 });
  assert.match(await notice.innerText(), /Waiting [1-3] s, as it asked/);
  await screenshot(page, 'fault-429');
  await page.locator('dl.pool-facts').waitFor({ timeout: 15000 });
  await notice.waitFor({ state: 'detached' });
  const gets = await armCalls(mark, 'GET', '/agentPools/build-s2?');
  assert.deepEqual(gets.slice(0, 3).map((g) => g.status), [429, 429, 200]);
  for (let i = 1; i < 3; i++) assert.ok(gets[i].atMs - gets[i - 1].atMs >= 2950, 'Retry-After: 3 honoured');
});

test('an expired token is renewed silently: the page loads, no error, no sign-in', async () => {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  await page.getByRole('link', { name: 'build-s2', exact: true }).waitFor();
  await emulator.setFaults({ expireTokens: 1, matching: '/agentPools/build-s2?' });
  const mark = await emulator.mark();
  await page.getByRole('link', { name: 'build-s2', exact: true }).click();
  await page.locator('dl.pool-facts').waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
  const log = await emulator.requests(mark);
  const gets = log.filter((e) => e.listener === 'arm' && e.method === 'GET' && e.path.includes('/agentPools/build-s2?'));
  assert.deepEqual(gets.slice(0, 2).map((g) => g.status), [401, 200]);
  assert.ok(log.some((e) => e.listener === 'login' && e.method === 'POST' && e.path.includes('/token') && e.status === 200), 'a new token was fetched');
  assert.ok(!log.some((e) => e.listener === 'login' && e.path.includes('/authorize')), 'no sign-in page');
  assert.equal(page.url(), `${emulator.origins.portal}${POOL}`);
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
});

test('a revoked session: sign in again and land back on the same page', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  await page.getByRole('link', { name: 'build-s2', exact: true }).waitFor();
  await emulator.revokeRefreshTokens();
  await emulator.setFaults({ expireTokens: 1, matching: '/agentPools/build-s2?' });
  await page.getByRole('link', { name: 'build-s2', exact: true }).click();
  await pickUser(page, 'Olivia Owner', emulator.origins.login);
  await page.waitForURL(`${emulator.origins.portal}${POOL}`);
  await page.locator('dl.pool-facts').waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
});
