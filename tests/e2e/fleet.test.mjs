// The fleet (issue 11): every agent pool the user can see across subscriptions, found with
// Resource Graph. Rows are checked against what ARM says; the view lives in the URL; one
// registry failing leaves the rest; 429s are honoured; the CSV is what the table shows.
import { test, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startEmulator, CONTOSO, FABRIKAM, CONTOSO_BUILDS, registryPath } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, pickUser, screenshot, fitsWidth } from './support/browser.mjs';

const API = 'api-version=2019-06-01-preview';
const FABRIKAM_RESEARCH = registryPath(FABRIKAM, 'rg-research', 'fabrikamresearch');
let emulator, browser;
before(async () => { emulator = await startEmulator(['--speed', '20']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);
beforeEach(async () => { await emulator.reset(); await emulator.setFaults({}); });

const table = (page) => page.locator('table.fleet');
/** The table's rows as [subscription, registry, pool, tier, instances, vcpu, state, queued, wait]. */
const shownRows = (page) => table(page).locator('tbody tr:not(.spacer)').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));

/** Every row of the view, in order, scrolling the table through: it draws only the rows on
 * screen (and a few past each edge). Each step scrolls the last row collected to the top and
 * waits for the next to be drawn. */
async function allRows(page) {
  const total = Number(await table(page).getAttribute('aria-rowcount')) - 2;
  const rows = new Map();
  for (let next = 2; next < total + 2;) {
    await table(page).locator(`tbody tr[aria-rowindex="${next}"]`).waitFor();
    const drawn = await table(page).locator('tbody tr:not(.spacer)').evaluateAll((trs) => trs.map((tr) => [Number(tr.getAttribute('aria-rowindex')), [...tr.children].map((c) => c.textContent.trim())]));
    for (const [i, cells] of drawn) rows.set(i, cells);
    next = Math.max(...rows.keys()) + 1;
    await table(page).locator(`tbody tr[aria-rowindex="${next - 1}"]`).evaluate((tr) => tr.scrollIntoView({ block: 'start' }));
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, cells]) => cells);
}

async function openFleet(user = 'Olivia Owner', query = '', size) {
  const { page, problems } = await freshPage(browser, size);
  await signIn(page, emulator, user);
  await page.goto(`${emulator.origins.portal}/pools${query}`);
  return { page, problems };
}

/** Every pool ARM lists for these registries, as the fleet should show it: its status derived
 * from ARM's state, count and the registry's queued and running runs (no pause records here). */
async function poolsOf(...registries) {
  const out = [];
  for (const r of registries) {
    const active = await emulator.armList(`${r}/runs?${API}&$filter=${encodeURIComponent("Status eq 'Queued' or Status eq 'Running'")}`);
    const of = (p, s) => active.filter((x) => x.properties.agentPoolName?.toLowerCase() === p.toLowerCase() && x.properties.status === s).length;
    for (const p of await emulator.armList(`${r}/agentPools?${API}`)) {
      const [queued, running] = [of(p.name, 'Queued'), of(p.name, 'Running')];
      const state = p.properties.provisioningState === 'Failed' ? 'Failed'
        : running > 0 ? `Running (${running})` : queued > 0 ? `Waiting (${queued} queued)` : 'Idle';
      out.push({ registry: r.split('/').pop(), pool: p.name, tier: p.properties.tier, count: p.properties.count, state });
    }
  }
  return out.sort((a, b) => a.pool.localeCompare(b.pool));
}

/** Waits until every eligible registry has answered (no "Reading … of them"). */
const settled = (page) => page.locator('main p.muted', { hasText: 'container registries can host agent pools' }).filter({ hasNotText: 'Reading' }).waitFor();

