// Journeys of issue 4: create by tier and subnet with pre-flight, scale with slider and keyboard,
// pause/resume, delete, readers kept from writing, and a scale that survives 429 and 503; with
// issue 18, each as real Azure answers it (a scale's new count at once, Azure's status words, the
// pause record kept on the registry, since agent pools keep no tags).
import { test, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot, fitsWidth } from './support/browser.mjs';

const API = 'api-version=2025-03-01-preview';
const RECORD = 'poolportal-paused-build-s2';
const registryTags = async () => (await emulator.arm(`${CONTOSO_BUILDS}?api-version=2023-07-01`)).tags;
/** The portal's write of the registry's tags (a pause record), answered. */
const tagWrite = (page) => page.waitForResponse((r) => r.url().includes('/providers/Microsoft.Resources/tags/default') && r.request().method() === 'PATCH');
let emulator, browser;
// Time runs 20× faster: a 20 s pool operation takes a second.
before(async () => { emulator = await startEmulator(['--speed', '20']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);
beforeEach(async () => { await emulator.reset(); await emulator.setFaults({}); });

const setFaults = (f) => emulator.setFaults(f);
const pool = (name) => emulator.arm(`${CONTOSO_BUILDS}/agentPools/${name}?${API}`);

async function ownerOn(path, user = 'Olivia Owner', size) {
  const { page, problems } = await freshPage(browser, size);
  await signIn(page, emulator, user);
  await page.goto(`${emulator.origins.portal}${path}`);
  return { page, problems };
}

async function openCreate(user) {
  const r = await ownerOn(`${CONTOSO_BUILDS}/createAgentPool`, user);
  await r.page.getByRole('heading', { name: 'Create agent pool', level: 1 }).waitFor();
  await r.page.locator('#pool-subnet[aria-describedby]').waitFor();
  return r;
}

const check = (page, title) => page.locator('ul.preflight li', { hasText: title });

test('create S2 × 2 in a good subnet: pre-flight passes, the operation ends Succeeded, the pool is listed', async () => {
  const { page, problems } = await openCreate();
  await page.locator('#pool-name').fill('burst-s2');
  await page.getByRole('radio', { name: /^S2/ }).check();
  await page.locator('#pool-count').fill('2');
  await page.locator('#pool-subnet').fill('vnet-builds/snet-pools');
  await check(page, 'Network security group').filter({ hasText: 'lets the pool reach every required Azure service' }).waitFor();
  assert.equal(await page.locator('ul.preflight li.check-fail').count(), 0);
  await assert.doesNotReject(page.locator('.cli code', { hasText: 'az acr agentpool create -r contosobuilds -n burst-s2 --tier S2 --count 2 --subnet-id /subscriptions/' }).waitFor());
  await screenshot(page, 'create-good-subnet');
  await page.getByRole('button', { name: 'Create agent pool' }).click();
  // Accepted: the new pool's page shows the progress, and the form (and a second PUT) is gone.
  await page.waitForURL(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/burst-s2`);
  await page.getByText('Create burst-s2 (S2 × 2): Succeeded.').waitFor({ timeout: 20000 });
  assert.equal(await page.getByRole('button', { name: 'Create agent pool' }).count(), 0, 'no second PUT of the same pool');
  const created = await pool('burst-s2');
  assert.equal(created.properties.provisioningState, 'Succeeded');
  assert.equal(created.properties.count, 2);
  assert.match(created.properties.virtualNetworkSubnetResourceId, /\/snet-pools$/);
  await page.getByRole('link', { name: 'contosobuilds' }).first().click();
  const row = page.locator('table[aria-label="Agent pools"] tbody tr', { hasText: 'burst-s2' });
  await row.waitFor();
  assert.match(await row.innerText(), /S2 · 4 vCPU, 8 GB\s+2\s+8\s+Idle\s+vnet-builds\/snet-pools/);
  assert.deepEqual(problems, []);
});

test('a subnet whose NSG blocks Storage: pre-flight names the rule, shows the fix, and blocks submit', async () => {
  const { page } = await openCreate();
  await page.locator('#pool-name').fill('locked-s1');
  await page.locator('#pool-subnet').fill('vnet-builds/snet-locked');
  const nsg = check(page, 'Network security group');
  await nsg.filter({ hasText: 'nsg-locked blocks Storage TCP 443 (rule DenyStorageOutbound)' }).waitFor();
  assert.match(await nsg.getAttribute('class'), /check-fail/, 'a failure in red: the pool would end Failed');
  const fix = page.locator('pre.fixes code');
  await fix.waitFor();
  assert.match(await fix.innerText(), /^az network nsg rule create -g rg-network --nsg-name nsg-locked -n AllowStorageOutbound --priority 199 .*--destination-address-prefixes Storage --destination-port-ranges 443$/);
  // Create does not send: it takes the user to what must change first.
  const before = (await emulator.requests()).length;
  await page.getByRole('button', { name: 'Create agent pool' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'create-anyway');
  assert.ok(!(await emulator.requests()).slice(before).some((e) => e.method === 'PUT'), 'no PUT');
  await screenshot(page, 'create-blocked-nsg');
  await page.setViewportSize({ width: 360, height: 800 });
  assert.ok(await fitsWidth(page), 'the form fits 360 px');
  await screenshot(page, 'create-blocked-nsg-360');
});

test('over quota: blocked before submit; forced, ARM’s error shows and the form keeps every field', async () => {
  const { page } = await openCreate();
  await page.locator('#pool-name').fill('big-s3');
  await page.getByRole('radio', { name: /^S3/ }).check();
  await page.locator('#pool-count').fill('2');
  const quota = check(page, 'vCPU quota');
  await quota.filter({ hasText: 'This pool needs 16 standard vCPU; 8 of the default 16 are free.' }).waitFor();
  const create = page.getByRole('button', { name: 'Create agent pool' });
  await page.locator('#submit-why', { hasText: /^First fix vCPU quota: / }).waitFor();
  await page.getByLabel(/Create anyway: I understand the service refuses it unless this registry's vCPU quota was raised/).check();
  await create.click();
  const alert = page.locator('.form-actions').getByRole('alert');
  await alert.getByText('QuotaExceeded', { exact: true }).waitFor();
  await assert.doesNotReject(alert.getByText('Request id', { exact: true }).waitFor());
  assert.match(await alert.innerText(), /Current usage: 8, additional required: 16, limit: 16/);
  assert.equal(await page.locator('#pool-name').inputValue(), 'big-s3');
  assert.ok(await page.getByRole('radio', { name: /^S3/ }).isChecked());
  assert.equal(await page.locator('#pool-count').inputValue(), '2');
  assert.equal(await page.getByRole('button', { name: 'Add tag' }).count(), 0, 'no tags offered: Azure drops them on agent pools');
  await screenshot(page, 'create-over-quota-forced');
});

test('scale 2 → 0 → 3 with the slider and the keyboard', async () => {
  const { page } = await ownerOn(`${CONTOSO_BUILDS}/agentPools/build-s2`);
  const slider = page.locator('#scale-slider');
  await slider.waitFor();
  await slider.focus();
  await page.keyboard.press('Home');
  await page.getByText('Instances 2 → 0 · vCPU 8 → 0').waitFor();
  await assert.doesNotReject(page.getByText('At 0 instances no run starts').waitFor());
  await screenshot(page, 'scale-to-zero');
  await page.getByRole('button', { name: 'Scale to 0' }).click();
  await page.getByText('Scale 2 → 0: Succeeded.').waitFor({ timeout: 20000 });
  assert.equal((await pool('build-s2')).properties.count, 0);
  // The pool is read again once the operation ends and its panels are redrawn from it: keys
  // pressed before that would go to the panel being replaced. The new one starts at 0 → 0.
  await page.getByText('Instances 0 → 0 · vCPU 0 → 0').waitFor();

  await slider.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.getByText('Instances 0 → 3 · vCPU 0 → 12').waitFor();
  await page.keyboard.press('Tab'); // to the number box: same value
  assert.equal(await page.locator('#scale-count').inputValue(), '3');
  await page.getByRole('button', { name: 'Scale to 3' }).press('Enter');
  await page.getByText('Scale 0 → 3: Succeeded.').waitFor({ timeout: 20000 });
  assert.equal((await pool('build-s2')).properties.count, 3);
  await page.locator('dl.pool-facts').getByText('3', { exact: true }).first().waitFor();
});

test('a scale shows Azure\'s word and the new count at once, then Succeeded', async () => {
  const { page } = await ownerOn(`${CONTOSO_BUILDS}/agentPools/build-s2`);
  await page.locator('#scale-count').waitFor();
  // Time stands still: the operation is seen while it runs.
  await emulator.setClock({ speed: 0 });
  try {
    await page.locator('#scale-count').fill('3');
    await page.getByRole('button', { name: 'Scale to 3' }).click();
    await page.getByText('Scale 2 → 3: Updating… The pool now shows 3 instances.').waitFor({ timeout: 20000 });
    const facts = page.locator('dl.pool-facts');
    await facts.locator('dd', { hasText: /^3$/ }).waitFor();
    await facts.locator('.state-updating', { hasText: 'Updating' }).waitFor();
    await screenshot(page, 'scale-updating');
  } finally {
    await emulator.setClock({ speed: 20 });
  }
  await page.getByText('Scale 2 → 3: Succeeded.').waitFor({ timeout: 20000 });
  await page.locator('dl.pool-facts .state-succeeded').waitFor();
  assert.equal((await pool('build-s2')).properties.count, 3);
});

test('pause with a reason, reload, then resume to the count it had: the record lives on the registry', async () => {
  const { page, problems } = await ownerOn(`${CONTOSO_BUILDS}/agentPools/build-s2`);
  await page.getByRole('button', { name: 'Pause…' }).click();
  await page.getByRole('button', { name: 'Pause pool' }).click();
  await assert.doesNotReject(page.getByText('Say why, so colleagues know').waitFor(), 'a reason is required');
  await page.locator('#pause-reason').fill('Holiday freeze until Monday');
  await page.setViewportSize({ width: 360, height: 800 });
  assert.ok(await fitsWidth(page));
  await screenshot(page, 'pause-form-360');
  await page.setViewportSize({ width: 1280, height: 800 });
  const written = tagWrite(page);
  await page.getByRole('button', { name: 'Pause pool' }).click();
  assert.equal((await written).status(), 200);
  await page.getByText('Pause (2 → 0): Succeeded.').waitFor({ timeout: 20000 });
  await page.getByText('Paused by olivia@contoso.test', { exact: true }).waitFor();
  await assert.doesNotReject(page.locator('.pause-banner').getByText(': Holiday freeze until Monday').waitFor());
  const paused = await pool('build-s2');
  assert.equal(paused.properties.count, 0);
  assert.equal(paused.tags, undefined, 'Azure keeps no tags on a pool');
  const record = JSON.parse((await registryTags())[RECORD]);
  assert.deepEqual([record.count, record.by, record.why], [2, 'olivia@contoso.test', 'Holiday freeze until Monday']);
  assert.equal((await registryTags()).team, 'platform', 'the registry\'s own tags are untouched');
  await screenshot(page, 'paused');
  // A reload (or a colleague opening the link) still knows why and to what.
  await page.reload();
  await page.getByText('Paused by olivia@contoso.test', { exact: true }).waitFor();
  const removed = tagWrite(page);
  await page.getByRole('button', { name: 'Resume (2 instances)' }).click();
  assert.equal((await removed).status(), 200);
  await page.getByText('Resume to 2: Succeeded.').waitFor({ timeout: 20000 });
  assert.equal((await pool('build-s2')).properties.count, 2);
  assert.ok(!(RECORD in (await registryTags())), 'the pause record is gone');
  assert.equal((await registryTags()).team, 'platform');
  assert.deepEqual(problems, []);
});

test('pause without the right to write the record still scales to 0, says so, and Resume takes the count from the Activity Log', async () => {
  await setFaults({ denyActions: ['Microsoft.Resources/tags/write'] });
  const { page, problems } = await ownerOn(`${CONTOSO_BUILDS}/agentPools/build-s2`);
  await page.getByRole('button', { name: 'Pause…' }).click();
  await page.locator('#pause-reason').fill('Quiet week');
  await page.getByRole('button', { name: 'Pause pool' }).click();
  const said = page.getByRole('alert').filter({ hasText: 'the reason was not kept' });
  await said.filter({ hasText: 'the reason was not kept' }).waitFor({ timeout: 20000 });
  assert.match(await said.innerText(), /AuthorizationFailed/);
  await page.getByText('Pause (2 → 0): Succeeded.').waitFor({ timeout: 20000 });
  assert.equal((await pool('build-s2')).properties.count, 0);
  assert.ok(!(RECORD in (await registryTags())), 'nothing was written');
  await screenshot(page, 'paused-without-record');
  await page.reload();
  await page.getByText('Before its last scale to 0 (Activity Log) it had 2.').waitFor();
  await page.getByRole('button', { name: 'Resume (2 instances)' }).click();
  await page.getByText('Resume to 2: Succeeded.').waitFor({ timeout: 20000 });
  assert.equal((await pool('build-s2')).properties.count, 2);
  assert.deepEqual(problems.filter((p) => !/403/.test(p)), [], 'only the refused tag write');
});

test('a pool paused under the old record in its own tags still resumes, and the old record goes', async () => {
  await emulator.seedPoolTags('contosobuilds', 'nightly-s1', {
    'poolportal-paused-count': '2', 'poolportal-paused-by': 'Olivia Owner', 'poolportal-paused-reason': 'Old freeze', 'poolportal-paused-at': '2026-11-20T09:00:00Z',
  });
  const { page, problems } = await ownerOn(`${CONTOSO_BUILDS}/agentPools/nightly-s1`);
  await page.getByText('Paused by Olivia Owner', { exact: true }).waitFor();
  const patch = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().includes('/agentPools/nightly-s1?'));
  await page.getByRole('button', { name: 'Resume (2 instances)' }).click();
  // The portal asks for the pool without the old record (Azure drops tags anyway).
  const sent = (await patch).postDataJSON();
  assert.deepEqual(sent, { properties: { count: 2 }, tags: {} });
  await page.getByText('Resume to 2: Succeeded.').waitFor({ timeout: 20000 });
  const resumed = await pool('nightly-s1');
  assert.equal(resumed.properties.count, 2);
  assert.equal(resumed.tags, undefined, 'the old record is gone');
  assert.deepEqual(problems, []);
});

test('delete after typing the name, Deleting… while Azure deletes; the pool leaves the list', async () => {
  const { page } = await ownerOn(`${CONTOSO_BUILDS}/agentPools/nightly-s1`);
  await page.getByRole('button', { name: 'Delete pool…' }).click();
  const del = page.getByRole('button', { name: 'Delete nightly-s1', exact: true });
  await page.locator('#delete-confirm').fill('nightly');
  assert.ok(await del.isDisabled(), 'not until the whole name is typed');
  await page.locator('#delete-confirm').fill('nightly-s1');
  await screenshot(page, 'delete-confirm');
  await page.setViewportSize({ width: 360, height: 800 });
  assert.ok(await fitsWidth(page));
  await screenshot(page, 'delete-confirm-360');
  const entries = await page.evaluate(() => history.length);
  await emulator.setClock({ speed: 0 });
  try {
    await del.click();
    await page.getByText('Delete nightly-s1: Deleting…').waitFor({ timeout: 20000 });
  } finally {
    await emulator.setClock({ speed: 20 });
  }
  await page.waitForURL(`${emulator.origins.portal}${CONTOSO_BUILDS}`, { timeout: 20000 });
  assert.equal(await page.evaluate(() => history.length), entries, 'the list replaced the pool in history: Back cannot lead to it');
  const table = page.locator('table[aria-label="Agent pools"]');
  await table.waitFor();
  assert.equal(await table.getByRole('link', { name: 'nightly-s1' }).count(), 0);
  await assert.rejects(pool('nightly-s1'), /404/);
});

test('a reader sees every page but cannot write, and is told which role is needed', async () => {
  const { page } = await ownerOn(`${CONTOSO_BUILDS}/agentPools/build-s2`, 'Rhea Reader');
  // One notice at the top; the forms a reader cannot send are not drawn.
  await page.locator('.read-only', { hasText: 'Contributor or Owner role' }).waitFor();
  await page.locator('section.live-queue').waitFor();
  for (const name of [/^Scale to/, 'Pause…', 'Delete pool…']) assert.ok(!(await page.getByRole('button', { name }).isVisible()), `${name} is not offered`);
  assert.ok(!(await page.locator('#scale-slider').isVisible()));
  await screenshot(page, 'reader-pool');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  await page.locator('.read-only', { hasText: 'Contributor or Owner role' }).waitFor();
  await page.locator('#create-why', { hasText: 'Needs the Contributor or Owner role' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Create agent pool' }).count(), 0);
});

test('a 429 and a 503 during a scale are survived: retried, one operation, no duplicate', async () => {
  const { page } = await ownerOn(`${CONTOSO_BUILDS}/agentPools/build-s2`);
  await page.locator('#scale-slider').waitFor();
  await setFaults({ throttle: 1, retryAfterSecs: 1, serverErrors: 1, serverErrorStatus: 503, matching: 'PATCH' });
  const mark = await emulator.mark();
  await page.locator('#scale-count').fill('1');
  await page.getByRole('button', { name: 'Scale to 1' }).click();
  await page.getByText('Scale 2 → 1: Succeeded.').waitFor({ timeout: 30000 });
  const patches = (await emulator.requests(mark)).filter((e) => e.method === 'PATCH');
  assert.deepEqual(patches.map((e) => e.status), [429, 503, 201], 'retried after each, then accepted once (201, as Azure answers)');
  assert.equal((await pool('build-s2')).properties.count, 1);
});

test('progress survives a reload and navigation; an operation that ends Failed says why', async () => {
  await emulator.setClock({ speed: 0 });
  try {
    const { page } = await openCreate();
    await page.locator('#pool-name').fill('locked-s1');
    await page.locator('#pool-count').fill('1');
    await page.locator('#pool-subnet').fill('vnet-builds/snet-locked');
    await check(page, 'Network security group').filter({ hasText: 'DenyStorageOutbound' }).waitFor();
    await page.getByLabel(/Create anyway/).check();
    await page.getByRole('button', { name: 'Create agent pool' }).click();
    // Time stands still: the operation cannot end while we reload and wander.
    const poolPage = `${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/locked-s1`;
    await page.waitForURL(poolPage);
    await page.getByText('Create locked-s1 (S1 × 1): Creating…').waitFor({ timeout: 20000 });
    await page.reload();
    await page.getByText('Create locked-s1 (S1 × 1): Creating…').waitFor();
    await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
    await page.locator('table[aria-label="Agent pools"] tbody tr', { hasText: 'locked-s1' }).getByText('Updating (create)').waitFor();
    await page.goto(poolPage);
    await emulator.setClock({ speed: 20 });
    const failed = page.locator('.op-failed');
    await failed.waitFor({ timeout: 20000 });
    const text = await failed.innerText();
    assert.match(text, /Create locked-s1 \(S1 × 1\): Failed\./);
    assert.match(text, /'nsg-locked' blocks outbound traffic the agents need: Storage TCP 443 \(denied by rule 'DenyStorageOutbound'/);
    assert.match(text, /AgentPoolNetworkConfigurationInvalid/);
    await page.locator('dl.pool-facts').getByText('Failed').waitFor();
    await screenshot(page, 'create-failed-async');
  } finally {
    await emulator.setClock({ speed: 20 });
  }
});

test('when the server still refuses (403), the error names the missing permission', async () => {
  const { page } = await freshPage(browser);
  // Pretend the permissions API said "all": the portal enables writing, the service refuses.
  await page.route('**/providers/Microsoft.Authorization/permissions*', (route) => route.fulfill({
    contentType: 'application/json',
    headers: { 'access-control-allow-origin': emulator.origins.portal },
    body: JSON.stringify({ value: [{ actions: ['*'], notActions: [] }] }),
  }));
  await signIn(page, emulator, 'Rhea Reader');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/build-s2`);
  await page.locator('#scale-count').fill('1');
  await page.getByRole('button', { name: 'Scale to 1' }).click();
  const alert = page.locator('.scale').getByRole('alert');
  await alert.getByRole('heading', { name: 'You do not have access' }).waitFor();
  await assert.doesNotReject(alert.getByText('Microsoft.ContainerRegistry/registries/agentpools/write', { exact: true }).waitFor());
});

test('a pool in a subnet shows its VNet readiness, and the pool page fits 360 px', async () => {
  const { page } = await ownerOn(`${CONTOSO_BUILDS}/agentPools/vnet-s3`, 'Olivia Owner', { width: 360, height: 800 });
  const table = page.getByRole('table', { name: 'Required outbound traffic' });
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), 6);
  assert.equal(await table.locator('tr.blocked').count(), 0);
  assert.match(await table.innerText(), /AllowStorage \(110\)/);
  assert.ok(await fitsWidth(page));
  await screenshot(page, 'pool-vnet-360');
});
