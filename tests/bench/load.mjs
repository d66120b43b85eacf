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

  // Live queue: what a minute costs on an idle pool page, a busy one (runs waiting), a hidden one.
  const WINDOW_MS = 60_000;
  const idlePool = `${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/vnet-s3`;
  await page.goto(idlePool);
  await page.locator('.live-queue .muted', { hasText: 'Updated' }).waitFor();
  const idleMark = await emulator.mark();
  await page.waitForTimeout(WINDOW_MS);
  console.log(`ARM requests, pool page visible, idle, 60 s: ${tally(await emulator.requests(idleMark))}`);
  const busyPool = `${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/nightly-s1`;
  await page.goto(busyPool);
  await page.locator('.live-queue .muted', { hasText: 'Updated' }).waitFor();
  let mark = await emulator.mark();
  await page.waitForTimeout(WINDOW_MS);
  console.log(`ARM requests, pool page visible, runs waiting, 60 s: ${tally(await emulator.requests(mark))}`);
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForTimeout(2000);
  mark = await emulator.mark();
  await page.waitForTimeout(WINDOW_MS);
  console.log(`ARM requests, pool page hidden, runs waiting, 60 s: ${tally(await emulator.requests(mark))}`);

  // A registry with 10,000 runs: the pool page fetches only its pool's (200 queued, paged).
  const seeded = await fetch(`${emulator.origins.admin}/seed-runs`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: 9800, pool: 'nightly-s1', queued: 0 }),
  });
  await fetch(`${emulator.origins.admin}/seed-runs`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: 0, pool: 'nightly-s1', queued: 200 }),
  });
  const total = (await seeded.json()).runs + 200;
  const page2 = (await freshPage(browser)).page;
  await signIn(page2, emulator, 'Olivia Owner');
  const renders = [];
  let fetched = '';
  for (let i = 0; i < 3; i++) {
    const m = await emulator.mark();
    const t0 = Date.now();
    await page2.goto(busyPool);
    await page2.locator('section[aria-label="Queued runs"] li').nth(199).waitFor({ timeout: 60000 });
    renders.push(Date.now() - t0);
    const runsPages = (await emulator.requests(m)).filter((e) => e.path.includes('/runs?') && e.method === 'GET');
    fetched = `${runsPages.length} runs-list pages`;
  }
  renders.sort((a, b) => a - b);
  console.log(`pool page with ${total} runs in the registry (202 queued on the pool) → all queued rows rendered: median ${renders[1]} ms (${fetched}; only the pool's runs are fetched)`);
} finally {
  await browser.close();
  await emulator.stop();
}