test('Olivia sees the pools of both subscriptions, by display name, as ARM lists them', async () => {
  const { page, problems } = await openFleet();
  await settled(page);
  await table(page).locator('tfoot').waitFor();
  const expected = await poolsOf(CONTOSO_BUILDS, FABRIKAM_RESEARCH);
  const rows = (await shownRows(page)).map((c) => ({ subscription: c[0], registry: c[1], pool: c[2], tier: c[3], count: Number(c[4]), state: c[6] }));
  assert.deepEqual(rows.map(({ registry, pool, tier, count, state }) => ({ registry, pool, tier, count, state })).sort((a, b) => a.pool.localeCompare(b.pool)), expected);
  assert.deepEqual([...new Set(rows.map((r) => r.subscription))].sort(), ['Contoso Platform (demo)', 'Fabrikam Research (demo)']);
  // Queued counts are ARM's listQueueStatus for each pool.
  const nightly = (await shownRows(page)).find((c) => c[2] === 'nightly-s1');
  const { count } = (await emulator.armSend('POST', `${CONTOSO_BUILDS}/agentPools/nightly-s1/listQueueStatus?${API}`)).body;
  assert.equal(Number(nightly[7]), count);
  assert.match(nightly[8], /\d+ (min|s)/, 'the oldest wait is shown');
  // The totals row adds up what is shown.
  const foot = await table(page).locator('tfoot').innerText();
  assert.match(foot, new RegExp(`Total: ${expected.length} pools`));
  // Found with two Resource Graph queries (the registries; every task, for the schedules), then
  // only the eligible registries' pools and runs.
  const log = (await emulator.requests()).filter((e) => e.listener === 'arm' && e.origin === emulator.origins.portal && e.method !== 'OPTIONS');
  assert.equal(log.filter((e) => e.path.startsWith('/providers/Microsoft.ResourceGraph/resources')).length, 2);
  assert.ok(!log.some((e) => /contosobasic|contosouk/.test(e.path)), 'registries that cannot host pools are not read');
  assert.equal(await page.getByRole('link', { name: 'All agent pools' }).getAttribute('aria-current'), 'page');
  await screenshot(page, 'fleet');
  // A row leads to its pool, whose breadcrumbs name the subscription, not its id.
  await table(page).getByRole('link', { name: 'train-s1' }).click();
  await page.getByRole('heading', { level: 1, name: 'train-s1' }).waitFor();
  await page.locator('nav.crumbs').getByRole('link', { name: 'Fabrikam Research (demo)' }).waitFor();
  assert.deepEqual(problems, []);
});

test('Rhea sees only Contoso\'s pools; Nadia is told she has no subscription', async () => {
  const { page } = await openFleet('Rhea Reader');
  await settled(page);
  await table(page).locator('tfoot').waitFor();
  const rows = await shownRows(page);
  assert.deepEqual([...new Set(rows.map((c) => c[1]))], ['contosobuilds']);
  assert.equal(rows.length, (await poolsOf(CONTOSO_BUILDS)).length);
  assert.deepEqual([...new Set(rows.map((c) => c[0]))], ['Contoso Platform (demo)']);

  const nadia = await openFleet('Nadia Newcomer');
  await nadia.page.getByText('You have no role on any subscription in this directory, so there are no agent pools to show.').waitFor();
  assert.equal(await table(nadia.page).count(), 0);
  assert.equal(await nadia.page.getByRole('alert').count(), 0, 'a situation, not an error');
});

test('a filter link opened signed out lands on the filtered fleet after sign-in', async () => {
  const { page } = await freshPage(browser);
  const link = `${emulator.origins.portal}/pools?tier=S1&sort=pool&dir=desc`;
  // A link into the app, signed out, goes straight to sign-in.
  await page.goto(link);
  await pickUser(page, 'Olivia Owner', emulator.origins.login);
  await page.waitForURL(link);
  await settled(page);
  await table(page).locator('tfoot').waitFor();
  assert.deepEqual((await shownRows(page)).map((c) => c[2]), ['train-s1', 'nightly-s1'], 'S1 pools only, by name descending');
  assert.equal(await page.locator('#fleet-tier').inputValue(), 'S1');
  assert.match(await page.locator('th[aria-sort="descending"]').innerText(), /^pool/i);

  // Changing the view rewrites the link (no new history entry): it is what a colleague opens.
  const entries = await page.evaluate(() => history.length);
  await page.locator('#fleet-tier').selectOption('');
  await page.getByLabel('Has queued runs').check();
  await page.waitForURL(`${emulator.origins.portal}/pools?queued=1&sort=pool&dir=desc`);
  assert.deepEqual((await shownRows(page)).map((c) => c[2]), ['nightly-s1', 'build-s2']);
  assert.equal(await page.evaluate(() => history.length), entries);
  await page.getByRole('button', { name: /^Queued/ }).click();
  await page.waitForURL(`${emulator.origins.portal}/pools?queued=1&sort=queued&dir=desc`);
  await page.locator('#fleet-q').fill('night');
  await page.waitForURL(`${emulator.origins.portal}/pools?q=night&queued=1&sort=queued&dir=desc`);
  assert.deepEqual((await shownRows(page)).map((c) => c[2]), ['nightly-s1']);
});

