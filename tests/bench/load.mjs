// Load timings and ARM request counts, printed (never asserted: timings are measurements).
import { startEmulator, CONTOSO_BUILDS } from '../e2e/support/emulator.mjs';
import { launch, freshPage, signIn } from '../e2e/support/browser.mjs';

const RUNS = 5;
const emulator = await startEmulator();
const browser = await launch();
try {
  const { page } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  const registryUrl = `${emulator.origins.portal}${CONTOSO_BUILDS}`;
  const pools = await emulator.armList(`${CONTOSO_BUILDS}/agentPools?api-version=2019-06-01-preview`);
  const poolUrl = `${emulator.origins.portal}${pools[0].id}`;

  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = Date.now();
    await page.goto(registryUrl);
    await page.getByRole('table', { name: 'Agent pools' }).waitFor();
    times.push(Date.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`\nload → pool list rendered, token cached (${RUNS} runs): median ${times[RUNS >> 1]} ms, min ${times[0]} ms, max ${times[RUNS - 1]} ms`);

  // The registry's pools are all the seed spreads runs over.
  const tally = (log) => {
    const arm = log.filter((e) => e.listener === 'arm');
    const by = (m) => arm.filter((e) => e.method === m).length;
    return `${by('GET')} GET, ${by('POST')} POST, ${by('OPTIONS')} CORS preflight`;
  };
  const count = async (url, ready) => {
    const mark = await emulator.mark();
    await page.goto(url);
    await ready();
    // Let the page's first round of requests land.
    await page.waitForLoadState('networkidle');
    return tally(await emulator.requests(mark));
  };
  console.log(`ARM requests, open registry page: ${await count(registryUrl, () => page.getByRole('table', { name: 'Agent pools' }).waitFor())}`);
  console.log(`ARM requests, open pool page:     ${await count(poolUrl, () => page.locator('dl.pool-facts').waitFor())}`);

  // Live queue (SPEC Q3): what five minutes cost on a pool page left open, idle or with runs
  // waiting, and on one in a background tab. The three pages run side by side, each in its own
  // browser context; a request counts for the pool whose name it carries (path or $filter).
  const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 300);
  const admin = (path, body) => fetch(`${emulator.origins.admin}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  }).then((r) => r.json());
  await page.goto('about:blank'); // its pool page would poll through the window
  await admin('/seed-pools', { count: 1 }); // bench-000: no instances, so its runs keep waiting
  await admin('/seed-runs', { count: 0, pool: 'bench-000', queued: 3 });
  const windows = [
    { pool: 'vnet-s3', label: 'pool page visible, idle' },
    { pool: 'nightly-s1', label: 'pool page visible, runs waiting' },
    { pool: 'bench-000', label: 'pool page hidden, runs waiting', hidden: true },
  ];
  for (const w of windows) {
    w.page = (await freshPage(browser)).page;
    await signIn(w.page, emulator, 'Olivia Owner');
    await w.page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/${w.pool}`);
    await w.page.locator('.live-queue .muted', { hasText: 'Updated' }).waitFor();
    if (w.hidden) {
      await w.page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
    }
  }
  // Requests already in flight when a page was hidden belong to before the window: start it
  // once the hidden pool has had no request for two seconds.
  const quietSince = async (name) => {
    for (;;) {
      const m = await emulator.mark();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (!(await emulator.requests(m)).some((e) => decodeURIComponent(e.path).includes(name))) return;
    }
  };
  await quietSince('bench-000');
  const liveMark = await emulator.mark();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000));
  const live = (await emulator.requests(liveMark)).filter((e) => e.listener === 'arm');
  const forPool = (name) => live.filter((e) => decodeURIComponent(e.path).match(new RegExp(`/agentPools/${name}[/?]|'${name}'`)));
  for (const w of windows) {
    console.log(`ARM requests, ${w.label}, ${WINDOW_S} s: ${tally(forPool(w.pool))}`);
    await w.page.context().close();
  }
  const unattributed = live.filter((e) => !windows.some((w) => forPool(w.pool).includes(e)));
  console.log(`ARM requests in that window for no open pool: ${unattributed.length}`);
  if (process.env.BENCH_DEBUG) console.log(unattributed.map((e) => `${e.method} ${e.path}`).join("\n"));

  // A registry with 200 pools (SPEC Q3): load to every row of the pool list rendered.
  const { pools: poolCount } = await admin('/seed-pools', { count: 199 });
  const listTimes = [];
  let listRequests = '';
  for (let i = 0; i < RUNS; i++) {
    const m = await emulator.mark();
    const t0 = Date.now();
    await page.goto(registryUrl);
    await page.getByRole('table', { name: 'Agent pools' }).locator('tbody tr').nth(poolCount - 1).waitFor({ timeout: 60000 });
    listTimes.push(Date.now() - t0);
    listRequests = tally(await emulator.requests(m));
  }
  listTimes.sort((a, b) => a - b);
  const rows = await page.getByRole('table', { name: 'Agent pools' }).locator('tbody tr').count();
  console.log(`registry with ${poolCount} pools → all ${rows} rows rendered: median ${listTimes[RUNS >> 1]} ms, min ${listTimes[0]} ms, max ${listTimes[RUNS - 1]} ms (${listRequests})`);

  // A registry with 10,000 runs: the pool page fetches only its pool's (200 queued, paged).
  const seeded = await admin('/seed-runs', { count: 9800, pool: 'nightly-s1', queued: 0 });
  await admin('/seed-runs', { count: 0, pool: 'nightly-s1', queued: 200 });
  const total = seeded.runs + 200;
  const page2 = (await freshPage(browser)).page;
  const busyPool = `${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/nightly-s1`;
  await signIn(page2, emulator, 'Olivia Owner');
  const renders = [];
  let fetched = '';
  for (let i = 0; i < 3; i++) {
    const m = await emulator.mark();
    const t0 = Date.now();
    await page2.goto(busyPool);
    // Every queued row: as many as the section's heading counts, and at least the 200 seeded.
    await page2.waitForFunction(() => {
      const section = document.querySelector('section[aria-label="Queued runs"]');
      const counted = Number(section?.textContent.match(/Queued \((\d+)\)/)?.[1] ?? 0);
      return counted >= 200 && section.querySelectorAll('li').length === counted;
    }, null, { timeout: 60000 });
    renders.push(Date.now() - t0);
    const runsPages = (await emulator.requests(m)).filter((e) => e.path.includes('/runs?') && e.method === 'GET');
    fetched = `${runsPages.length} runs-list pages`;
  }
  renders.sort((a, b) => a - b);
  const queuedRows = await page2.locator('section[aria-label="Queued runs"] li').count();
  console.log(`pool page, ${total} runs in the emulator, ${queuedRows} queued on the pool → all queued rows rendered: median ${renders[1]} ms (${fetched}; only the pool's runs are fetched)`);
} finally {
  await browser.close();
  await emulator.stop();
}
