// Every string ARM or the log storage returns is shown as text (brief: "renders every server
// string as text"). The emulator's --hostile-demo seeds a pool, a task and a run whose tags,
// names, steps and log carry markup, script, `javascript:` URLs and ANSI escapes; other answers
// are rewritten in flight. The page must show the markup literally, build no element or link
// from it, and run none of it. The CSP gate in `closePages` and the dialog watch in `freshPage`
// catch a script that got through anyway.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot } from './support/browser.mjs';

const HOSTILE = '<img src=x onerror="window.__owned=1;alert(1)"><script>window.__owned=2</script><b>bold</b>';
let emulator, browser;
before(async () => { emulator = await startEmulator(['--hostile-demo']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);

// What `emulator/src/store/hostile.rs` seeds.
const SEEDED = {
  markup: '<img src=x onerror="window.__owned=1"><b>bold</b>',
  script: '<script>window.__owned=2</script>',
  jsUrl: 'javascript:window.__owned=3',
};
const API = 'api-version=2019-06-01-preview';

/** Nothing hostile became markup, a link, or ran. */
async function assertInert(page, problems) {
  assert.equal(await page.locator('img[src="x"], b:text("bold")').count(), 0, 'no element was built from server text');
  assert.equal(await page.locator('a[href^="javascript:" i], a[href^="data:" i]').count(), 0, 'no script link');
  assert.equal(await page.evaluate(() => window.__owned), undefined, 'no server text ran as script');
  assert.deepEqual(problems.filter((p) => p.startsWith('dialog') || p.startsWith('pageerror')), []);
}

test('a subscription name full of markup is shown as text', async () => {
  const { page, problems } = await freshPage(browser);
  await page.route('**/subscriptions?api-version=*', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.value[0].displayName = HOSTILE;
    await route.fulfill({ response, json: body });
  });
  await signIn(page, emulator, 'Olivia Owner');
  const table = page.getByRole('table', { name: 'Subscriptions' });
  await assert.doesNotReject(table.getByRole('link', { name: HOSTILE, exact: true }).waitFor());
  await assertInert(page, problems);
});

test('an ARM error message full of markup is shown as text', async () => {
  const { page, problems } = await freshPage(browser);
  await page.route('**/agentPools/build-s2?api-version=*', (route) => route.fulfill({
    // Not 404: a missing pool gets its own page (which shows the code and request id as text too).
    status: 400,
    headers: { 'access-control-allow-origin': emulator.origins.portal, 'x-ms-request-id': '"><i>id</i>' },
    contentType: 'application/json',
    body: JSON.stringify({ error: { code: '<u>Code</u>', message: HOSTILE } }),
  }));
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/build-s2`);
  const alert = page.getByRole('alert');
  await assert.doesNotReject(alert.getByText(HOSTILE, { exact: true }).waitFor());
  await assert.doesNotReject(alert.getByText('<u>Code</u>', { exact: true }).waitFor());
  assert.equal(await alert.locator('u, i').count(), 0);
  await assertInert(page, problems);
  await screenshot(page, 'hostile-error');
});

test('a missing pool whose 404 carries markup in its code and request id shows them as text', async () => {
  const { page, problems } = await freshPage(browser);
  await page.route('**/agentPools/build-s2?api-version=*', (route) => route.fulfill({
    status: 404,
    headers: {
      'access-control-allow-origin': emulator.origins.portal, 'access-control-expose-headers': 'x-ms-request-id', 'x-ms-request-id': '"><i>id</i>',
    },
    contentType: 'application/json',
    body: JSON.stringify({ error: { code: '<u>Code</u>', message: HOSTILE } }),
  }));
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/build-s2`);
  const missing = page.locator('section.missing');
  await missing.getByText('Azure answered <u>Code</u> (404) · request id "><i>id</i>.', { exact: true }).waitFor();
  assert.equal(await missing.locator('u, i').count(), 0);
  await assertInert(page, problems);
});