test('one registry whose runs cannot be read shows its error; its pools stay, their queues unknown; it retries alone', async () => {
  // Every attempt at Fabrikam's runs list fails (the client's retries included). Its pools come
  // from Resource Graph, so they are shown, with "?" for what the runs would have said.
  await emulator.setFaults({ serverErrors: 1000, serverErrorStatus: 500, matching: `GET ${FABRIKAM_RESEARCH}/runs?` });
  const { page } = await openFleet();
  const error = page.locator('.registry-error', { hasText: 'fabrikamresearch' });
  await error.waitFor({ timeout: 30000 });
  assert.match(await error.innerText(), /InternalServerError/);
  await settled(page);
  const rows = await shownRows(page);
  assert.equal(rows.filter((c) => c[1] === 'contosobuilds').length, (await poolsOf(CONTOSO_BUILDS)).length, 'Contoso\'s rows are all there');
  const fabrikam = rows.filter((c) => c[1] === 'fabrikamresearch');
  assert.equal(fabrikam.length, (await emulator.armList(`${FABRIKAM_RESEARCH}/agentPools?${API}`)).length);
  assert.ok(fabrikam.every((c) => c[7] === '?'), 'queues unknown, not zero');
  await screenshot(page, 'fleet-registry-error');

  // Live paused, and its last pass over: from here only the retry reads anything.
  await page.getByLabel('Live').uncheck();
  await page.locator('.live-line', { hasText: 'Updated' }).filter({ hasNotText: 'refreshing' }).waitFor();
  // A registry that fails the same way is read again on the idle schedule, not every few
  // seconds: over ten seconds, at most the tail of one read (its attempts) reaches ARM.
  const quiet = await emulator.mark();
  await new Promise((r) => setTimeout(r, 10000));
  const reads = (await emulator.requests(quiet)).filter((e) => e.listener === 'arm' && e.path.includes(`${FABRIKAM_RESEARCH}/runs?`));
  assert.ok(reads.length <= 4, `${reads.length} reads of the failing registry in 10 s`);
  await emulator.setFaults({});
  const mark = await emulator.mark();
  await error.getByRole('button', { name: 'Read fabrikamresearch again' }).click();
  await error.waitFor({ state: 'detached' });
  await table(page).locator('tbody tr', { hasText: 'train-s1' }).locator('td.num').nth(2).filter({ hasText: /^\d+$/ }).waitFor();
  const again = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.method === 'GET' && /\/(runs|agentPools)\?/.test(e.path));
  assert.ok(again.length >= 1 && again.every((e) => e.path.includes('fabrikamresearch')), 'only that registry was read again');
});

