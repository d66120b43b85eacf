// Journeys of issue 12: a pool's insights (waits, run times, runs per hour) and the sizing
// advisor, against a week of history seeded into the emulator. The emulator's clock stands still
// here, so the runs the page read and the runs the test reads are the same runs.
import { test, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot, fitsWidth } from './support/browser.mjs';
import { axe } from './support/axe.mjs';

const POOL = `${CONTOSO_BUILDS}/agentPools/build-s2`;
let emulator, browser;
before(async () => { emulator = await startEmulator(['--speed', '0']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);
beforeEach(async () => { await emulator.reset(); await emulator.setFaults({}); });

async function seedHistory(plan) {
  const r = await fetch(`${emulator.origins.admin}/seed-history`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return JSON.parse(text);
}

/** Opens a pool's insights and waits until the whole window is read. */
async function openInsights(path, query = '', opts = {}) {
  const { page, problems } = await freshPage(browser, opts);
  await signIn(page, emulator, 'Olivia Owner');
  const mark = await emulator.mark();
  await page.goto(`${emulator.origins.portal}${path}/insights${query}`);
  await page.locator('.history-status', { hasText: / as of / }).waitFor();
  return { page, problems, mark };
}

/** The runs requests the page made after `mark`. */
async function runsRequests(mark) {
  return (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.method === 'GET' && /\/runs\?/.test(e.path));
}

/** "3 min 5 s", "42 s", "1 h 2 min", as the portal writes durations. */
function duration(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Nearest-rank percentile of sorted numbers. */
const rank = (sorted, p) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];

/** The advisor's table as rows of { k, p95 (ms, Infinity for "never ran"), recommended }. The
 * cells carry their exact milliseconds: the text rounds (hours show no seconds). */
async function advisorRows(page) {
  const rows = await page.locator('table.advice tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    k: tr.children[0].textContent.trim(), p95: tr.children[2].dataset.ms ?? null, text: tr.children[2].textContent.trim(),
  })));
  return rows.map(({ k, p95, text }) => {
    assert.equal(p95 === null, text === 'never ran', `${k}: ${text}`);
    return { k: Number(k.match(/^\d+/)[0]), p95: p95 === null ? Infinity : Number(p95), recommended: /recommended/.test(k) };
  });
}

async function setTarget(page, seconds) {
  await page.locator('#advisor-target').fill(String(seconds));
  await page.locator('#advisor-target').press('Enter');
  await page.waitForURL((u) => u.search.includes(`target=${seconds}`) || (seconds === 60 && !u.search.includes('target=')));
  // The table replayed for this target (the one before may still be on screen a moment).
  await page.locator(`table.advice[data-target="${seconds}"]`).waitFor();
}

