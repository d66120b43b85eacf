// A missing or broken config.json gives a setup page, not a blank screen (SPEC F2).
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from './support/emulator.mjs';
import { launch, closePages, freshPage, screenshot } from './support/browser.mjs';

let emulator, browser;
before(async () => { emulator = await startEmulator(); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);

test('an invalid config lists every problem', async () => {
  const { page } = await freshPage(browser);
  await page.route('**/config.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: '{"cloud":"Mars","armEndpoint":"http://arm.test/"}' }));
  await page.goto(`${emulator.origins.portal}/`);
  await page.getByRole('heading', { name: 'Pool Portal needs setting up' }).waitFor();
  const alert = page.getByRole('alert');
  for (const text of ['`clientId` is missing', '`cloud` must be AzureCloud, AzureUSGovernment or Custom']) {
    await assert.doesNotReject(alert.getByText(text, { exact: false }).waitFor());
  }
  await screenshot(page, 'setup-invalid');
});

test('a missing config says it could not be loaded', async () => {
  const { page } = await freshPage(browser);
  await page.route('**/config.json', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await page.goto(`${emulator.origins.portal}/`);
  await assert.doesNotReject(page.getByText('config.json could not be loaded (HTTP 404).').waitFor());
});

test('an authority that cannot be reached says sign-in failed instead of waiting forever', async () => {
  // The CSP only lists the configured origins, so a stray authority is blocked in the browser.
  const { page, cspBlocks } = await freshPage(browser, { cspMayBlock: true });
  const config = await (await fetch(`${emulator.origins.admin}/origins`)).json();
  await page.route('**/config.json', (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({
      clientId: '7f3e2d1c-0b9a-4e8d-a7c6-5b4a3f2e1d0c', cloud: 'Custom',
      authority: 'https://127.0.0.1:9/nowhere', armEndpoint: `${config.arm}/`,
      armResource: 'https://management.pool-portal.test/',
    }),
  }));
  await page.goto(`${emulator.origins.portal}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.getByRole('heading', { name: 'Sign-in failed' }).waitFor();
  await assert.doesNotReject(alert.getByText('Check the authority and client id in config.json.').waitFor());
  assert.ok(cspBlocks.some((m) => m.includes('127.0.0.1:9')), `expected a CSP block, got ${cspBlocks}`);
  await screenshot(page, 'signin-unreachable-authority');
});
