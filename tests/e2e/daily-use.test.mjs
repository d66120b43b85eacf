// Journeys of issue 20, a portal people use every day: one status everywhere, the pool page in
// order with its Runs tab, operations in one voice (the tray, "→ n (applying)", create lands on
// the pool, delete leaves a word), modal confirms with the impact in numbers, the create form that
// names what to fix, one way of writing time, names over ids, one read-only notice, errors that
// lead somewhere, find anything (Ctrl-K, "/", "?", recent pools, the run's pool in its
// breadcrumbs), run logs with lines, and 360 px.
import { test, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startEmulator, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot, fitsWidth } from './support/browser.mjs';
import { blockingViolations } from './support/axe.mjs';

const API = 'api-version=2025-03-01-preview';
const RUNS_API = 'api-version=2019-06-01-preview';
const POOL = `${CONTOSO_BUILDS}/agentPools/build-s2`;
let emulator, browser;
// Time runs 20× faster: a 20 s pool operation takes a second.
before(async () => { emulator = await startEmulator(['--speed', '20']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);
beforeEach(async () => { await emulator.reset(); await emulator.setFaults({}); });

async function on(path, user = 'Olivia Owner', size) {
  const { page, problems } = await freshPage(browser, size);
  await signIn(page, emulator, user);
  await page.goto(`${emulator.origins.portal}${path}`);
  return { page, problems };
}

/** The runs ARM holds for a pool, by status. */
async function runsOf(pool) {
  const runs = await emulator.armList(`${CONTOSO_BUILDS}/runs?${RUNS_API}&$filter=${encodeURIComponent(`AgentPoolName eq '${pool}'`)}`);
  const count = (s) => runs.filter((r) => s.includes(r.properties.status)).length;
  return { runs, queued: count(['Queued']), running: count(['Started', 'Running']) };
}

const registryRow = (page, name) => page.locator('table[aria-label="Agent pools"] tbody tr', { has: page.getByRole('link', { name, exact: true }) });

test('one status everywhere: the registry list, the fleet (its filter and CSV) and the pool say Running, Waiting, Idle and Paused', async () => {
  // The clock stands still while the page and the test read the same runs.
  await emulator.setClock({ speed: 0 });
  const { page } = await on(CONTOSO_BUILDS);
  const nightly = await runsOf('nightly-s1');
  const build = await runsOf('build-s2');
  assert.ok(nightly.queued > 0 && build.running > 0, 'the demo has a waiting pool and a busy one');
  await registryRow(page, 'nightly-s1').locator('.status-waiting', { hasText: `Waiting (${nightly.queued} queued)` }).waitFor();
  await registryRow(page, 'build-s2').locator('.status-running', { hasText: `Running (${build.running})` }).waitFor();
  await registryRow(page, 'vnet-s3').locator('.status-idle', { hasText: 'Idle' }).waitFor();
  // The fleet: the same words, a filter by them, and the CSV with status and provisioning state.
  await page.goto(`${emulator.origins.portal}/pools?status=Waiting`);
  const fleetRows = page.locator('table.fleet tbody tr');
  await fleetRows.first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table.fleet tbody tr').length === 1);
  assert.match(await fleetRows.first().innerText(), /nightly-s1[\s\S]*Waiting \(\d+ queued\)/);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const csv = await readFile(await (await download).path(), 'utf8');
  assert.match(csv, /,Status,Provisioning state,/);
  assert.match(csv, /nightly-s1,S1,0,0,Waiting \(\d+ queued\),Succeeded,/);
  // The pool's status strip leads its page.
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/nightly-s1`);
  const strip = page.getByRole('region', { name: 'Status' });
  await strip.locator('.status-waiting').waitFor();
  assert.match(await strip.innerText(), /S1 × 0[\s\S]*0 vCPU[\s\S]*queued · oldest waiting/);
  await strip.getByText('no run can start until the pool is scaled up').waitFor();
  // Paused: build-s2 paused from its page is Paused in the list and the fleet, not Succeeded.
  await emulator.setClock({ speed: 20 });
  await page.goto(`${emulator.origins.portal}${POOL}`);
  await page.getByRole('button', { name: 'Pause…' }).click();
  await page.locator('#pause-reason').fill('Holiday freeze');
  await page.getByRole('button', { name: 'Pause pool' }).click();
  await page.getByText('Pause (2 → 0): Succeeded.').waitFor({ timeout: 20000 });
  await page.getByRole('region', { name: 'Status' }).locator('.status-paused', { hasText: 'Paused' }).waitFor();
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  await registryRow(page, 'build-s2').locator('.status-paused', { hasText: 'Paused' }).waitFor();
  await page.goto(`${emulator.origins.portal}/pools?status=Paused`);
  await page.locator('table.fleet tbody tr', { hasText: 'build-s2' }).locator('.status-paused').waitFor();
});

test('the pool page in order: status, scale, queue, details, danger zone; the queue names runs and the Runs tab lists them all', async () => {
  const { page } = await on(POOL);
  await page.locator('section.live-queue ul.runs li').first().waitFor();
  await page.locator('.danger-zone').waitFor();
  const top = async (sel) => (await page.locator(sel).first().boundingBox()).y;
  const order = [await top('.status-strip'), await top('section.scale'), await top('section.live-queue'), await top('dl.pool-facts'), await top('.danger-zone')];
  assert.deepEqual([...order].sort((a, b) => a - b), order, `top to bottom: ${order}`);
  // The queue names what each run builds, and when the recent ones ended.
  const recent = page.getByRole('region', { name: 'Recent runs' });
  assert.match(await recent.innerText(), /web:build-\d[\s\S]*ended \d+ (min|h) ago/);
  // The sparklines start with a history, not an empty box.
  const points = await page.locator('polyline.spark-line').first().getAttribute('points');
  assert.ok(points.trim().split(/\s+/).length >= 10, points);
  // Runs tab: every run, 25 at a time, with task or image, trigger and times.
  await page.getByRole('navigation', { name: 'Agent pool views' }).getByRole('link', { name: 'Runs' }).click();
  await page.waitForURL(`**${POOL}/runs`);
  const table = page.getByRole('table', { name: 'Runs' });
  await table.locator('tbody tr').first().waitFor();
  const { runs } = await runsOf('build-s2');
  assert.equal(await table.locator('tbody tr').count(), Math.min(25, runs.length));
  const first = await table.locator('tbody tr').first().innerText();
  const newest = runs.sort((a, b) => b.properties.createTime.localeCompare(a.properties.createTime))[0];
  assert.equal(await table.locator('tbody tr th').first().innerText(), newest.properties.runId);
  assert.match(first, /Manual/);
  assert.ok(runs.length > 25, 'the demo pool has more runs than one screen');
  await page.getByRole('button', { name: 'Show older runs' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('table[aria-label="Runs"] tbody tr').length === n, Math.min(50, runs.length));
  // The quick build lives here now, and its run shows in the list.
  await page.getByRole('button', { name: 'Queue build' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('table[aria-label="Runs"] tbody tr').length > 0
    && !document.querySelector('table[aria-label="Runs"] tbody tr th').textContent.startsWith(n), newest.properties.runId, { timeout: 20000 });
});

test('the Runs tab follows nextLink page by page, and runs queued between two pages are neither repeated nor lost', async () => {
  // ARM's lists in pages of 10: 25 runs on screen take three pages, 50 take five.
  const small = await startEmulator(['--page-size', '10']);
  try {
    await small.setClock({ speed: 0 });
    const { page } = await freshPage(browser);
    await signIn(page, small, 'Olivia Owner');
    await page.goto(`${small.origins.portal}${POOL}/runs`);
    const ids = () => page.locator('table[aria-label="Runs"] tbody tr th').allInnerTexts();
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Runs"] tbody tr').length === 25);
    // Two runs queued now push every older run two places down the service's pages.
    for (let i = 0; i < 2; i++) {
      const { status } = await small.armSend('POST', `${CONTOSO_BUILDS}/scheduleRun?${RUNS_API}`, {
        type: 'DockerBuildRequest', sourceLocation: 'https://github.com/Azure-Samples/acr-build-helloworld-node.git', dockerFilePath: 'Dockerfile',
        imageNames: ['x:{{.Run.ID}}'], isPushEnabled: true, platform: { os: 'Linux' }, agentPoolName: 'build-s2',
      });
      assert.equal(status, 200);
    }
    await page.getByRole('button', { name: 'Show older runs' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Runs"] tbody tr').length >= 50);
    const shown = await ids();
    assert.equal(new Set(shown).size, shown.length, 'no run twice');
    const all = (await small.armList(`${CONTOSO_BUILDS}/runs?${RUNS_API}&$filter=${encodeURIComponent("AgentPoolName eq 'build-s2'")}`)).map((r) => r.properties.runId);
    // What was on screen, then the older runs in the service's order, none skipped.
    const older = all.slice(all.indexOf(shown[24]) + 1);
    assert.deepEqual(shown.slice(25), older.slice(0, shown.length - 25));
    const requests = (await small.requests()).filter((e) => e.listener === 'arm' && e.method === 'GET' && /\/runs\?/.test(e.path) && /skipToken|%24skipToken/.test(e.path));
    assert.ok(requests.length >= 4, `nextLink followed (${requests.length} pages after the first)`);
  } finally {
    await small.stop();
  }
});

test('operations speak with one voice: the scale says where it goes, the tray lists it with links, create lands on the new pool, delete leaves a word', async () => {
  const { page } = await on(POOL);
  await page.locator('#scale-count').fill('3');
  await emulator.setClock({ speed: 0 });
  await page.getByRole('button', { name: 'Scale to 3' }).click();
  await page.locator('.scale-summary', { hasText: 'Instances → 3 (applying)' }).waitFor();
  await page.getByRole('region', { name: 'Status' }).locator('.status-updating', { hasText: 'Updating (scale 2 → 3)' }).waitFor();
  // The tray: the operation in progress, its pool and its Activity row.
  const tray = page.locator('details.tray');
  await tray.locator('summary .tray-count', { hasText: '1' }).waitFor();
  await tray.locator('summary').click();
  const item = tray.locator('li', { hasText: 'Scale 2 → 3' });
  await item.getByText('in progress…').waitFor();
  assert.equal(await item.getByRole('link', { name: 'Pool' }).getAttribute('href'), POOL);
  assert.match(await item.getByRole('link', { name: 'Activity' }).getAttribute('href'), new RegExp(`^${POOL}/activity\\?op=`));
  await emulator.setClock({ speed: 20 });
  await item.getByText('succeeded').waitFor({ timeout: 20000 });
  await tray.locator('summary').click();
  // A create that is accepted opens the new pool's page, where its progress shows.
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/createAgentPool`);
  await page.locator('#pool-subnet[aria-describedby]').waitFor();
  await page.locator('#pool-name').fill('burst-s1');
  await page.getByRole('button', { name: 'Create agent pool' }).click();
  await page.waitForURL(`**${CONTOSO_BUILDS}/agentPools/burst-s1`);
  await page.getByText('Create burst-s1 (S1 × 1): Succeeded.').waitFor({ timeout: 20000 });
  // A delete returns to the registry, which says it happened.
  await page.getByRole('button', { name: 'Delete pool…' }).click();
  await page.locator('#delete-confirm').fill('burst-s1');
  await page.getByRole('button', { name: 'Delete burst-s1' }).click();
  await page.waitForURL(`${emulator.origins.portal}${CONTOSO_BUILDS}`, { timeout: 20000 });
  await page.getByRole('status').filter({ hasText: 'Agent pool burst-s1 was deleted.' }).getByRole('link', { name: 'See it in the activity log' }).waitFor();
});

test('asked for in the tray, an operation that ends while the tab is hidden is told by a browser notification', async () => {
  const { page } = await freshPage(browser);
  // The browser's Notification, recorded (headless Chromium shows none): granted, as after a "yes".
  await page.addInitScript(() => {
    window.notes = [];
    function Recorded(title, options) { window.notes.push(`${title} | ${options?.body}`); return {}; }
    Recorded.permission = 'granted';
    Recorded.requestPermission = async () => 'granted';
    window.Notification = Recorded;
  });
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${POOL}`);
  await page.locator('details.tray summary').click();
  await page.getByLabel('Notify me when one ends while this tab is in the background').check();
  assert.equal(await page.evaluate(() => localStorage.getItem('poolportal.notifyOperations')), 'on');
  await page.locator('details.tray summary').click();
  await emulator.setClock({ speed: 0 });
  await page.locator('#scale-count').fill('1');
  await page.getByRole('button', { name: 'Scale to 1' }).click();
  await page.getByText('Scale 2 → 1: Updating…', { exact: false }).waitFor();
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await emulator.setClock({ speed: 20 });
  await page.waitForFunction(() => window.notes.length > 0, null, { timeout: 20000 });
  assert.deepEqual(await page.evaluate(() => window.notes), ['Pool Portal | Scale 2 → 1: succeeded']);
});

test('destructive confirms are modal dialogs with the impact in numbers; Escape cancels and gives the focus back', async () => {
  await emulator.setClock({ speed: 0 });
  const { page } = await on(POOL);
  await page.locator('section.live-queue ul.runs li').first().waitFor();
  const { queued, running } = await runsOf('build-s2');
  assert.ok(queued > 0 && running > 0, 'the demo pool has runs waiting and running');
  const opener = page.getByRole('button', { name: 'Delete pool…' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Delete build-s2?' });
  await dialog.waitFor();
  assert.ok(await dialog.evaluate((d) => d.matches(':modal')), 'the page behind is inert');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'delete-confirm', 'the name field has the focus');
  const impact = await dialog.locator('.impact').innerText();
  assert.match(impact, new RegExp(`${queued} queued runs? will fail without starting`));
  assert.match(impact, new RegExp(`${running} running runs? may be cut short`));
  const confirm = dialog.getByRole('button', { name: 'Delete build-s2' });
  assert.ok(await confirm.isDisabled(), 'until the name is typed');
  assert.match(await confirm.getAttribute('class'), /\bsolid\b/, 'the confirm is the solid red one');
  assert.doesNotMatch(await opener.getAttribute('class'), /\bsolid\b/);
  assert.deepEqual(await blockingViolations(page, 'delete dialog'), []);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Delete pool…');
  // Pause says the queue waits for the resume.
  await page.getByRole('button', { name: 'Pause…' }).click();
  const pause = page.getByRole('dialog', { name: 'Pause build-s2?' });
  assert.match(await pause.locator('.impact').innerText(), /^Scales the pool from 2 instances to 0\./);
  assert.match(await pause.locator('.impact').innerText(), new RegExp(`${queued} queued runs? will wait until it is resumed`));
  await pause.getByRole('button', { name: 'Cancel' }).click();
  await pause.waitFor({ state: 'hidden' });
});

test('the create form speaks once: the name is a pre-flight row, the hint names the first field to fix and Create takes the focus there, an NSG deny is a red failure with its own override', async () => {
  const { page } = await on(`${CONTOSO_BUILDS}/createAgentPool`);
  await page.locator('#pool-subnet[aria-describedby]').waitFor();
  const row = (t) => page.locator('ul.preflight li', { hasText: t });
  await row('Name').locator('.check-detail', { hasText: 'Type a name for the pool.' }).waitFor();
  await page.locator('#pool-name').fill('x_');
  await row('Name').and(page.locator('.check-fail')).waitFor();
  await page.locator('#submit-why', { hasText: 'First fix Name: Use 3 to 20 characters (now 2).' }).waitFor();
  await page.locator('#pool-count').focus();
  await page.getByRole('button', { name: 'Create agent pool' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pool-name', 'Create sends the focus to the name');
  await page.locator('#pool-name').fill('locked-s1');
  await row('Name').locator('.check-detail', { hasText: 'locked-s1 is free in this registry.' }).waitFor();
  await page.locator('#pool-subnet').fill('vnet-builds/snet-locked');
  const nsg = row('Network security group');
  await nsg.and(page.locator('.check-fail')).filter({ hasText: 'the pool would end Failed' }).waitFor();
  await page.getByText('Create anyway: I understand the pool will end Failed unless the network security group\'s rules change before it is provisioned.').waitFor();
  await page.locator('#submit-why', { hasText: /^First fix Network security group: / }).waitFor();
});

test('one way of writing time: no ISO stamp or ambiguous date on any page, the zone on hover, Local or UTC kept per browser', async () => {
  // A browser in Stockholm: local time is UTC+1 in December.
  const { page } = await on(POOL, 'Olivia Owner', { timezoneId: 'Europe/Stockholm' });
  const pages = [POOL, `${POOL}/runs`, `${POOL}/insights`, `${POOL}/activity`, `${CONTOSO_BUILDS}`, `${CONTOSO_BUILDS}/activity`, '/pools', `${CONTOSO_BUILDS}/runs/ca1`, '/'];
  const ready = ['section.live-queue ul.runs li', 'table[aria-label="Runs"] tbody tr', 'table.advice', 'table.activity tbody tr', 'table[aria-label="Agent pools"]', 'table.activity tbody tr', 'table.fleet tbody tr', '.log-line', 'table[aria-label="Subscriptions"]'];
  for (const [i, path] of pages.entries()) {
    await page.goto(`${emulator.origins.portal}${path}`);
    await page.locator(ready[i]).first().waitFor();
    // The log is the service's own text (with its own stamps); everything else is ours.
    const ours = await page.evaluate(() => {
      const main = document.querySelector('main').cloneNode(true);
      main.querySelectorAll('.log-text').forEach((l) => l.remove());
      document.body.appendChild(main);
      const text = main.innerText;
      main.remove();
      return text;
    });
    assert.doesNotMatch(ours, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, `an ISO stamp on ${path}`);
    assert.doesNotMatch(ours, /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/, `an ambiguous date on ${path}`);
  }
  // Every <time> says its absolute time and zone on hover.
  await page.goto(`${emulator.origins.portal}${POOL}/runs`);
  const stamp = page.locator('table[aria-label="Runs"] time').first();
  await stamp.waitFor();
  assert.match(await stamp.getAttribute('title'), /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2} UTC\+1$/, 'local, with its zone');
  // UTC or local, chosen in the account menu, kept after a reload.
  await page.locator('details.account summary').click();
  await page.getByRole('radio', { name: 'Local time (UTC+1)' }).waitFor();
  await page.getByRole('radio', { name: 'UTC', exact: true }).check();
  await page.locator('details.account summary').click();
  assert.match(await stamp.getAttribute('title'), / UTC$/);
  await page.reload();
  await page.locator('table[aria-label="Runs"] time').first().waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('poolportal.timeZone')), 'utc');
  assert.match(await page.locator('table[aria-label="Runs"] time').first().getAttribute('title'), / UTC$/);
});

test('names over ids: an application is "App 5e4d…", its whole id on hover and to copy; no API names on the page', async () => {
  const { page } = await on(POOL);
  const app = page.locator('p.last-changed .app-id').first();
  await app.waitFor();
  assert.match(await app.innerText(), /^App [0-9a-f]{4}…$/);
  assert.match(await app.getAttribute('title'), /^[0-9a-f-]{36}$/);
  await page.locator('p.last-changed').getByRole('button', { name: /^Copy id of App/ }).waitFor();
  await page.locator('section.live-queue ul.runs li').first().waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /listQueueStatus|provisioningState|scheduleRun/);
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  await page.getByRole('button', { name: 'Pin to Home' }).click();
  await page.goto(`${emulator.origins.portal}/`);
  await page.getByText('Pinned registry:').getByRole('link', { name: 'contosobuilds' }).waitFor();
});

test('a reader gets one notice, with their role, the one needed and whom to ask, and no forms they cannot send', async () => {
  const { page } = await on(POOL, 'Rhea Reader');
  const notice = page.locator('.read-only');
  await notice.waitFor();
  assert.match(await notice.innerText(), /^Read-only: you have the Reader role on contosobuilds\. .*Contributor or Owner.*Ask an Owner of contosobuilds/);
  assert.equal(await page.locator('.read-only').count(), 1);
  assert.ok(!(await page.locator('#scale-count').isVisible()), 'no scale form');
  assert.ok(!(await page.locator('.danger-zone').isVisible()), 'no danger zone');
  assert.equal(await page.getByText('Needs the Contributor or Owner role').filter({ visible: true }).count(), 0, 'said once, at the top');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/createAgentPool`);
  const first = page.locator('main .read-only');
  await first.waitFor();
  const [noticeY, nameY] = [(await first.boundingBox()).y, (await page.locator('#pool-name').boundingBox()).y];
  assert.ok(noticeY < nameY, 'the create page says so before the form');
  await page.goto(`${emulator.origins.portal}${POOL}/runs`);
  await page.locator('.read-only').waitFor();
  await page.getByRole('table', { name: 'Runs' }).locator('tbody tr').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Queue build' }).count(), 0);
});

