// Journey: a shared link to a pool, opened signed out in a fresh browser, lands on that pool.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, pickUser, signIn, screenshot } from './support/browser.mjs';

let emulator, browser;
before(async () => { emulator = await startEmulator(); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);

test('a pool link opened signed out signs in and lands on that pool', async () => {
  const pools = await emulator.armList(`${CONTOSO_BUILDS}/agentPools?api-version=2019-06-01-preview`);
  const pool = pools[pools.length - 1];
  const link = `${emulator.origins.portal}${pool.id}`;
  const { page, problems } = await freshPage(browser);
  await page.goto(link);
  await pickUser(page, 'Olivia Owner', emulator.origins.login);
  await page.getByRole('heading', { level: 1, name: pool.name }).waitFor();
  assert.equal(page.url(), link, 'back on the shared link, with nothing added to it');
  await assert.doesNotReject(page.locator('dl.pool-facts').getByText(String(pool.properties.count), { exact: true }).first().waitFor());
  await screenshot(page, 'deep-link-pool');
  assert.deepEqual(problems, []);
});

test('a malformed link gets a page that says so, without calling ARM', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  const mark = await emulator.mark();
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/x_y`);
  await page.getByRole('heading', { name: 'This link does not lead to a page' }).waitFor();
  await assert.doesNotReject(page.getByText("'x_y' is not a valid agent pool name.").waitFor());
  const armCalls = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.method === 'GET');
  assert.deepEqual(armCalls, [], 'nothing was asked of ARM for a bad id');
  await screenshot(page, 'deep-link-malformed');
});

test('a well-formed link to a missing pool says which, leads to its registry\'s pools and Activity, and keeps ARM\'s code and request id', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/no-such-pool`);
  const missing = page.locator('section.missing');
  await missing.getByRole('heading', { name: "No agent pool 'no-such-pool' in contosobuilds" }).waitFor();
  await missing.getByRole('link', { name: 'build-s2' }).waitFor();
  await missing.getByText(/^Azure answered ResourceNotFound \(404\) · request id [0-9a-f-]+\.$/).waitFor();
  await screenshot(page, 'deep-link-missing');
});

test('crafted links cannot steer a call: no ARM request, nothing sent elsewhere', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  const elsewhere = [];
  page.on('request', (r) => {
    const origin = new URL(r.url()).origin;
    if (![emulator.origins.portal, emulator.origins.arm, emulator.origins.login].includes(origin)) elsewhere.push(r.url());
  });
  const crafted = [
    // Path segments smuggled through encoding, a traversal, and a host in the path.
    `${CONTOSO_BUILDS}%2F..%2F..%2F..%2Fproviders%2FMicrosoft.Authorization%2FroleAssignments/agentPools/x`,
    `${CONTOSO_BUILDS}/agentPools/..%2F..%2Fregistries%2Fother`,
    '/subscriptions/1f0e2d3c-4b5a-4697-8877-665544332211/resourceGroups/rg-builds/providers/Microsoft.Authorization/roleAssignments/x',
    '/subscriptions/1f0e2d3c-4b5a-4697-8877-665544332211@127.0.0.1:9/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r',
    '/subscriptions/%2F%2F127.0.0.1:9',
  ];
  for (const path of crafted) {
    const mark = await emulator.mark();
    await page.goto(`${emulator.origins.portal}${path}`);
    await page.getByRole('heading', { name: 'This link does not lead to a page' }).waitFor();
    const armCalls = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && !e.path.startsWith('/subscriptions?'));
    assert.deepEqual(armCalls, [], `nothing was asked of ARM for ${path}`);
  }
  assert.deepEqual(elsewhere, [], 'no request left our three origins');
});

test('in-app links: one history entry each, the title names the page, focus lands on its content; Back and Forward too', async () => {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  const registry = `${emulator.origins.portal}${CONTOSO_BUILDS}`;
  await page.goto(registry);
  const table = page.getByRole('table', { name: 'Agent pools' });
  await table.waitFor();
  assert.equal(await page.title(), 'contosobuilds · agent pools · Pool Portal');
  const entries = () => page.evaluate(() => history.length);
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  const before = await entries();

  await table.getByRole('link', { name: 'build-s2' }).click();
  await page.getByRole('heading', { level: 1, name: 'build-s2' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'main');
  assert.equal(await page.title(), 'build-s2 · agent pool in contosobuilds · Pool Portal');
  assert.equal(await entries(), before + 1, 'a link adds one entry');

  await page.locator('nav[aria-label="Breadcrumb"]').getByRole('link', { name: 'contosobuilds' }).click();
  await table.waitFor();
  // Home's own link, clicked on Home: nothing new to go Back through.
  const brand = page.getByRole('link', { name: 'Pool Portal' });
  await brand.click();
  await page.getByRole('heading', { level: 1, name: 'Subscriptions' }).waitFor();
  assert.equal(await page.title(), 'Subscriptions · Pool Portal');
  await brand.click();
  await page.waitForFunction(() => document.activeElement?.id === 'main');
  assert.equal(await entries(), before + 3, 'the same link twice adds one entry, not two');

  await page.goBack();
  await table.waitFor();
  await brand.focus(); // away from the content, to see the next arrival move it back
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'build-s2' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'main');
  assert.equal(await page.title(), 'build-s2 · agent pool in contosobuilds · Pool Portal');
  await brand.focus();
  await page.goForward();
  await table.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'main');
  assert.equal(await focusedId(), 'main');
  assert.equal(page.url(), registry);
  assert.deepEqual(problems, []);
});