test('the fleet from Resource Graph is the fleet from the lists, row for row; a cloud whose Resource Graph has no pools falls back to the lists and says so', async (t) => {
  // The clock stands still: both reads see the same runs and the same waits.
  await emulator.setClock({ speed: 0 });
  t.after(() => emulator.setClock({ speed: 20 }));
  const start = await emulator.mark();
  const { page, problems } = await openFleet();
  await settled(page);
  await table(page).locator('tfoot').waitFor();
  const fromGraph = await shownRows(page);
  const graphLog = (await emulator.requests(start)).filter((e) => e.listener === 'arm' && e.origin === emulator.origins.portal && e.method === 'GET');
  // Each registry's first read is its runs alone (a registry that moves is listed later, on the
  // busy schedule, which is why only the first read is looked at). One without pools in Resource
  // Graph (fabrikamnordic) has no queue to show: it is not read at all.
  for (const registry of ['contosobuilds', 'fabrikamresearch']) {
    const first = graphLog.find((e) => e.path.includes(`/registries/${registry}/`));
    assert.ok(first && /\/runs\?/.test(first.path), `${registry}: ${first?.path}`);
  }
  assert.ok(!graphLog.some((e) => e.path.includes('/registries/fabrikamnordic/')));
  assert.equal(await page.locator('.pools-note').count(), 0);
  assert.deepEqual(problems, []);

  // The same fleet where Resource Graph answers the pools-and-tasks query with no rows.
  const other = await freshPage(browser);
  await other.page.route((url) => url.pathname === '/providers/Microsoft.ResourceGraph/resources', async (route) => {
    const body = route.request().postData() ?? '';
    if (!body.includes('agentpools')) return route.continue();
    return route.fulfill({
      status: 200,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': emulator.origins.portal },
      body: JSON.stringify({ totalRecords: 0, count: 0, data: [], facets: [], resultTruncated: 'false' }),
    });
  });
  const mark = await emulator.mark();
  await signIn(other.page, emulator, 'Olivia Owner');
  await other.page.goto(`${emulator.origins.portal}/pools`);
  await settled(other.page);
  await table(other.page).locator('tfoot').waitFor();
  await other.page.locator('.pools-note', { hasText: 'Resource Graph lists no agent pools here' }).waitFor();
  const fromLists = await shownRows(other.page);
  // Row for row, but the schedule: without the tasks from Resource Graph it reads "?" here.
  const strip = (rows) => rows.map((r) => r.slice(0, 9));
  assert.deepEqual(strip(fromLists), strip(fromGraph));
  assert.ok(fromLists.every((r) => r[9] === '?'));
  const listed = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.method === 'GET' && e.path.includes('/agentPools?'));
  assert.deepEqual([...new Set(listed.map((e) => e.path.split('/agentPools?')[0].split('/').pop()))].sort(), ['contosobuilds', 'fabrikamnordic', 'fabrikamresearch'], 'every eligible registry, none other');
  assert.deepEqual(other.problems, []);
});

test('a 429 from Resource Graph is honoured, with the wait shown', async () => {
  await emulator.setFaults({ throttle: 1, retryAfterSecs: 2, matching: 'POST /providers/Microsoft.ResourceGraph/resources' });
  const mark = await emulator.mark();
  const { page } = await openFleet();
  const notice = page.locator('.banner.throttled');
  await notice.getByText('Azure is throttling requests.').waitFor({ timeout: 10000 });
  assert.match(await notice.innerText(), /Waiting [12] s, as it asked/);
  await settled(page);
  await table(page).locator('tfoot').waitFor();
  const graph = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.method === 'POST' && e.path.includes('ResourceGraph'));
  assert.deepEqual(graph.slice(0, 2).map((e) => e.status), [429, 200]);
  assert.ok(graph[1].atMs - graph[0].atMs >= 1950, 'Retry-After: 2 honoured');
});

