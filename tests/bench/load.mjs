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

  const count = async (url, ready) => {
    const mark = await emulator.mark();
    await page.goto(url);
    await ready();
    const log = (await emulator.requests(mark)).filter((e) => e.listener === 'arm');
    const get = log.filter((e) => e.method === 'GET').length;
    return `${get} GET + ${log.length - get} preflight`;
  };
  console.log(`ARM requests, open registry page: ${await count(registryUrl, () => page.getByRole('table', { name: 'Agent pools' }).waitFor())}`);
  console.log(`ARM requests, open pool page:     ${await count(poolUrl, () => page.locator('dl.pool-facts').waitFor())}`);
} finally {
  await browser.close();
  await emulator.stop();
}
