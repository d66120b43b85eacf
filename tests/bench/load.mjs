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

  // Live queue on a pool with runs waiting: what a minute costs visible, and hidden.
  const WINDOW_MS = 60_000;
  const busyPool = `${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/nightly-s1`;
  await page.goto(busyPool);
  await page.locator('.live-queue .muted', { hasText: 'Updated' }).waitFor();
  let mark = await emulator.mark();
  await page.waitForTimeout(WINDOW_MS);
  console.log(`ARM requests, live queue visible (runs waiting) for 60 s: ${tally(await emulator.requests(mark))} (×5 for 5 min)`);
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForTimeout(2000);
  mark = await emulator.mark();
  await page.waitForTimeout(WINDOW_MS);
  console.log(`ARM requests, live queue hidden for 60 s: ${tally(await emulator.requests(mark))}`);
} finally {
  await browser.close();
  await emulator.stop();
}