test('a seeded week shows the percentiles, counts and success rate computed here from the same ARM data', async () => {
  const seeded = await seedHistory({ pool: 'build-s2', runs: 700, seed: 5 });
  assert.ok(seeded.runs > 600, JSON.stringify(seeded));
  const { page, problems, mark } = await openInsights(POOL);
  // The page's own filter (pool and createTime ge the window's start), read again here.
  const requests = await runsRequests(mark);
  const first = requests[0].path;
  assert.match(decodeURIComponent(first), /\$filter=AgentPoolName eq 'build-s2' and CreateTime ge \d{4}-\d\d-\d\dT[\d:.]+Z/);
  const runs = await emulator.armList(first);
  assert.ok(runs.length > 600, `${runs.length} runs`);
  // The page shows them all (its last flush drawn) before anything is compared.
  await page.locator('dd.runs-total', { hasText: new RegExp(`^${runs.length.toLocaleString('en-US')}$`) }).waitFor();
  // Every page of the list was read, and the status says how many.
  await page.locator('.history-status', { hasText: `(${requests.length} pages)` }).waitFor();
  assert.equal(requests.length, Math.ceil(runs.length / 100), 'pages of 100');

  const t = (s) => Date.parse(s);
  const waits = runs.filter((r) => r.properties.startTime).map((r) => t(r.properties.startTime) - t(r.properties.createTime)).sort((a, b) => a - b);
  const times = runs.filter((r) => r.properties.startTime && r.properties.finishTime).map((r) => t(r.properties.finishTime) - t(r.properties.startTime)).sort((a, b) => a - b);
  const cells = await page.locator('table.percentiles tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  const expected = [['p50', 50], ['p90', 90], ['p95', 95], ['max', 100]].map(([name, p]) => [name, duration(rank(waits, p)), duration(rank(times, p))]);
  assert.deepEqual(cells, expected);
  assert.equal(await page.locator('dd.runs-total').innerText(), runs.length.toLocaleString('en-US'));
  const ended = runs.filter((r) => ['Succeeded', 'Failed', 'Canceled', 'Error', 'Timeout'].includes(r.properties.status));
  const succeeded = ended.filter((r) => r.properties.status === 'Succeeded').length;
  assert.ok(succeeded < ended.length, 'the seeded week has failures');
  assert.equal(await page.locator('dd.success-rate').innerText(),
    `${Math.round((100 * succeeded) / ended.length)}% (${succeeded} of ${ended.length} that ended)`);
  // The charts hold every run: the strip's cells add up to the runs queued in the window.
  const strip = await page.locator('.strip table tbody td').evaluateAll((tds) => tds.reduce((n, td) => n + (Number(td.textContent) || 0), 0));
  assert.equal(strip, runs.length);
  const waitBars = await page.locator('.chart').first().locator('table tbody td').evaluateAll((tds) => tds.reduce((n, td) => n + Number(td.textContent.replace(/,/g, '')), 0));
  assert.equal(waitBars, waits.length);
  await screenshot(page, 'insights-week');
  assert.deepEqual(problems, []);
});

test('the advisor recommends the fewest instances that meet the target, and a new target changes it', async () => {
  await seedHistory({ pool: 'build-s2', runs: 700, seed: 5 });
  const { page, problems } = await openInsights(POOL);
  await page.getByText('not what will').waitFor();
  const check = async (target) => {
    await setTarget(page, target);
    const rows = await advisorRows(page);
    assert.deepEqual(rows.map((r) => r.k), [0, 1, 2, 3, 4], 'S2 within the default quota: 16 vCPU, 4 instances');
    const best = rows.find((r) => r.p95 <= target * 1000);
    assert.deepEqual(rows.filter((r) => r.recommended).map((r) => r.k), best ? [best.k] : []);
    if (!best) await page.getByText('No size up to 4 instances (the default quota) keeps 95% of waits within').waitFor();
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i].p95 <= rows[i - 1].p95, 'another instance never waits longer');
    return { best: best?.k, rows };
  };
  const lax = await check(86400);
  assert.ok(lax.best >= 1, 'nothing runs on 0 instances');
  // Just under what the lax choice makes the 95th run wait: it no longer does.
  const tighter = Math.floor(lax.rows[lax.best].p95 / 1000) - 1;
  assert.ok(tighter >= 0, 'the lax choice makes some runs wait');
  const strict = await check(tighter);
  assert.ok(strict.best === undefined || strict.best > lax.best, `target ${tighter} s → ${strict.best}, 1 day → ${lax.best}`);
  assert.ok(page.url().endsWith(`?target=${tighter}`), page.url());
  await page.reload();
  await page.locator(`table.advice[data-target="${tighter}"]`).waitFor();
  assert.equal(await page.locator('#advisor-target').inputValue(), String(tighter), 'the target is in the link');
  await page.locator('#advisor-target').fill('100000');
  await page.locator('#advisor-target').press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Enter a whole number of seconds' }).waitFor();
  assert.ok(page.url().endsWith(`?target=${tighter}`), 'a bad target changes nothing');
  assert.deepEqual(problems, []);
});

test('"Use this size" fills in the scale panel and changes nothing until Scale', async () => {
  await seedHistory({ pool: 'build-s2', runs: 700, seed: 5 });
  const { page, problems } = await openInsights(POOL);
  // A target one instance meets: the advice is 1, where the pool has 2.
  await page.locator('table.advice').waitFor();
  const one = (await advisorRows(page))[1];
  assert.ok(Number.isFinite(one.p95), 'one instance runs the whole week in it');
  await setTarget(page, Math.ceil(one.p95 / 1000));
  const use = page.locator('a.use-size');
  const k = Number((await use.innerText()).match(/\((\d+)\)/)[1]);
  assert.notEqual(k, 2, 'build-s2 has 2 instances now');
  const mark = await emulator.mark();
  await use.click();
  await page.waitForURL((u) => u.pathname === POOL);
  await page.locator(`#scale-count[max]`).waitFor();
  await page.waitForFunction((n) => document.querySelector('#scale-count')?.value === n, String(k));
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'scale-count', 'focus on the count');
  await page.getByRole('button', { name: `Scale to ${k}` }).waitFor();
  await page.getByText(`${k} filled in by the sizing advisor`).waitFor();
  const writes = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && ['PUT', 'PATCH', 'POST', 'DELETE'].includes(e.method) && !/listQueueStatus/.test(e.path));
  assert.deepEqual(writes, [], 'nothing written');
  assert.equal((await emulator.arm(`${POOL}?api-version=2019-06-01-preview`)).properties.count, 2);
  await screenshot(page, 'insights-use-size');
  // Taken once: the address no longer carries it, so a reload (or a shared link) shows the pool as it is.
  assert.equal(new URL(page.url()).search, '');
  await page.reload();
  await page.locator('#scale-count').waitFor();
  assert.equal(await page.locator('#scale-count').inputValue(), '2');
  assert.equal(await page.getByText('filled in by the sizing advisor').count(), 0);
  assert.deepEqual(problems, []);
});