test('a cloud that refuses Resource Graph 2024-04-01 is asked again in 2022-10-01', async () => {
  const { page } = await freshPage(browser);
  // What Azure Government answered (NOTES.md §8.1).
  await page.route((url) => url.pathname === '/providers/Microsoft.ResourceGraph/resources' && url.searchParams.get('api-version') === '2024-04-01', (route) => route.fulfill({
    status: 400,
    contentType: 'application/json',
    headers: { 'access-control-allow-origin': emulator.origins.portal },
    body: JSON.stringify({ error: { code: 'InvalidResourceType', message: "The resource type 'resources' could not be found in the namespace 'Microsoft.ResourceGraph' for api version '2024-04-01'. The supported api-versions are '2018-09-01-preview,2019-04-01,2021-03-01,2021-06-01-preview,2022-10-01'." } }),
  }));
  const mark = await emulator.mark();
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}/pools`);
  await settled(page);
  await table(page).locator('tbody tr', { hasText: 'train-s1' }).waitFor();
  const graph = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.method === 'POST' && e.path.includes('ResourceGraph'));
  assert.ok(graph.length >= 1 && graph.every((e) => e.path.includes('api-version=2022-10-01')), graph.map((e) => e.path).join('\n'));
});

test('the CSV holds exactly the rows the view selects, drawn or not; scrolling draws every one', async () => {
  // 200 more S1 pools: more than the table draws at once (a screenful).
  await fetch(`${emulator.origins.admin}/seed-pools`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 200 }) });
  const { page } = await openFleet('Olivia Owner', '?tier=S1');
  await settled(page);
  await table(page).locator('tfoot').waitFor();
  const drawnAtOnce = await table(page).locator('tbody tr:not(.spacer)').count();
  assert.ok(drawnAtOnce < 60, `only the rows on screen are drawn (${drawnAtOnce})`);
  assert.equal(await table(page).getAttribute('aria-rowcount'), String(202 + 2), 'the table says how many rows it has');
  const shown = await allRows(page);
  assert.equal(shown.length, 202, 'scrolling reaches every row, none twice');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  assert.equal(download.suggestedFilename(), 'agent-pools.csv');
  const text = await readFile(await download.path(), 'utf8');
  assert.ok(text.startsWith('\uFEFF'), 'a byte-order mark, so spreadsheets read UTF-8');
  const lines = text.slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines[0], 'Subscription,Subscription id,Registry,Pool,Tier,Instances,vCPU,Status,Provisioning state,Queued,Oldest wait (s),Schedule rules,Next change (UTC),Next count,Pool id');
  const body = lines.slice(1).map((l) => l.split(','));
  assert.equal(body.length, shown.length);
  body.forEach((cells, i) => {
    const row = shown[i];
    assert.deepEqual([cells[0], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7], cells[9]], [row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]]);
    assert.equal(cells[8], 'Succeeded');
    assert.equal(cells[11], '0', 'the seeded pools have no schedule');
    assert.match(cells[14], new RegExp(`/agentPools/${row[2]}$`));
  });
  assert.ok([CONTOSO, FABRIKAM].every((s) => body.some((c) => c[1] === s)));
});

test('which pools have a schedule, and their next change: a column, a filter in the URL, and the CSV', async (t) => {
  // The clock stands still: the next change the page computed is the one the test computes.
  await emulator.setClock({ speed: 0 });
  t.after(() => emulator.setClock({ speed: 20 }));
  const { page, problems } = await openFleet('Olivia Owner', '?scheduled=1', { timezoneId: 'UTC' });
  await settled(page);
  await table(page).locator('tbody tr').first().waitFor();
  const rows = await shownRows(page);
  assert.deepEqual(rows.map((r) => r[2]), ['build-s2'], 'only the demo\'s scheduled pool');
  assert.match(rows[0][9], /^(Mon|Tue|Wed|Thu|Fri) \d+ \w{3} (07|20):00 → (0|2)$/);
  assert.ok(await page.getByLabel('Has a schedule').isChecked());
  // The next change is the sooner of build-s2's two rules (weekdays 07:00 → 2, 20:00 → 0 UTC).
  const now = (await (await fetch(`${emulator.origins.admin}/clock`)).json()).nowMs;
  const next = [7, 20].flatMap((h) => [0, 1, 2, 3, 4, 5, 6, 7].map((d) => {
    const t = new Date(now); t.setUTCHours(h, 0, 0, 0); t.setUTCDate(t.getUTCDate() + d);
    return { at: t.getTime(), count: h === 7 ? 2 : 0 };
  })).filter((c) => c.at > now && [1, 2, 3, 4, 5].includes(new Date(c.at).getUTCDay())).sort((a, b) => a.at - b.at)[0];
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const lines = (await readFile(await download.path(), 'utf8')).slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines.length, 2);
  const cells = lines[1].split(',');
  assert.deepEqual([cells[3], cells[11], cells[12], cells[13]], ['build-s2', '2', new Date(next.at).toISOString(), String(next.count)]);
  // Unchecked, every pool is back, the others with no schedule.
  await page.getByLabel('Has a schedule').uncheck();
  await table(page).locator('tbody tr', { hasText: 'nightly-s1' }).waitFor();
  assert.equal(new URL(page.url()).search, '');
  assert.equal((await shownRows(page)).find((r) => r[2] === 'nightly-s1')[9], 'None');
  assert.deepEqual(problems, []);
});

test('live: a pool scaled elsewhere changes in the fleet without a reload', async () => {
  const { page } = await openFleet();
  await settled(page);
  const row = table(page).locator('tbody tr', { hasText: 'vnet-s3' });
  await row.waitFor();
  assert.equal((await shownRows(page)).find((c) => c[2] === 'vnet-s3')[4], '0');
  await page.evaluate(() => { window.__sameDocument = true; });
  const r = await emulator.armSend('PATCH', `${CONTOSO_BUILDS}/agentPools/vnet-s3?${API}`, { properties: { count: 1 } });
  assert.equal(r.status, 201, 'a PATCH is answered 201, as Azure does');
  // A registry is read again within the idle interval (30 s), and every few seconds once it moves.
  await row.locator('td.num').first().filter({ hasText: /^1$/ }).waitFor({ timeout: 45000 });
  assert.ok(await page.evaluate(() => window.__sameDocument === true));
  await page.setViewportSize({ width: 360, height: 800 });
  assert.ok(await fitsWidth(page), 'the fleet fits 360 px');
  await screenshot(page, 'fleet-360');
});

test('the header link, Back and Forward move the view with the URL', async () => {
  const { page } = await openFleet('Olivia Owner', '?tier=S1');
  await settled(page);
  await table(page).locator('tbody tr', { hasText: 'train-s1' }).waitFor();
  assert.equal((await shownRows(page)).length, 2);
  await page.locator('header').getByRole('link', { name: 'All agent pools' }).click();
  await page.waitForURL(`${emulator.origins.portal}/pools`);
  await table(page).locator('tbody tr', { hasText: 'build-s2' }).waitFor();
  assert.equal(await page.locator('#fleet-tier').inputValue(), '');
  assert.equal((await shownRows(page)).length, 4);
  await page.goBack();
  await page.waitForURL(`${emulator.origins.portal}/pools?tier=S1`);
  await table(page).locator('tbody tr', { hasText: 'build-s2' }).waitFor({ state: 'detached' });
  assert.equal(await page.locator('#fleet-tier').inputValue(), 'S1');
  assert.equal((await shownRows(page)).length, 2);
  await page.goForward();
  await page.waitForURL(`${emulator.origins.portal}/pools`);
  await table(page).locator('tbody tr', { hasText: 'build-s2' }).waitFor();
});

/** Seeds thirty registries in one subscription: nine Premium in agent-pool regions (bench00reg000,
 * 001, 002, 010, 011, 012, 020, 021, 022), five pools each. */
const seedOneSubscription = () => fetch(`${emulator.origins.admin}/seed-world`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subscriptions: 1, registries: 30 }) });

/** Holds every request of the page whose URL `matches` until released. */
async function hold(page, matches) {
  const held = [];
  let open = false;
  await page.route(matches, (route) => (open ? route.fallback() : held.push(route)));
  return { held, release: async () => { open = true; for (const r of held.splice(0)) await r.fallback(); } };
}

/** Holds every runs list: what is in flight is known exactly, and whose. */
async function holdRuns(page) {
  const h = await hold(page, (url) => url.pathname.endsWith('/runs'));
  return { ...h, registries: () => h.held.map((r) => new URL(r.request().url()).pathname.split('/')[8]) };
}

// What the fan-out lets out at once, runs lists held (no answer, so no window grows): the seeded
// subscription's window of six, and the demo's two registries with pools in their own
// subscriptions' windows (fabrikamnordic has none: nothing of it to read).
const FIRST_WAVE = 6 + 2;

test('leaving mid-read breaks nothing; a hidden tab stops reading and resumes on return', async () => {
  await seedOneSubscription();
  const first = await freshPage(browser);
  const gate = await holdRuns(first.page);
  await signIn(first.page, emulator, 'Olivia Owner');
  await first.page.goto(`${emulator.origins.portal}/pools`);
  await waitUntil(() => gate.held.length === FIRST_WAVE, 'the first wave in flight');
  // Away while they are out: their answers land on a page that is gone.
  await first.page.locator('nav.crumbs').getByRole('link', { name: 'Subscriptions' }).click();
  await first.page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
  const after = await emulator.mark();
  await gate.release();
  await waitForArm(after, (log) => log.filter((e) => e.path.includes('/runs?')).length === FIRST_WAVE);
  await first.page.getByRole('link', { name: 'Contoso Platform (demo)' }).click();
  await first.page.getByRole('table', { name: 'Container registries' }).waitFor();
  assert.deepEqual(first.problems, [], 'no error, no panic: the app goes on');

  // Hidden while reading: the wave out finishes, no other read starts, until the tab is shown.
  const second = await freshPage(browser);
  const page = second.page;
  const hold = await holdRuns(page);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}/pools`);
  await waitUntil(() => hold.held.length === FIRST_WAVE, 'the first wave in flight');
  // Every pool is there from Resource Graph already (45 seeded, 4 of the demo); the queues not
  // read yet say so, in the rows ("…") and in the totals.
  const totals = () => table(page).locator('tfoot th').innerText();
  assert.match(await totals(), /^Total: 49 pools · queues of 11 registries not read yet$/);
  assert.ok((await shownRows(page)).every((c) => c[7] === '…not read yet'));
  await setVisibility(page, 'hidden');
  await hold.release();
  await settled(page);
  assert.match(await totals(), /queues of 3 registries not read yet/, 'only the registries already out were read');
  const quiet = await emulator.mark();
  await new Promise((r) => setTimeout(r, 5000));
  assert.equal((await emulator.requests(quiet)).filter((e) => e.listener === 'arm' && e.origin === emulator.origins.portal).length, 0, 'nothing while hidden');
  await setVisibility(page, 'visible');
  await table(page).locator('tfoot th').filter({ hasText: /^Total: 49 pools$/ }).waitFor({ timeout: 30000 });
});

