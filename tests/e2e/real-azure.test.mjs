// Issue 18: the portal relies only on what real Azure keeps and answers. Which registries can host
// pools comes from the provider registration (Sweden Central, which a hard-coded list lacked), with
// the built-in list as a fallback that says so; who made and changed a pool comes from its
// systemData; a cloud that refuses the agent-pool api-version every current client sends is asked
// with the older one, once, and that is remembered.
import { test, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO, FABRIKAM, CONTOSO_BUILDS, SERVICE_PRINCIPAL, registryPath } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot } from './support/browser.mjs';

let emulator, browser;
before(async () => { emulator = await startEmulator(['--speed', '20']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);
beforeEach(async () => { await emulator.reset(); await emulator.setFaults({}); });

const NORDIC = registryPath(FABRIKAM, 'rg-nordic', 'fabrikamnordic');

async function open(path, user = 'Olivia Owner') {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, user);
  await page.goto(`${emulator.origins.portal}${path}`);
  return { page, problems };
}

test('a Premium registry in Sweden Central can host pools: the regions come from the provider registration', async () => {
  const registration = await emulator.arm(`/subscriptions/${FABRIKAM}/providers/Microsoft.ContainerRegistry?api-version=2021-04-01`);
  const pools = registration.resourceTypes.find((t) => t.resourceType === 'registries/agentPools');
  assert.ok(pools.locations.includes('Sweden Central') && !pools.locations.includes('UK South'), 'what ARM keeps');
  const mark = await emulator.mark();
  const { page, problems } = await open(`/subscriptions/${FABRIKAM}`);
  const table = page.getByRole('table', { name: 'Container registries' });
  const nordic = table.locator('tr', { hasText: 'fabrikamnordic' });
  await nordic.getByRole('link', { name: 'fabrikamnordic' }).waitFor();
  assert.match(await nordic.innerText(), /swedencentral\s+Premium\s+Available/);
  await nordic.getByRole('link', { name: 'fabrikamnordic' }).click();
  await page.getByRole('link', { name: 'Create agent pool' }).waitFor();
  await page.getByText('No agent pools in this registry yet.').waitFor();
  await screenshot(page, 'registry-sweden-central');
  // Once a session: the registry page asked nothing more of the registration.
  const asked = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.method === 'GET' && e.path.includes('/providers/Microsoft.ContainerRegistry?'));
  assert.equal(asked.length, 1, 'the registration was read once');
  await page.goto(`${emulator.origins.portal}${NORDIC}/createAgentPool`);
  await page.locator('ul.preflight li', { hasText: 'Region' }).filter({ hasText: "swedencentral offers agent pools (Azure's registration)" }).waitFor();
  assert.deepEqual(problems, []);
});

test('a registry in a region the registration lacks cannot host pools, and says why', async () => {
  const { page } = await open(`/subscriptions/${CONTOSO}`);
  const uk = page.getByRole('table', { name: 'Container registries' }).locator('tr', { hasText: 'contosouk' });
  await uk.getByText("Region uksouth does not offer agent pools: Microsoft.ContainerRegistry's registration for this subscription does not list it.").waitFor();
  assert.equal(await uk.getByRole('link').count(), 0);
  await page.goto(`${emulator.origins.portal}${registryPath(CONTOSO, 'rg-uk', 'contosouk')}`);
  await page.getByText('This registry cannot host agent pools. Region uksouth does not offer agent pools').waitFor();
});

test('when the registration cannot be read, the built-in list judges and the page says so', async () => {
  await emulator.setFaults({ denyActions: ['Microsoft.Resources/subscriptions/providers/read'] });
  const { page } = await open(`/subscriptions/${FABRIKAM}`);
  await page.getByText('Which regions offer agent pools could not be read from Azure (AuthorizationFailed)').waitFor();
  const table = page.getByRole('table', { name: 'Container registries' });
  await table.getByRole('link', { name: 'fabrikamresearch' }).waitFor();
  // The built-in list is Learn's, which never had Sweden Central: only the registration knows it.
  const nordic = table.locator('tr', { hasText: 'fabrikamnordic' });
  await nordic.getByText('Region swedencentral does not offer agent pools, as far as the built-in list knows.').waitFor();
  assert.equal(await nordic.getByRole('link').count(), 0);
  await screenshot(page, 'regions-fallback');
});

test('who made a pool and who changed it last: a person and a service principal, from systemData', async () => {
  const { page, problems } = await open(`${CONTOSO_BUILDS}/agentPools/nightly-s1`);
  const header = page.locator('p.last-changed');
  await header.filter({ hasText: `Created by olivia@contoso.test · Last changed by App ${SERVICE_PRINCIPAL.clientId.slice(0, 4)}…` }).waitFor();
  const { body } = await emulator.armSend('GET', `${CONTOSO_BUILDS}/agentPools/nightly-s1?api-version=2025-03-01-preview`);
  assert.equal(Date.parse(await header.locator('time').getAttribute('datetime')), Date.parse(body.systemData.lastModifiedAt));
  // 27 hours before the demo's clock started, told as the log tells it.
  await header.locator('time', { hasText: /^(\d+ h|1 day|\d+ days) ago$/ }).waitFor();
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/vnet-s3`);
  await page.locator('p.last-changed', { hasText: 'Created by olivia@contoso.test · Last changed by olivia@contoso.test' }).waitFor();
  assert.deepEqual(problems, []);
});

test('a cloud that refuses 2025-03-01-preview is asked with 2019-06-01-preview, once, and that is remembered', async () => {
  await emulator.setFaults({ refuseApiVersions: ['2025-03-01-preview'] });
  const mark = await emulator.mark();
  const { page, problems } = await open(`${CONTOSO_BUILDS}/agentPools/build-s2`);
  await page.locator('dl.pool-facts').getByText('S2', { exact: false }).first().waitFor();
  await page.locator('#scale-count').waitFor();
  const poolRequests = (since) => emulator.requests(since).then((log) => log.filter((e) => e.listener === 'arm' && /\/agentPools/.test(e.path) && e.method !== 'OPTIONS'));
  const first = await poolRequests(mark);
  const refused = first.filter((e) => e.path.includes('api-version=2025-03-01-preview'));
  assert.ok(refused.length >= 1 && refused.every((e) => e.status === 400), 'the newer version was tried and refused');
  assert.ok(first.some((e) => e.path.includes('api-version=2019-06-01-preview') && e.status === 200), 'then the older one worked');
  // Remembered for this cloud: a reload asks with the older version only.
  const again = await emulator.mark();
  await page.reload();
  await page.locator('#scale-count').waitFor();
  const later = await poolRequests(again);
  assert.ok(later.length > 0 && later.every((e) => e.path.includes('api-version=2019-06-01-preview')), later.map((e) => e.path).join('\n'));
  // And writes use it too.
  await page.locator('#scale-count').fill('1');
  await page.getByRole('button', { name: 'Scale to 1' }).click();
  await page.getByText('Scale 2 → 1: Succeeded.').waitFor({ timeout: 20000 });
  assert.deepEqual(problems.filter((p) => !/400/.test(p)), []);
});
