// "Show me the queue", side by side in one run on this machine (printed, never asserted):
// - `az acr agentpool show --queue-count`, a whole process each time, as a user types it;
// - the portal's pool page: one live refresh (from "refreshing…" to the new numbers on screen),
//   and opening the page until the queued count shows.
import { startWithCli } from '../cli/support/az.mjs';
import { launch, freshPage, signIn } from '../e2e/support/browser.mjs';
import { CONTOSO_BUILDS } from '../e2e/support/emulator.mjs';

const RUNS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const cli = await startWithCli();
const browser = await launch();
try {
  await cli.signIn();
  const args = ['acr', 'agentpool', 'show', '-r', 'contosobuilds', '-n', 'nightly-s1', '--queue-count'];
  await cli.azOk(args); // the first run compiles nothing later runs need to; not counted
  const azTimes = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await cli.azOk(args);
    azTimes.push(performance.now() - t0);
  }

  const { page } = await freshPage(browser);
  await signIn(page, cli.emulator, 'Olivia Owner');
  const poolUrl = `${cli.emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/nightly-s1`;
  const openTimes = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await page.goto(poolUrl);
    await page.locator('p.queued-count').filter({ hasText: /\d+ queued/ }).waitFor();
    openTimes.push(performance.now() - t0);
  }
  // The live view refreshes every 5 s while runs wait: time each refresh in the page itself.
  const refreshTimes = await page.evaluate((runs) => new Promise((resolve) => {
    const label = document.querySelector('.live-controls [aria-live]');
    const times = [];
    let started = null;
    new MutationObserver(() => {
      const refreshing = label.textContent.includes('refreshing');
      if (refreshing && started === null) started = performance.now();
      if (!refreshing && started !== null) {
        times.push(performance.now() - started);
        started = null;
        if (times.length === runs) resolve(times);
      }
    }).observe(label, { childList: true, characterData: true, subtree: true });
  }), RUNS);

  const az = median(azTimes);
  const refresh = median(refreshTimes);
  const open = median(openTimes);
  console.log('\n== show me the queue (nightly-s1, emulator on loopback)');
  console.log(`az acr agentpool show --queue-count, whole process (${RUNS} runs): median ${az.toFixed(0)} ms, min ${Math.min(...azTimes).toFixed(0)}, max ${Math.max(...azTimes).toFixed(0)}`);
  console.log(`portal pool page, one live refresh (${RUNS}): median ${refresh.toFixed(0)} ms, min ${Math.min(...refreshTimes).toFixed(0)}, max ${Math.max(...refreshTimes).toFixed(0)}`);
  console.log(`portal pool page, opened until the count shows (${RUNS}): median ${open.toFixed(0)} ms`);
  console.log(`ratio az / live refresh: ${(az / refresh).toFixed(1)}×; az / page open: ${(az / open).toFixed(1)}×`);
} finally {
  await browser.close();
  await cli.stop();
}
