// Journey: the Owner signs in, walks subscription → registry → pool list → pool, signs out.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot, fitsWidth } from './support/browser.mjs';

const VCPU = { S1: 2, S2: 4, S3: 8, I6: 64 };
let emulator, browser;
before(async () => { emulator = await startEmulator(['--page-size', '2']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);

const MEMORY_GB = { S1: 3, S2: 8, S3: 16, I6: 216 };

test('the owner sees the seeded pools, walking from subscriptions to a pool', async () => {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await screenshot(page, 'owner-subscriptions');

  // Subscriptions: what ARM lists (followed over nextLink pages of 2), by display name.
  const subs = await emulator.armList('/subscriptions?api-version=2022-12-01');
  const subTable = page.getByRole('table', { name: 'Subscriptions' });
  for (const s of subs) await assert.doesNotReject(subTable.getByRole('link', { name: s.displayName }).waitFor());
  assert.equal(await subTable.locator('tbody tr').count(), subs.length);

  await subTable.getByRole('link', { name: 'Contoso Platform (demo)' }).click();
  const regTable = page.getByRole('table', { name: 'Container registries' });
  await regTable.waitFor();
  const regs = await emulator.armList(`/subscriptions/${CONTOSO}/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01`);
  assert.equal(regs.length, 3, 'paging reached every registry');
  assert.equal(await regTable.locator('tbody tr').count(), regs.length, 'the portal followed nextLink too');
  await assert.doesNotReject(regTable.getByText('Basic SKU: agent pools need a Premium registry.').waitFor());
  await assert.doesNotReject(regTable.getByText("Region uksouth does not offer agent pools: Microsoft.ContainerRegistry's registration for this subscription does not list it.").waitFor());
  assert.equal(await regTable.getByRole('link', { name: 'contosobasic' }).count(), 0, 'ineligible registries are not links');
  await screenshot(page, 'owner-registries');

  await regTable.getByRole('link', { name: 'contosobuilds' }).click();
  const poolTable = page.getByRole('table', { name: 'Agent pools' });
  await poolTable.waitFor();
  const pools = await emulator.armList(`${CONTOSO_BUILDS}/agentPools?api-version=2019-06-01-preview`);
  assert.ok(pools.length > 2, 'more pools than fit one page');
  assert.equal(await poolTable.locator('tbody tr').count(), pools.length);
  // Each pool's status comes from its state, count and runs: read once the queues are in.
  await page.waitForFunction(() => [...document.querySelectorAll('table[aria-label="Agent pools"] td[data-label="Queued"]')].every((td) => td.textContent !== '…'));
  const active = await emulator.armList(`${CONTOSO_BUILDS}/runs?api-version=2019-06-01-preview&$filter=${encodeURIComponent("Status eq 'Queued' or Status eq 'Running'")}`);
  const runs = (p, s) => active.filter((r) => r.properties.agentPoolName === p && r.properties.status === s).length;
  for (const p of pools) {
    const row = poolTable.locator('tbody tr', { has: page.getByRole('link', { name: p.name, exact: true }) });
    const cells = await row.locator('th, td').allInnerTexts();
    const { tier, count, provisioningState } = p.properties;
    assert.equal(cells[0], p.name);
    assert.equal(cells[1], `${tier} · ${VCPU[tier]} vCPU, ${MEMORY_GB[tier]} GB`);
    assert.equal(cells[2], String(count));
    assert.equal(cells[3], String(count * VCPU[tier]));
    const [queued, running] = [runs(p.name, 'Queued'), runs(p.name, 'Running')];
    // The badge's words first; what it means follows for screen readers.
    const status = provisioningState === 'Failed' ? 'Failed' : running ? `Running (${running})` : queued ? `Waiting (${queued} queued)` : 'Idle';
    assert.equal(cells[4].replace(/\s*:[\s\S]*$/, ''), status);
    const subnet = p.properties.virtualNetworkSubnetResourceId;
    assert.equal(cells[5], subnet ? subnet.split('/').slice(-3).filter((_, i) => i !== 1).join('/') : '—');
  }
  assert.ok(pools.some((p) => p.properties.virtualNetworkSubnetResourceId), 'a pool in a subnet is covered');
  const used = pools.filter((p) => VCPU[p.properties.tier] && p.properties.tier !== 'I6')
    .reduce((n, p) => n + p.properties.count * VCPU[p.properties.tier], 0);
  await assert.doesNotReject(page.getByText(`${used} of 16 vCPU`).waitFor());
  assert.equal(new URL(page.url()).pathname, CONTOSO_BUILDS, 'the address bar is the registry id');
  await screenshot(page, 'owner-pools');

  const first = pools[0];
  await poolTable.getByRole('link', { name: first.name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: first.name }).waitFor();
  assert.equal(new URL(page.url()).pathname, first.id, 'the pool page URL is its ARM id');
  await assert.doesNotReject(page.locator('dl.pool-facts').getByText(first.properties.provisioningState).waitFor());
  await screenshot(page, 'owner-pool');
  assert.deepEqual(problems, []);
});

test('the bearer token only ever goes to ARM, and never in a URL', async () => {
  // A journey of its own: sign in, a registry, a pool and its live queue.
  const { page } = await freshPage(browser);
  const tokenDestinations = new Set();
  page.on('request', (r) => { if (r.headers().authorization) tokenDestinations.add(new URL(r.url()).origin); });
  const mark = await emulator.mark();
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  await page.getByRole('table', { name: 'Agent pools' }).waitFor();
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/build-s2`);
  await page.locator('p.queued-count', { hasText: 'queued' }).waitFor();
  // What the browser sent (any host, not only ours) ...
  assert.deepEqual([...tokenDestinations], [emulator.origins.arm]);
  // ... and what the emulator saw from the portal's page (the test's own API calls have no Origin).
  const fromPortal = (await emulator.requests(mark)).filter((e) => e.origin === emulator.origins.portal);
  const withToken = fromPortal.filter((e) => e.bearer);
  assert.ok(withToken.length >= 4, 'the journey made authenticated calls');
  assert.deepEqual([...new Set(withToken.map((e) => e.listener))], ['arm']);
  for (const e of await emulator.requests()) assert.doesNotMatch(e.path, /access_token|eyJ[A-Za-z0-9_-]{10,}\./, e.path);
});

test('the pool list fits a 360 px screen', async () => {
  const { page } = await freshPage(browser, { width: 360, height: 740 });
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  await page.getByRole('table', { name: 'Agent pools' }).waitFor();
  await screenshot(page, 'owner-pools-360');
  assert.ok(await fitsWidth(page), 'no horizontal page scroll at 360 px');
});

test('signing out ends the session and leaves no tokens behind', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  const storage = () => page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
  assert.match(await storage(), /eyJ[A-Za-z0-9_-]{10,}\./, 'signed in: msal holds tokens in sessionStorage');
  assert.doesNotMatch(await page.evaluate(() => JSON.stringify({ ...localStorage })), /eyJ/, 'never in localStorage');
  const mark = await emulator.mark();
  await page.locator('details.account summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.doesNotMatch(await storage(), /eyJ[A-Za-z0-9_-]{10,}\./, 'no JWT left in storage');
  const logout = (await emulator.requests(mark)).find((e) => e.listener === 'login' && e.path.includes('/oauth2/v2.0/logout'));
  assert.ok(logout, 'the authority was told');
  assert.match(logout.path, /logout_hint=/, 'with the user, so their refresh tokens are revoked');
});