test('the rows on screen get their queues first; the rest follow', async () => {
  await seedOneSubscription();
  // A link to one registry's pools: the last of the seeded subscription's registries in reading
  // order, which the window would otherwise leave for the second wave.
  const { page, problems } = await freshPage(browser);
  const hold = await holdRuns(page);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}/pools?registry=bench00reg022`);
  await waitUntil(() => hold.held.length === FIRST_WAVE, 'the first wave in flight');
  const seeded = hold.registries().filter((r) => r.startsWith('bench00'));
  assert.equal(seeded.length, 6);
  assert.ok(seeded.includes('bench00reg022'), `the registry on screen is in the first wave: ${seeded}`);
  assert.ok(!seeded.includes('bench00reg021'), 'it took the place of the last of the rest');
  // Its rows wait with "…"; the totals say how many registries are still unread.
  assert.ok((await shownRows(page)).every((c) => c[7] === '…not read yet'));
  assert.match(await table(page).locator('tfoot th').innerText(), /queues of 1 registry not read yet/);
  await screenshot(page, 'fleet-unread');
  await hold.release();
  await settled(page);
  assert.ok((await shownRows(page)).every((c) => /^\d+$/.test(c[7])), 'read, every row');
  assert.deepEqual(problems, []);
});

test('a storm of 429s slows the reads, and no registry is shown as failed', async () => {
  await seedOneSubscription();
  // ARM's read bucket, small: five reads per subscription and user, five more a second.
  await emulator.setFaults({ readBucket: 5, readRefillPerSec: 5 });
  const mark = await emulator.mark();
  const { page, problems } = await openFleet();
  await settled(page);
  const log = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.origin === emulator.origins.portal);
  assert.ok(log.some((e) => e.status === 429), 'ARM did throttle');
  assert.equal(await page.locator('.registry-error').count(), 0, 'no error row');
  assert.equal(await table(page).locator('tfoot th').innerText(), 'Total: 49 pools', 'every queue read in the end');
  assert.ok((await shownRows(page)).every((c) => /^\d+$/.test(c[7])));
  // The browser logs each 429 it received; nothing else went wrong.
  assert.deepEqual(problems.filter((p) => !/status of 429/.test(p)), []);
});

/** The keys of what the portal keeps in this browser's IndexedDB (`live::stored`). */
const keptKeys = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const r = indexedDB.open('pool-portal', 1);
  r.onupgradeneeded = () => r.result.createObjectStore('views');
  r.onerror = () => reject(r.error);
  r.onsuccess = () => {
    const get = r.result.transaction('views', 'readonly').objectStore('views').getAllKeys();
    get.onsuccess = () => { r.result.close(); resolve(get.result); };
    get.onerror = () => reject(get.error);
  };
}));

/** Holds Resource Graph's answers: the page can then only show what it kept. */
const holdGraph = (page) => hold(page, (url) => url.pathname === '/providers/Microsoft.ResourceGraph/resources');

test('a repeat visit paints the rows kept from the last, then reads them again; another user never sees them; sign-out forgets them', async (t) => {
  // The clock stands still: what was kept and what is read again say the same.
  await emulator.setClock({ speed: 0 });
  t.after(() => emulator.setClock({ speed: 20 }));
  const { page, problems } = await openFleet();
  await settled(page);
  const first = await shownRows(page);
  await waitUntil(async () => (await keptKeys(page)).length === 1, 'the rows kept');
  const [key] = await keptKeys(page);
  assert.match(key, /^fleet\|/, 'kept per view');
  assert.ok(!/eyJ/.test(key), 'no token in the key');

  // Again, Resource Graph held: the kept rows are all there is to draw, marked with their time.
  const graph = await holdGraph(page);
  await page.reload();
  await page.locator('.as-of', { hasText: /^As of \w{3} \d{1,2} \w{3} \d\d:\d\d, when you last looked/ }).waitFor();
  assert.deepEqual(await shownRows(page), first, 'the same rows, before any read');
  await screenshot(page, 'fleet-repeat-visit');
  await graph.release();
  await page.locator('.as-of').waitFor({ state: 'detached' });
  await settled(page);
  assert.deepEqual(await shownRows(page), first, 'read again in place');

  // Another user in a second tab of the same browser (its own session, the same IndexedDB):
  // nothing of Olivia's is drawn, not even for a moment.
  const other = await page.context().newPage();
  await other.addInitScript(() => {
    new MutationObserver(() => { if (document.querySelector('.as-of')) window.__drewKept = true; })
      .observe(document, { childList: true, subtree: true });
  });
  await signIn(other, emulator, 'Rhea Reader');
  const rheaGraph = await holdGraph(other);
  await other.goto(`${emulator.origins.portal}/pools`);
  await waitUntil(() => rheaGraph.held.length > 0, 'Resource Graph asked');
  await other.getByText('Loading registries (Resource Graph)').waitFor();
  await rheaGraph.release();
  await settled(other);
  const rhea = await shownRows(other);
  assert.ok(rhea.length > 0 && rhea.every((c) => c[1] === 'contosobuilds'), 'her own rows only');
  assert.equal(await other.evaluate(() => window.__drewKept ?? false), false, 'no kept rows were drawn for her');
  await other.close();

  // Signing out forgets every view kept in this browser.
  await page.locator('details.account summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.deepEqual(await keptKeys(page), []);
  assert.deepEqual(problems, []);
});

/** Polls a condition (of the test's own state or of the page). */
async function waitUntil(condition, what, timeoutMs = 20000) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setVisibility(page, state) {
  await page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

/** Waits until the emulator's log since `mark` satisfies `done`. */
async function waitForArm(mark, done, timeoutMs = 20000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const log = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.status > 0);
    if (done(log)) return;
    if (Date.now() > until) throw new Error('timed out waiting for ARM requests');
    await new Promise((r) => setTimeout(r, 100));
  }
}
