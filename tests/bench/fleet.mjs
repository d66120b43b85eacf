// The fleet at scale (issue 11), printed, never asserted. A seeded world of 50 subscriptions × 40
// registries (2,000 registries, 600 Premium in agent-pool regions, 3,000 pools) beside the demo:
// - requests: Resource Graph pages and ARM reads of the fleet, against the naive walk
//   (subscriptions → registries of each → pools of each, and the queued runs of those with pools);
// - time to the first row and to the last;
// - re-rendering the table after a filter change, with every row loaded;
// - requests in a visible minute and in a hidden one.
import { startEmulator } from '../e2e/support/emulator.mjs';
import { launch, freshPage, signIn } from '../e2e/support/browser.mjs';

const WORLD = { subscriptions: 50, registries: 40 };
const WINDOW_MS = Number(process.env.BENCH_FLEET_WINDOW_S ?? 60) * 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const POOL_REGIONS = ['westus2', 'southcentralus', 'eastus2', 'eastus', 'centralus', 'westeurope', 'northeurope', 'canadacentral', 'eastasia', 'switzerlandnorth', 'usgovarizona', 'usgovtexas', 'usgovvirginia'];

// BENCH_LATENCY_MS adds that much to every ARM answer (the emulator's --latency-ms): real ARM
// takes 100–300 ms a request, loopback takes almost none.
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 0);
const emulator = await startEmulator(LATENCY_MS ? ['--latency-ms', String(LATENCY_MS)] : []);
const browser = await launch();
try {
  const seeded = await (await fetch(`${emulator.origins.admin}/seed-world`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(WORLD),
  })).json();

  // The naive walk, six requests at a time, as the service principal (Owner everywhere).
  let naive = 0;
  const get = async (path) => { naive += 1; return emulator.arm(path); };
  const list = async (path) => {
    const items = [];
    for (let url = path; url;) {
      const page = await get(url);
      items.push(...page.value);
      url = page.nextLink ? page.nextLink.slice(emulator.origins.arm.length) : null;
    }
    return items;
  };
  const inSixes = async (items, work) => {
    const queue = [...items];
    await Promise.all(Array.from({ length: 6 }, async () => { while (queue.length) await work(queue.shift()); }));
  };
  const t0 = performance.now();
  const subs = await list('/subscriptions?api-version=2022-12-01');
  const registries = [];
  await inSixes(subs, async (s) => registries.push(...await list(`/subscriptions/${s.subscriptionId}/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01`)));
  const eligible = registries.filter((r) => r.sku.name === 'Premium' && POOL_REGIONS.includes(r.location));
  let naivePools = 0;
  // Not knowing which registries can host pools, it asks every one.
  await inSixes(registries, async (r) => {
    const pools = await list(`${r.id}/agentPools?api-version=2019-06-01-preview`);
    naivePools += pools.length;
    if (pools.length) await list(`${r.id}/runs?api-version=2019-06-01-preview&$filter=${encodeURIComponent("Status eq 'Queued'")}`);
  });
  const naiveMs = performance.now() - t0;

  const { page } = await freshPage(browser, { width: 1280, height: 900 });
  await signIn(page, emulator, 'Olivia Owner');
  const mark = await emulator.mark();
  const start = Date.now();
  await page.goto(`${emulator.origins.portal}/pools`);
  await page.locator('table.fleet tbody tr').first().waitFor({ timeout: 120000 });
  const firstRow = Date.now() - start;
  await page.locator('main p.muted', { hasText: 'container registries can host agent pools' }).filter({ hasNotText: 'Reading' }).waitFor({ timeout: 600000 });
  const lastRow = Date.now() - start;
  const fromPage = (log) => log.filter((e) => e.listener === 'arm' && e.origin === emulator.origins.portal && e.method !== 'OPTIONS');
  const load = fromPage(await emulator.requests(mark));
  const total = await page.locator('table.fleet tfoot th').innerText();
  await page.screenshot({ path: new URL('../e2e/artifacts/fleet-3000.png', import.meta.url).pathname });

  // A filter change at full size: from the input event to the next frame, the table redrawn.
  const timings = [];
  for (const text of ['pool-1', 'pool-3', '', 'reg00', '']) {
    timings.push(await page.evaluate(async (t) => {
      const input = document.querySelector('#fleet-q');
      const t0 = performance.now();
      input.value = t;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => r()));
      return performance.now() - t0;
    }, text));
  }
  for (const state of ['Failed', '']) {
    timings.push(await page.evaluate(async (s) => {
      const select = document.querySelector('#fleet-status');
      const t0 = performance.now();
      select.value = s;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => r()));
      return performance.now() - t0;
    }, state));
  }

  // A repeat visit: the rows kept from this one are drawn before anything is read. Measured from
  // when the session is known (the app's performance mark) to the first row in the document.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('table.fleet tbody tr')) {
        window.__firstRowAt = performance.now();
        window.__firstRowKept = !!document.querySelector('.as-of');
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const repeatStart = Date.now();
  await page.reload();
  await page.locator('table.fleet tbody tr').first().waitFor({ timeout: 120000 });
  const repeatWall = Date.now() - repeatStart;
  const repeat = await page.evaluate(() => ({ row: window.__firstRowAt, session: performance.getEntriesByName('pool-portal:session')[0]?.startTime, kept: window.__firstRowKept }));
  await page.locator('main p.muted', { hasText: 'container registries can host agent pools' }).filter({ hasNotText: 'Reading' }).waitFor({ timeout: 600000 });

  // A minute visible, then a minute hidden.
  const visibleMark = await emulator.mark();
  await page.waitForTimeout(WINDOW_MS);
  const visibleLog = fromPage(await emulator.requests(visibleMark));
  const visible = visibleLog.length;
  const kinds = (log) => ['ResourceGraph', '/runs?', '/agentPools?'].map((k) => `${log.filter((e) => e.path.includes(k)).length} ${k.replace(/[/?]/g, '')}`).join(', ');
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.locator('.live-line', { hasText: 'Updated' }).filter({ hasNotText: 'refreshing' }).waitFor({ timeout: 120000 });
  const hiddenMark = await emulator.mark();
  await page.waitForTimeout(WINDOW_MS);
  const hidden = fromPage(await emulator.requests(hiddenMark)).length;

  const count = (test) => load.filter(test).length;
  // Most requests in flight at once, from when the emulator took each and when it answered.
  const edges = load.flatMap((e) => [[e.atMs, 1], [e.doneMs, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0, peak = 0;
  for (const [, d] of edges) { inFlight += d; peak = Math.max(peak, inFlight); }
  const graphPages = count((e) => e.path.startsWith('/providers/Microsoft.ResourceGraph'));
  console.log(`\n== the fleet at scale (world: ${seeded.subscriptions} subscriptions, ${seeded.registries} registries, ${seeded.pools} pools with the demo's; ${LATENCY_MS} ms added to each ARM answer)`);
  console.log(`naive walk: ${naive} requests (${subs.length} subscriptions, ${registries.length} registries, ${eligible.length} eligible, ${naivePools} pools), ${Math.round(naiveMs)} ms at six in flight`);
  console.log(`fleet: ${graphPages} Resource Graph page(s) + ${count((e) => e.path.includes('/agentPools?'))} pool lists + ${count((e) => e.path.includes('/runs?'))} runs lists + ${load.length - graphPages - count((e) => e.path.includes('/agentPools?') || e.path.includes('/runs?'))} other = ${load.length} requests; ${total}`);
  console.log(`time to the first row: ${firstRow} ms; to the last: ${lastRow} ms; peak requests in flight: ${peak}; 429s: ${count((e) => e.status === 429)}`);
  console.log(`repeat visit: first row ${Math.round(repeat.row - repeat.session)} ms after the session is known (${Math.round(repeat.row)} ms after navigation; ${repeatWall} ms by the test's clock), ${repeat.kept ? 'from the rows kept' : 'NOT from kept rows'}`);
  console.log(`filter change at full size, to the next frame: median ${median(timings).toFixed(1)} ms, max ${Math.max(...timings).toFixed(1)} ms (${timings.length} changes)`);
  console.log(`requests in a visible minute: ${visible} (${kinds(visibleLog)}); in a hidden minute: ${hidden}`);
} finally {
  await browser.close();
  await emulator.stop();
}