test('errors lead somewhere: a missing pool lists its registry\'s pools and Activity with no tabs, a missing run says so once, an empty fleet filter clears', async () => {
  const { page } = await on(`${CONTOSO_BUILDS}/agentPools/gone-s1`);
  await page.getByRole('heading', { name: "No agent pool 'gone-s1' in contosobuilds" }).waitFor();
  await page.getByRole('link', { name: "See contosobuilds's Activity" }).waitFor();
  await page.locator('.missing').getByRole('link', { name: 'nightly-s1' }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Agent pool views' }).count(), 0);
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/runs/zz99`);
  await page.getByRole('heading', { name: "No run 'zz99' in contosobuilds" }).waitFor();
  assert.equal(await page.getByText(/ResourceNotFound|RunNotFound|NotFound/).count(), 1, 'the service\'s word once, in small print');
  assert.equal(await page.getByText(/Following the log/).count(), 0);
  await page.getByRole('link', { name: 'Back to contosobuilds' }).waitFor();
  await page.goto(`${emulator.origins.portal}/pools?status=Deleting&tier=S3`);
  await page.getByText('No agent pool matches these filters.').waitFor();
  const widths = await page.locator('form.filters select').evaluateAll((s) => s.map((x) => x.getBoundingClientRect().width));
  assert.equal(new Set(widths).size, 1, `the selects keep one width: ${widths}`);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.locator('table.fleet tbody tr').first().waitFor();
  assert.equal(new URL(page.url()).search, '');
});

test('find anything: Ctrl-K and "/" open the switcher, the keyboard picks a pool; "?" lists the shortcuts; Home lists recent pools; a run names its pool', async () => {
  const { page } = await on(CONTOSO_BUILDS);
  await page.locator('table[aria-label="Agent pools"]').waitFor();
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Go to' });
  await dialog.waitFor();
  await page.keyboard.type('night');
  await dialog.getByRole('option', { name: /nightly-s1/ }).waitFor();
  await page.keyboard.press('Enter');
  await page.waitForURL(`**${CONTOSO_BUILDS}/agentPools/nightly-s1`);
  await page.locator('body').press('/');
  await dialog.waitFor();
  await page.keyboard.type('fabrikam');
  await dialog.getByRole('option', { name: /fabrikamresearch/ }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('body').press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByText('Go to a subscription, registry or pool by name').waitFor();
  await page.keyboard.press('Escape');
  await page.goto(`${emulator.origins.portal}/`);
  await page.getByRole('region', { name: 'Recent pools' }).getByRole('link', { name: 'nightly-s1' }).waitFor();
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/runs/ca1`);
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'build-s2' }).waitFor();
});

