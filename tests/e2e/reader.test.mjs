// Journey: a Reader signs in and reads pools; what they have no role on is not shown, or refused.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO_BUILDS, FABRIKAM, registryPath } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot } from './support/browser.mjs';

let emulator, browser;
before(async () => { emulator = await startEmulator(); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);

test('the reader sees only their subscription, and its pools', async () => {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, 'Rhea Reader');
  const subTable = page.getByRole('table', { name: 'Subscriptions' });
  await subTable.getByRole('link', { name: 'Contoso Platform (demo)' }).waitFor();
  assert.equal(await subTable.locator('tbody tr').count(), 1);
  assert.equal(await page.getByText('Fabrikam Research (demo)').count(), 0);

  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  const pools = await emulator.armList(`${CONTOSO_BUILDS}/agentPools?api-version=2019-06-01-preview`);
  const table = page.getByRole('table', { name: 'Agent pools' });
  await table.waitFor();
  for (const p of pools) await assert.doesNotReject(table.getByRole('link', { name: p.name, exact: true }).waitFor());
  await screenshot(page, 'reader-pools');
  assert.deepEqual(problems, []);
});

test('a link into a subscription the reader has no role on names the missing permission', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Rhea Reader');
  await page.goto(`${emulator.origins.portal}${registryPath(FABRIKAM, 'rg-research', 'fabrikamresearch')}`);
  const alert = page.getByRole('alert').first();
  await alert.getByRole('heading', { name: 'You do not have access' }).waitFor();
  await assert.doesNotReject(alert.getByText('AuthorizationFailed', { exact: true }).waitFor());
  await assert.doesNotReject(alert.getByText('Microsoft.ContainerRegistry/registries/read', { exact: true }).waitFor());
  await screenshot(page, 'reader-forbidden');
});

test('a user with no role is told why the list is empty', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Nadia Newcomer');
  await assert.doesNotReject(page.getByText('You have no role on any subscription').waitFor());
});