test('a pool with too little history says so instead of guessing', async () => {
  const { page, problems } = await openInsights(`${CONTOSO_BUILDS}/agentPools/nightly-s1`);
  await page.locator('.too-little', { hasText: 'Too little history to advise: 0 runs ran in this window, and the advisor needs at least 20.' }).waitFor();
  assert.equal(await page.locator('table.advice').count(), 0);
  // Its two runs wait (no instances): counted, with no wait or run time to show.
  assert.equal(await page.locator('dd.runs-total').innerText(), '2');
  assert.deepEqual(await page.locator('table.percentiles tbody td').allInnerTexts(), Array(8).fill('—'));
  assert.match(await page.locator('dd.busy-share').innerText(), /no instances now/);
  assert.deepEqual(problems, []);
});

test('the window is in the link; the last 24 hours of a week already read need no request', async () => {
  await seedHistory({ pool: 'build-s2', runs: 700, seed: 5 });
  const { page, problems, mark: opened } = await openInsights(POOL);
  const filterOf = async (m) => (await runsRequests(m))[0].path;
  const since = (path) => Date.parse(decodeURIComponent(path).match(/CreateTime ge (\S+)/)[1]);
  const weekFilter = await filterOf(opened);
  const weekRuns = await emulator.armList(weekFilter);
  const count = async (p) => Number((await p.locator('dd.runs-total').innerText()).replace(/,/g, ''));
  await page.locator('dd.runs-total', { hasText: new RegExp(`^${weekRuns.length.toLocaleString('en-US')}$`) }).waitFor();
  const mark = await emulator.mark();
  await page.getByLabel('Last 24 hours').check();
  await page.waitForURL((u) => u.search === '?window=24h');
  // The window ends where the week's read ended: its last 24 hours are the week's runs since then.
  const dayStart = since(weekFilter) + 6 * 86400e3;
  const lastDay = weekRuns.filter((r) => Date.parse(r.properties.createTime) >= dayStart).length;
  assert.ok(lastDay < weekRuns.length);
  await page.locator('dd.runs-total', { hasText: new RegExp(`^${lastDay.toLocaleString('en-US')}$`) }).waitFor();
  assert.deepEqual(await runsRequests(mark), [], 'read from the week already read');
  // Opened from the link, the 24 hours are read on their own: a day's filter, and all it lists.
  const again = await openInsights(POOL, '?window=24h');
  assert.equal(await again.page.getByLabel('Last 24 hours').isChecked(), true);
  const dayFilter = await filterOf(again.mark);
  assert.ok(Math.abs(since(dayFilter) - dayStart) < 60e3, 'a day before now');
  const dayRuns = await emulator.armList(dayFilter);
  await again.page.locator('dd.runs-total', { hasText: new RegExp(`^${dayRuns.length.toLocaleString('en-US')}$`) }).waitFor();
  assert.equal(await count(again.page), dayRuns.length);
  assert.deepEqual([...problems, ...again.problems], []);
});

test('a page of the history failing keeps what was read, says the advice needs it all, and Refresh reads it', async () => {
  await seedHistory({ pool: 'build-s2', runs: 700, seed: 5 });
  // The third page fails on every try (the first and three retries).
  await emulator.setFaults({ serverErrors: 4, serverErrorStatus: 500, matching: 'skipToken=200' });
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${POOL}/insights`);
  await page.getByRole('alert').getByText('HTTP 500').waitFor({ timeout: 20000 });
  await page.getByText('The history below is what was read before this error').waitFor();
  assert.equal(await page.locator('dd.runs-total').innerText(), '200', 'the two pages read stay');
  await page.getByText('part of it could not be read').waitFor();
  assert.equal(await page.locator('table.advice').count(), 0, 'no advice from part of the window');
  await emulator.setFaults({});
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.locator('.history-status', { hasText: / as of / }).waitFor();
  await page.locator('table.advice').waitFor();
  assert.ok(Number((await page.locator('dd.runs-total').innerText()).replace(/,/g, '')) > 600);
  assert.equal(await page.getByRole('alert').filter({ hasText: 'HTTP 500' }).count(), 0, 'the error is gone');
  // The browser logs the failed loads themselves.
  assert.deepEqual(problems.filter((p) => !/status of 500/.test(p)), []);
});

test('insights pass axe with nothing found, light and dark, at 360 and 1280 px, and fit', async () => {
  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 360]) {
      const { page } = await openInsights(POOL, '', { width });
      await page.emulateMedia({ colorScheme: scheme });
      await page.locator('table.advice').waitFor();
      // The tables behind the charts open, so axe checks them too.
      for (const d of await page.locator('details.chart-table').all()) await d.locator('summary').click();
      const violations = await axe(page, `insights (${scheme}, ${width}px)`);
      assert.deepEqual(violations, [], `${scheme} ${width}`);
      assert.ok(await fitsWidth(page), `${scheme} ${width}px scrolls sideways`);
      await screenshot(page, `insights-${scheme}-${width}`);
    }
  }
});
