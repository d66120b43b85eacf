// The pictures of the README (the pool page) and docs/features.md (all six), taken from the
// running product: a pool page with its live queue, the create form with its pre-flight, the
// fleet, a pool's insights, a registry's activity and a pool's schedule. Each is checked to show what the docs say it shows;
// `scripts/readme-pictures` copies them from tests/e2e/artifacts/ into docs/.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO_BUILDS } from './support/emulator.mjs';
import path from 'node:path';
import { launch, closePages, freshPage, signIn, screenshot, artifacts } from './support/browser.mjs';

let emulator, browser;
before(async () => { emulator = await startEmulator(); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);

test('a pool page with its live queue', async () => {
  const { page, problems } = await freshPage(browser, { width: 1280, height: 1000 });
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/build-s2`);
  const queue = page.locator('section.live-queue');
  await queue.locator('p.queued-count', { hasText: /^1 queued$/ }).waitFor();
  await queue.getByRole('region', { name: 'Running runs' }).getByText('Running (2)').waitFor();
  await queue.getByText(/^Updated /).waitFor();
  await page.locator('dl.pool-facts').waitFor();
  // A few refreshes (every 5 s while runs wait), so the sparklines have a history to draw.
  await page.waitForFunction(() => (document.querySelector('polyline.spark-line')?.getAttribute('points') ?? '').trim().split(/\s+/).length >= 3, null, { timeout: 30000 });
  await page.screenshot({ path: path.join(artifacts, 'readme-pool-page.png') });
  assert.deepEqual(problems, []);
});

test('the create form with its pre-flight', async () => {
  const { page, problems } = await freshPage(browser, { width: 1280, height: 1000 });
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/createAgentPool`);
  await page.locator('#pool-subnet[aria-describedby]').waitFor();
  await page.locator('#pool-name').fill('burst-s2');
  await page.getByRole('radio', { name: /^S2/ }).check();
  await page.locator('#pool-count').fill('2');
  await page.locator('#pool-subnet').fill('vnet-builds/snet-pools');
  await page.locator('ul.preflight li', { hasText: 'Network security group' }).filter({ hasText: 'lets the pool reach every required Azure service' }).waitFor();
  assert.equal(await page.locator('ul.preflight li.check-pass').count(), 6, 'name, Premium, region, quota, subnet, NSG');
  // The form's top, as a newcomer first sees it, not scrolled to the field last typed in.
  await page.locator('#pool-subnet').blur();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(artifacts, 'readme-create-pool.png') });
  await screenshot(page, 'readme-create-pool-full');
  assert.deepEqual(problems, []);
});

test('the fleet: every pool across subscriptions', async () => {
  const { page, problems } = await freshPage(browser, { width: 1280, height: 760 });
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}/pools`);
  await page.locator('main p.muted', { hasText: 'container registries can host agent pools' }).filter({ hasNotText: 'Reading' }).waitFor();
  await page.locator('table.fleet tbody tr', { hasText: 'train-s1' }).waitFor();
  assert.match(await page.locator('table.fleet tfoot').innerText(), /Total: 4 pools/);
  await page.screenshot({ path: path.join(artifacts, 'readme-fleet.png') });
  assert.deepEqual(problems, []);
});

test("a pool's insights: the demo week of build-s2 and the sizing advisor", async () => {
  const { page, problems } = await freshPage(browser, { width: 1280, height: 900 });
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/build-s2/insights`);
  await page.locator('.history-status', { hasText: ' as of ' }).waitFor();
  await page.locator('table.advice').waitFor();
  // The demo holds a week: hundreds of runs, charts drawn, and a recommendation.
  assert.ok(Number((await page.locator('dd.runs-total').innerText()).replace(/,/g, '')) > 300);
  assert.match(await page.locator('.advisor .verdict').innerText(), /95% of waits within 60 s/);
  // The whole page: the advisor is at its foot.
  await page.screenshot({ path: path.join(artifacts, 'readme-insights.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test("a registry's activity: who changed its pools, from the Activity Log", async () => {
  const { page, problems } = await freshPage(browser, { width: 1280, height: 900 });
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/activity`);
  await page.locator('.activity-status', { hasText: ' as of ' }).waitFor();
  // The demo's week: creations, scalings, tag edits, a refused scale-up and a quick build.
  const rows = await page.locator('table.activity tbody tr').allInnerTexts();
  // One row per operation ARM holds for the registry's resource group.
  const now = (await (await fetch(`${emulator.origins.admin}/clock`)).json()).nowMs;
  const filter = `eventTimestamp ge '${new Date(now - 7 * 86400_000).toISOString()}' and resourceGroupName eq 'rg-builds'`;
  const events = await emulator.armList(`/subscriptions/${CONTOSO_BUILDS.split('/')[2]}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=${encodeURIComponent(filter)}`);
  const operations = new Set(events.filter((e) => e.resourceId.toLowerCase().startsWith(CONTOSO_BUILDS.toLowerCase())).map((e) => e.correlationId));
  assert.ok(rows.length >= 9 && rows.length === operations.size, `${rows.length} rows, ${operations.size} operations`);
  assert.ok(rows.some((r) => /Failed[\s\S]*QuotaExceeded/.test(r)) && rows.some((r) => /App [0-9a-f]{4}…/.test(r)));
  await page.screenshot({ path: path.join(artifacts, 'readme-activity.png') });
  assert.deepEqual(problems, []);
});

test('a pool\'s schedule, active, with its next change and the editor', async () => {
  const { page, problems } = await freshPage(browser, { width: 1280, height: 1000 });
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/build-s2/schedule`);
  const rows = page.locator('table[aria-label="Schedule rules"] tbody tr');
  await rows.filter({ hasText: 'Active' }).nth(1).waitFor();
  await page.locator('.schedule-next', { hasText: /^Next change: / }).waitFor();
  await page.getByRole('heading', { name: 'Change the schedule' }).waitFor();
  await page.screenshot({ path: path.join(artifacts, 'readme-schedule.png') });
  assert.deepEqual(problems, []);
});
