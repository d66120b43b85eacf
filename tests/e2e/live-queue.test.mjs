// Journeys of issue 5: the live queue of a pool, work scheduled on it, run logs, and refreshing
// without waste (hidden tabs, throttling).
import { test, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot, fitsWidth } from './support/browser.mjs';

const API = 'api-version=2019-06-01-preview';
let emulator, browser;
// Time runs 20× faster: pool operations take a second, runs (45 s) about two.
before(async () => { emulator = await startEmulator(['--speed', '20']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);
beforeEach(async () => { await emulator.reset(); await emulator.setFaults({}); });

/** A fresh S1 pool of `count` instances, created through ARM, and its page's path. */
async function freshPool(name, count) {
  const path = `${CONTOSO_BUILDS}/agentPools/${name}`;
  const r = await emulator.armSend('PUT', `${path}?${API}`, { location: 'eastus', properties: { tier: 'S1', count, os: 'Linux' } });
  assert.equal(r.status, 201);
  for (let i = 0; i < 100; i++) {
    const p = await emulator.arm(`${path}?${API}`);
    if (p.properties.provisioningState === 'Succeeded') return path;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${name} did not finish creating`);
}

async function open(path, user = 'Olivia Owner') {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, user);
  await page.goto(`${emulator.origins.portal}${path}`);
  await page.getByRole('heading', { name: 'Queue', exact: true }).waitFor();
  return { page, problems };
}

const why = (page) => page.locator('.live-queue p.why');

/** A pool's Runs tab, where runs are started (issue 20). */
async function openRuns(path, user = 'Olivia Owner') {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, user);
  await page.goto(`${emulator.origins.portal}${path}/runs`);
  await page.getByRole('heading', { name: 'Runs on this pool' }).waitFor();
  return { page, problems };
}

/** A quick build on a pool, as the portal's form sends it. */
async function queueBuild(pool) {
  const { status } = await emulator.armSend('POST', `${CONTOSO_BUILDS}/scheduleRun?${API}`, {
    type: 'DockerBuildRequest', sourceLocation: 'https://github.com/Azure-Samples/acr-build-helloworld-node.git', dockerFilePath: 'Dockerfile',
    imageNames: ['helloworld:{{.Run.ID}}'], isPushEnabled: true, platform: { os: 'Linux' }, agentPoolName: pool,
  });
  assert.equal(status, 200);
}

test('three runs on a pool of 0 wait, "3 queued, 0 instances"; scaling to 2 drains the queue live', async () => {
  const path = await freshPool('queue-s1', 0);
  const { page: empty } = await open(path);
  await why(empty).filter({ hasText: '0 queued, 0 instances: nothing waits.' }).waitFor();
  // Runs are started on the Runs tab (or by anyone, anywhere): three, then the pool's page.
  for (let i = 1; i <= 3; i++) await queueBuild('queue-s1');
  const { page, problems } = await open(path);
  await why(page).filter({ hasText: '3 queued, 0 instances: scale up or resume to run them.' }).waitFor();
  // The count and the list come from two requests of one refresh; a refresh that overlapped the
  // third POST may have one without the other: wait for the list itself to say three.
  await page.locator('section[aria-label="Queued runs"] h3', { hasText: 'Queued (3)' }).waitFor();
  const queued = page.locator('section[aria-label="Queued runs"] li');
  assert.equal(await queued.count(), 3);
  assert.match(await queued.first().innerText(), /^#1\s+ca\d+\s+quick build\s+waiting \d+/, "position, run, what it builds, its wait");
  // Ages run on the service's clock (20× here): a refresh later the oldest has visibly waited.
  await queued.first().filter({ hasText: /waiting (\d+ min|[1-9]\d* s)/ }).waitFor({ timeout: 15000 });
  await screenshot(page, 'queue-waiting');
  await page.evaluate(() => { window.notReloaded = true; });

  await page.locator('#scale-count').fill('2');
  await page.getByRole('button', { name: 'Scale to 2' }).click();
  await why(page).filter({ hasText: /^0 queued, 2 instances/ }).waitFor({ timeout: 40000 });
  await page.locator('section[aria-label="Recent runs"] li').nth(2).waitFor({ timeout: 40000 });
  assert.ok(await page.evaluate(() => window.notReloaded), 'the page updated itself, no reload');
  const samples = await page.locator('.spark polyline').first().getAttribute('points');
  assert.ok(samples.split(' ').length >= 3, 'the sparkline has a history');
  await screenshot(page, 'queue-drained');
  assert.deepEqual(problems, []);
});

test('a quick run carries agentPoolName; a task run carries none and still lands on the pool', async () => {
  const path = await freshPool('work-s1', 0);
  const { page } = await openRuns(path);
  const bodies = [];
  page.on('request', (r) => { if (r.url().includes('/scheduleRun')) bodies.push(JSON.parse(r.postData())); });
  await page.getByRole('button', { name: 'Queue build' }).click();
  await page.locator('.work .op-succeeded', { hasText: 'Queued run ca' }).waitFor();
  await page.locator('#task-name').fill('work-task');
  await assert.doesNotReject(page.locator('.new-task code', { hasText: 'az acr task create -r contosobuilds -n work-task --agent-pool work-s1' }).waitFor());
  await page.getByRole('button', { name: 'Create task' }).click();
  await page.getByRole('button', { name: 'Run task work-task' }).click();
  // Both runs are in the pool's list (the page reads it again after each).
  await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Runs"] tbody tr').length === 2);
  assert.equal(bodies.length, 2);
  assert.equal(bodies[0].type, 'DockerBuildRequest');
  assert.equal(bodies[0].agentPoolName, 'work-s1');
  assert.equal(bodies[1].type, 'TaskRunRequest');
  assert.match(bodies[1].taskId, /\/registries\/contosobuilds\/tasks\/work-task$/, 'the task’s resource id');
  assert.ok(!('agentPoolName' in bodies[1]), 'a task run names no pool');
  const runs = await emulator.armList(`${CONTOSO_BUILDS}/runs?${API}&$filter=${encodeURIComponent("AgentPoolName eq 'work-s1'")}`);
  assert.equal(runs.length, 2);
  assert.ok(runs.some((r) => r.properties.task === 'work-task'), 'the task run took the task’s pool');
  await screenshot(page, 'work-scheduled');
});

test('the run page tails the log to completion, and the token never goes to the log', async () => {
  const path = await freshPool('log-s1', 1);
  const { page } = await openRuns(path);
  const logRequests = [];
  page.on('request', (r) => { if (r.url().startsWith(emulator.origins.blob)) logRequests.push(r.headers()); });
  await page.getByRole('button', { name: 'Queue build' }).click();
  await page.locator('.work .op-succeeded a').click();
  await page.getByRole('heading', { name: /^Run ca\d+$/ }).waitFor();
  const log = page.getByRole('region', { name: 'Run log' });
  await log.filter({ hasText: 'Step 1/5' }).waitFor({ timeout: 30000 });
  await log.filter({ hasText: /was successful after \d+s/ }).waitFor({ timeout: 30000 });
  await page.getByText('Complete', { exact: true }).waitFor();
  await page.locator('dl.pool-facts .state-succeeded').waitFor();
  assert.ok(logRequests.length >= 2, 'the log was read more than once (tailed)');
  assert.ok(logRequests.every((h) => !('authorization' in h)), 'no Authorization header to the log origin');
  assert.ok(logRequests.slice(1).some((h) => /^bytes=\d+-$/.test(h.range ?? '')), 'later reads ask only for new bytes');
  const blob = (await emulator.requests()).filter((e) => e.listener === 'blob');
  assert.ok(blob.length >= 2 && blob.every((e) => !e.bearer));
  // What the page pieced together from tails is the log as a single read gives it.
  const runId = (await page.getByRole('heading', { name: /^Run ca\d+$/ }).innerText()).replace('Run ', '');
  const link = (await emulator.armSend('POST', `${CONTOSO_BUILDS}/runs/${runId}/listLogSasUrl?${API}`)).body.logLink;
  const whole = await (await emulator.api.get(link)).text();
  // ACR's logs end lines with CRLF; the page shows the lines (control characters dropped).
  assert.ok(whole.includes('\r\n'));
  assert.equal((await page.evaluate(() => [...document.querySelectorAll('.log-line .lt')].map((e) => e.textContent).join('\n'))).trimEnd(), whole.replaceAll('\r\n', '\n').trimEnd());
  await screenshot(page, 'run-log');
});

test('a hidden tab makes no ARM requests, and refreshes once on return', async () => {
  const { page } = await open(`${CONTOSO_BUILDS}/agentPools/nightly-s1`);
  await page.locator('.live-queue .muted', { hasText: 'Updated' }).waitFor();
  const setVisibility = (state) => page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
  const settled = () => page.locator('.live-queue .muted', { hasText: 'Updated' }).filter({ hasNotText: 'refreshing' }).waitFor();
  const fromPage = (e) => e.listener === 'arm' && e.origin === emulator.origins.portal && e.method !== 'OPTIONS';
  await setVisibility('hidden');
  await settled(); // a refresh already on its way may still land
  let mark = await emulator.mark();
  // Runs are queued here, so a visible page would refresh every 5 s: watch two intervals.
  await page.waitForTimeout(11000);
  assert.deepEqual((await emulator.requests(mark)).filter(fromPage), [], 'nothing while hidden');
  await setVisibility('visible');
  await settled();
  await page.waitForTimeout(1000);
  const back = (await emulator.requests(mark)).filter(fromPage);
  assert.deepEqual(back.map((e) => e.method).sort(), ['GET', 'GET', 'POST'], 'one refresh (queued runs, recent runs, queue count), at once');

  // Paused, a return to the tab asks for nothing.
  await page.getByLabel('Live').first().uncheck();
  await setVisibility('hidden');
  mark = await emulator.mark();
  await setVisibility('visible');
  await page.waitForTimeout(6000);
  assert.deepEqual((await emulator.requests(mark)).filter(fromPage), [], 'paused stays paused');
});

test('a 429 storm backs off, honouring Retry-After, and recovers by itself', async () => {
  const { page } = await open(`${CONTOSO_BUILDS}/agentPools/nightly-s1`);
  await page.locator('.live-queue .muted', { hasText: 'Updated' }).waitFor();
  // Two refreshes' worth of throttling (each refresh lists runs twice), Retry-After 7 s.
  await emulator.setFaults({ throttle: 4, retryAfterSecs: 7, matching: '/runs?' });
  const mark = await emulator.mark();
  await page.locator('.live-queue').getByRole('alert').getByText('TooManyRequests', { exact: true }).waitFor({ timeout: 15000 });
  // No reload, no toggle: the back-off's next refresh succeeds and the error goes.
  await page.locator('.live-queue').getByRole('alert').waitFor({ state: 'detached', timeout: 45000 });
  await why(page).filter({ hasText: '2 queued, 0 instances' }).waitFor();
  const runsLists = (await emulator.requests(mark)).filter((e) => e.path.includes('/runs?') && e.method === 'GET');
  // Refreshes are the runs lists sent within a second of each other.
  const refreshes = [];
  for (const e of runsLists) {
    const last = refreshes[refreshes.length - 1];
    if (last && e.atMs - last.at < 1000) last.statuses.push(e.status); else refreshes.push({ at: e.atMs, statuses: [e.status] });
  }
  assert.deepEqual(refreshes.slice(0, 3).map((r) => r.statuses.every((s) => s === 429)), [true, true, false], JSON.stringify(refreshes));
  const gaps = refreshes.slice(1, 3).map((r, i) => (r.at - refreshes[i].at) / 1000);
  assert.ok(gaps[0] >= 9.5, `first back-off ${gaps[0]} s (≥ 10 s, and ≥ Retry-After 7 s)`);
  assert.ok(gaps[1] >= 19.5, `second back-off ${gaps[1]} s (doubled)`);
  assert.ok(runsLists.filter((e) => e.status === 429).length === 4, 'no retries beyond the paced refreshes');
});

test('a reader sees the queue, counted from the runs list, and cannot queue work', async () => {
  const { page } = await open(`${CONTOSO_BUILDS}/agentPools/nightly-s1`, 'Rhea Reader');
  await page.locator('.queued-count', { hasText: '2 queued (counted from the runs list' }).waitFor();
  await why(page).filter({ hasText: '2 queued, 0 instances' }).waitFor();
  // Until the permissions are read the service decides; once they are, the button is off.
  // Starting runs is on the Runs tab: for a reader, one notice and no form.
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/nightly-s1/runs`);
  await page.locator('.read-only', { hasText: 'Read-only: you have the Reader role on contosobuilds.' }).waitFor();
  await page.getByRole('table', { name: 'Runs' }).locator('tbody tr').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Queue build' }).count(), 0);
});

test('the registry shows every pool’s live queue count', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}`);
  const row = (name) => page.locator('table[aria-label="Agent pools"] tbody tr', { has: page.getByRole('link', { name, exact: true }) });
  await row('nightly-s1').locator('td[data-label="Queued"]', { hasText: '2' }).waitFor();
  await emulator.armSend('POST', `${CONTOSO_BUILDS}/scheduleRun?${API}`, { type: 'DockerBuildRequest', dockerFilePath: 'Dockerfile', platform: { os: 'Linux' }, agentPoolName: 'nightly-s1' });
  await row('nightly-s1').locator('td[data-label="Queued"]', { hasText: '3' }).waitFor({ timeout: 15000 });
  const mark = await emulator.mark();
  await page.waitForTimeout(5500);
  const runsLists = (await emulator.requests(mark)).filter((e) => e.path.includes('/runs?') && e.method === 'GET');
  assert.ok(runsLists.length <= 2, 'one request per refresh for every pool');
  await page.setViewportSize({ width: 360, height: 800 });
  assert.ok(await fitsWidth(page));
  await screenshot(page, 'registry-queues-360');
});

test('a running run can be cancelled from its page too', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/runs/ca3`);
  await page.locator('dl.pool-facts .state-running').waitFor();
  await page.getByRole('button', { name: 'Cancel run' }).click();
  await page.locator('dl.pool-facts .state-canceled').waitFor({ timeout: 15000 });
  assert.equal((await emulator.arm(`${CONTOSO_BUILDS}/runs/ca3?${API}`)).properties.status, 'Canceled');
});

test('a queued run can be cancelled from its page', async () => {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/runs/ca6`);
  await page.locator('dl.pool-facts .state-queued').waitFor();
  await page.getByRole('button', { name: 'Cancel run' }).click();
  await page.locator('dl.pool-facts .state-canceled').waitFor({ timeout: 15000 });
  assert.equal((await emulator.arm(`${CONTOSO_BUILDS}/runs/ca6?${API}`)).properties.status, 'Canceled');
  assert.equal(await page.getByRole('button', { name: 'Cancel run' }).count(), 0);
});
