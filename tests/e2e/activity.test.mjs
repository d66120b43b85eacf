// Journeys of issue 13: who changed a pool, when, and how it ended, from the Activity Log. The
// emulator records every write as Azure does (Started, Accepted, Succeeded/Failed under one
// correlation id); the page groups them into one row. What the page shows is compared with the
// events ARM returns for the same filter.
import { test, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO, CONTOSO_BUILDS, SERVICE_PRINCIPAL } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot, fitsWidth } from './support/browser.mjs';

const API = 'api-version=2019-06-01-preview';
const POOL = `${CONTOSO_BUILDS}/agentPools/build-s2`;
let emulator, browser;
// Time runs 20× faster: a 20 s pool operation takes a second.
before(async () => { emulator = await startEmulator(['--speed', '20']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);
beforeEach(async () => { await emulator.reset(); await emulator.setFaults({}); });

async function open(path, user = 'Olivia Owner') {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, user);
  await page.goto(`${emulator.origins.portal}${path}`);
  return { page, problems };
}

/** The Activity Log's events for a filter clause, over the last `days`, as ARM returns them. */
async function events(clause, days = 7) {
  const now = (await (await fetch(`${emulator.origins.admin}/clock`)).json()).nowMs;
  const filter = `eventTimestamp ge '${new Date(now - days * 86400_000).toISOString()}' and eventTimestamp le '${new Date(now + 60_000).toISOString()}' and ${clause}`;
  return emulator.armList(`/subscriptions/${CONTOSO}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=${encodeURIComponent(filter)}`);
}

/** Waits for the activity read to end, and returns its rows' text. */
async function rows(page) {
  await page.locator('.activity-status', { hasText: / as of / }).waitFor();
  return page.locator('table.activity tbody tr').allInnerTexts();
}

test('a scale in the portal shows in the pool\'s activity: by the signed-in user, one row for its events, with its result', async () => {
  const { page, problems } = await open(POOL);
  await page.locator('#scale-count').fill('1');
  await page.getByRole('button', { name: 'Scale to 1' }).click();
  await page.getByText('Scale 2 → 1: Succeeded.').waitFor({ timeout: 20000 });
  // The operation this tab started links to its row once the log has it.
  await page.getByRole('link', { name: 'See this operation in the activity log' }).click();
  await page.waitForURL(/\/agentPools\/build-s2\/activity\?op=[0-9a-f-]+$/);
  const correlation = new URL(page.url()).searchParams.get('op');
  const mine = (await events(`correlationId eq '${correlation}'`)).map((e) => e.status.value).reverse();
  assert.deepEqual(mine, ['Started', 'Accepted', 'Succeeded'], 'ARM holds three events of it');
  await rows(page);
  const row = page.locator(`tr#op-${correlation}`);
  assert.equal(await row.count(), 1, 'and the page one row');
  assert.equal(await row.getAttribute('aria-current'), 'true', 'the row the link pointed at');
  await page.waitForFunction((id) => document.activeElement?.id === `op-${id}`, correlation);
  const text = await row.innerText();
  for (const part of ['Olivia Owner', 'olivia@contoso.test', 'Scale 2 → 1', 'Succeeded']) assert.ok(text.includes(part), `${part} in ${text}`);
  // The header names who made the pool and who changed it last, from the pool's own systemData
  // (the automation principal made build-s2; Olivia's scale is the last change).
  const { body: pool } = await emulator.armSend('GET', `${POOL}?api-version=2025-03-01-preview`);
  const header = page.locator('p.last-changed');
  await header.filter({ hasText: `Created by App ${SERVICE_PRINCIPAL.clientId.slice(0, 4)}…Copy id · Last changed by olivia@contoso.test` }).waitFor();
  const changedAt = Date.parse(pool.systemData.lastModifiedAt);
  assert.equal(Date.parse(await header.locator('time').getAttribute('datetime')), changedAt, 'the time systemData holds');
  await screenshot(page, 'activity-pool');
  assert.deepEqual(problems, []);
});

test('a create the subnet\'s NSG blocks shows Failed with the service\'s code and message, by the service principal', async () => {
  const subnet = `/subscriptions/${CONTOSO}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-builds/subnets/snet-locked`;
  const put = await emulator.armSend('PUT', `${CONTOSO_BUILDS}/agentPools/locked-s1?${API}`, { location: 'eastus', properties: { tier: 'S1', count: 1, os: 'Linux', virtualNetworkSubnetResourceId: subnet } });
  assert.equal(put.status, 201);
  // Past the operation's end on the service's clock: the page reads it ended.
  await emulator.setClock({ advanceMs: 60_000 });
  const { page, problems } = await open(`${CONTOSO_BUILDS}/agentPools/locked-s1/activity`);
  const [row, ...more] = await rows(page);
  assert.equal(more.length, 0, 'one operation, one row');
  const failed = (await events(`resourceUri eq '${CONTOSO_BUILDS}/agentPools/locked-s1'`)).find((e) => e.status.value === 'Failed');
  const error = JSON.parse(failed.properties.statusMessage).error;
  assert.equal(error.code, 'AgentPoolNetworkConfigurationInvalid');
  for (const part of ['Create S1 × 1 in a subnet', 'Failed', error.code, error.message, `App ${SERVICE_PRINCIPAL.clientId.slice(0, 4)}…`]) {
    assert.ok(row.includes(part), `${part} in ${row}`);
  }
  await screenshot(page, 'activity-failed');
  assert.deepEqual(problems, []);
});

test('the registry\'s activity lists changes across its pools and runs, each named, and the window is a link', async () => {
  const { page, problems } = await open(`${CONTOSO_BUILDS}/activity`);
  const week = await rows(page);
  // ARM's events of the resource group, kept when under this registry, one row per operation.
  const under = (e) => e.resourceId.toLowerCase().startsWith(CONTOSO_BUILDS.toLowerCase());
  const operations = new Set((await events("resourceGroupName eq 'rg-builds'")).filter(under).map((e) => e.correlationId));
  assert.equal(week.length, operations.size);
  for (const part of ['pool build-s2', 'pool nightly-s1', 'pool vnet-s3', 'registry contosobuilds', 'Quick build on build-s2', 'Scale 1 → 2', 'Tags +owner=ci-bot', 'Tags −owner', 'QuotaExceeded']) {
    assert.ok(week.some((r) => r.includes(part)), `${part} in the week`);
  }
  assert.ok(!week.some((r) => r.includes('train-s1')), 'another registry\'s pool is not listed');
  await screenshot(page, 'activity-registry');
  const today = new Set((await events("resourceGroupName eq 'rg-builds'", 1)).filter(under).map((e) => e.correlationId));
  await page.getByRole('radio', { name: 'Last 24 hours' }).check();
  await page.waitForURL((u) => u.search === '?window=24h');
  // The week's rows stay until the day's read replaces them: wait for exactly the day's.
  await page.waitForFunction((n) => / as of /.test(document.querySelector('.activity-status')?.textContent ?? '')
    && document.querySelectorAll('table.activity tbody tr').length === n, today.size);
  const day = await rows(page);
  assert.equal(day.length, today.size);
  assert.ok(day.length < week.length && day.some((r) => r.includes('QuotaExceeded')), 'the refused scale-up 20 h ago, not the week');
  await page.reload();
  assert.equal((await rows(page)).length, day.length, 'the link keeps the window');
  assert.ok(await page.getByRole('radio', { name: 'Last 24 hours' }).isChecked());
  assert.deepEqual(problems, []);
});

test('a Reader sees the activity; a role without the Activity Log\'s read gets a line saying so, and still who changed the pool', async () => {
  const { page, problems } = await open(`${POOL}/activity`, 'Rhea Reader');
  assert.ok((await rows(page)).some((r) => r.includes('Scale 1 → 2')));
  // Who last changed the pool, as ARM says: the demo's week ends with whatever came last by
  // now (Olivia's scale, or build-s2's schedule at 07:00 and 20:00 UTC on weekdays, as its
  // managed identity).
  const { systemData } = await emulator.arm(`${POOL}?api-version=2019-06-01-preview`);
  const last = systemData.lastModifiedByType === 'ManagedIdentity' ? `Managed identity ${systemData.lastModifiedBy.slice(0, 4)}…Copy id` : systemData.lastModifiedBy;
  const who = `Created by App ${SERVICE_PRINCIPAL.clientId.slice(0, 4)}…Copy id · Last changed by ${last}`;
  await page.locator('p.last-changed', { hasText: who }).waitFor();
  await emulator.setFaults({ denyActions: ['Microsoft.Insights/eventtypes/values/read'] });
  await page.reload();
  await page.getByText('You cannot read this subscription\'s Activity Log').waitFor();
  // From the pool's systemData: no Activity Log read needed.
  await page.locator('p.last-changed', { hasText: who }).waitFor();
  assert.equal(await page.getByRole('alert').count(), 0, 'a missing permission is not an error');
  assert.ok(await fitsWidth(page));
  assert.deepEqual(problems.filter((p) => !/403/.test(p)), []);
});