test('a run log full of markup is shown as text', async () => {
  const { page, problems } = await freshPage(browser);
  // The log storage is another origin; rewrite what it returns, keeping its CORS headers.
  await page.route(`${emulator.origins.blob}/**`, async (route) => {
    const response = await route.fetch();
    if (response.status() >= 300) return route.fulfill({ response });
    await route.fulfill({ response, body: `${HOSTILE}\n${await response.text()}` });
  });
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/runs/ca1`);
  const log = page.getByLabel('Run log');
  await log.waitFor();
  await page.waitForFunction((h) => [...document.querySelectorAll('.log-line .lt')].map((e) => e.textContent).join('\n').startsWith(h), HOSTILE);
  assert.equal(await log.locator('img, script, b').count(), 0);
  await assertInert(page, problems);
  await screenshot(page, 'hostile-log');
});

test('a pool whose tags, pause record and task are hostile shows them as text', async () => {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/odd-s1`);
  const tags = page.getByRole('table', { name: 'Tags' });
  await tags.waitFor();
  await assert.doesNotReject(tags.getByRole('cell', { name: SEEDED.markup, exact: true }).first().waitFor());
  await assert.doesNotReject(tags.getByRole('rowheader', { name: SEEDED.script, exact: true }).waitFor());
  await assert.doesNotReject(tags.getByRole('cell', { name: SEEDED.jsUrl, exact: true }).waitFor());
  await assert.doesNotReject(page.getByText(`Paused by ${SEEDED.markup}`, { exact: true }).waitFor());
  // The status strip says it too, as text.
  const said = await page.getByRole('region', { name: 'Status' }).locator('.status-paused').getAttribute('title');
  assert.ok(said.startsWith(`Paused by ${SEEDED.markup}`), said);
  // Tasks are on the pool's Runs tab.
  await page.getByRole('navigation', { name: 'Agent pool views' }).getByRole('link', { name: 'Runs' }).click();
  const task = page.locator('li.task', { hasText: 'oddtask' });
  await task.waitFor();
  assert.ok((await task.innerText()).includes(`docker build -f ${SEEDED.markup} ${SEEDED.jsUrl}`), 'the step as text');
  await assertInert(page, problems);
  await screenshot(page, 'hostile-pool');
});

test('an Activity Log event whose caller, error code and message are hostile shows them as text', async () => {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/odd-s1/activity`);
  await page.locator('.activity-status', { hasText: ' as of ' }).waitFor();
  const row = page.locator('table.activity tbody tr', { hasText: 'Failed' });
  await assert.doesNotReject(row.getByText(SEEDED.markup, { exact: true }).first().waitFor());
  await assert.doesNotReject(row.getByText(`${SEEDED.script}@contoso.test`, { exact: true }).waitFor());
  await assert.doesNotReject(row.locator('code', { hasText: SEEDED.markup }).waitFor());
  const message = await row.locator('.error-message').textContent();
  assert.ok(message.startsWith(`${SEEDED.script} red bold`), message);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(message), 'no escape or control character reaches the page');
  assert.equal(await row.locator('a').count(), 0, 'nothing in an event becomes a link');
  await assertInert(page, problems);
  await screenshot(page, 'hostile-activity');
});

test('a run whose log holds markup, javascript: URLs and ANSI escapes shows plain text', async () => {
  const runs = await emulator.armList(`${CONTOSO_BUILDS}/runs?${API}&$filter=${encodeURIComponent("agentPoolName eq 'odd-s1'")}`);
  assert.equal(runs.length, 1);
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/runs/${runs[0].properties.runId}`);
  await page.waitForFunction(() => / failed after/.test([...document.querySelectorAll('.log-line .lt')].map((e) => e.textContent).join('\n')));
  const log = await page.evaluate(() => [...document.querySelectorAll('.log-line .lt')].map((e) => e.textContent).join('\n'));
  for (const part of [SEEDED.jsUrl, SEEDED.markup, SEEDED.script, 'red bold']) assert.ok(log.includes(part), `log shows ${part}`);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(log), 'no escape or control character reaches the page');
  assert.equal(await page.locator('.log-line .lt *').count(), 0, 'each line is one text node');
  await assertInert(page, problems);
  await screenshot(page, 'hostile-run');
});

test('a log link that is not https is neither followed nor linked', async () => {
  const { page, problems } = await freshPage(browser);
  await page.route('**/listLogSasUrl?*', (route) => route.fulfill({
    headers: { 'access-control-allow-origin': emulator.origins.portal }, json: { logLink: SEEDED.jsUrl },
  }));
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/runs/ca1`);
  await assert.doesNotReject(page.getByRole('alert').getByText('the log link is not an https URL', { exact: false }).waitFor());
  await assertInert(page, problems);
});