test('run logs have numbered lines with links, find, marked errors and a download', async () => {
  const { page } = await on(`${CONTOSO_BUILDS}/runs/ca2#L2`);
  const log = page.getByRole('region', { name: 'Run log' });
  await log.locator('.log-line').first().waitFor();
  await page.waitForFunction(() => document.querySelector('.log-line.targeted')?.id === 'L2');
  assert.equal(await log.locator('#L2 a.ln').getAttribute('href'), '#L2');
  const errors = await log.locator('.log-line.error').count();
  assert.ok(errors > 0, 'the failed run has error lines marked');
  await page.getByRole('button', { name: new RegExp(`^${errors} error lines?$`) }).waitFor();
  await page.locator('#log-find').fill('step');
  const matches = await log.locator('.log-line.match').count();
  assert.ok(matches > 0);
  await page.getByRole('status').filter({ hasText: `1 of ${matches}` }).waitFor();
  await page.locator('#log-find').press('Enter');
  await page.getByRole('status').filter({ hasText: `2 of ${matches}` }).waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download' }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), 'run-ca2.log');
  const text = await readFile(await file.path(), 'utf8');
  assert.equal(text.replace(/\r?\n$/, '').split(/\r?\n/).length, await log.locator('.log-line').count());
});

test('at 360 px: activity cards keep their result, the window choice keeps its labels whole, fleet cards lead with the pool', async () => {
  const { page } = await on(`${CONTOSO_BUILDS}/activity?window=30d`, 'Olivia Owner', { width: 360, height: 800 });
  const card = page.locator('table.activity tbody tr').first();
  await card.waitFor();
  const result = card.locator('td[data-label="Result"]');
  const box = await result.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `the result is on screen: ${JSON.stringify(box)}`);
  const labels = await page.locator('.window-choice label').evaluateAll((ls) => ls.map((l) => l.getClientRects().length === 1 && l.getBoundingClientRect().height < 30));
  assert.ok(labels.every(Boolean), 'no label wraps');
  assert.ok(await fitsWidth(page));
  await page.goto(`${emulator.origins.portal}/pools`);
  const fleetCard = page.locator('table.fleet tbody tr').first();
  await fleetCard.waitFor();
  const [poolY, subY] = [(await fleetCard.locator('th').boundingBox()).y, (await fleetCard.locator('td[data-label="Subscription"]').boundingBox()).y];
  assert.ok(poolY < subY, 'the pool name comes first');
  await page.goto(`${emulator.origins.portal}${POOL}`);
  await page.locator('.danger-zone').waitFor();
  assert.ok(await fitsWidth(page), 'the pool page and its four tabs fit');
  await screenshot(page, 'daily-pool-360');
});
