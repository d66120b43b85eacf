// Pool insights at scale (issue 12), printed, never asserted. A week of 10,000 runs seeded on
// fabrikamresearch/train-s1 (S1, 4 instances; the default quota allows it 8):
// - runs-list pages fetched, and the time to the first chart, to the whole week, to the advice;
// - the advisor's replay for k = 0 … 8, as the browser timed it (data-replay-ms), per target;
// - redrawing every chart from the week already read (24 hours → 7 days, no request).
import { startEmulator, registryPath, FABRIKAM } from '../e2e/support/emulator.mjs';
import { launch, freshPage, signIn } from '../e2e/support/browser.mjs';

const RUNS = 10000;
const POOL = `${registryPath(FABRIKAM, 'rg-research', 'fabrikamresearch')}/agentPools/train-s1`;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const emulator = await startEmulator();
const browser = await launch();
try {
  const seeded = await (await fetch(`${emulator.origins.admin}/seed-history`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ registry: 'fabrikamresearch', pool: 'train-s1', count: 4, runs: RUNS, days: 7, medianRunSeconds: 60, seed: 3 }),
  })).json();

  const { page } = await freshPage(browser, { width: 1280, height: 900 });
  await signIn(page, emulator, 'Olivia Owner');
  const mark = await emulator.mark();
  const start = Date.now();
  await page.goto(`${emulator.origins.portal}${POOL}/insights`);
  await page.locator('.chart-svg').first().waitFor({ timeout: 120000 });
  const firstChart = Date.now() - start;
  await page.locator('.history-status', { hasText: ' as of ' }).waitFor({ timeout: 600000 });
  const whole = Date.now() - start;
  await page.locator('table.advice').waitFor({ timeout: 60000 });
  const advised = Date.now() - start;
  const runsRequests = (await emulator.requests(mark)).filter((e) => e.listener === 'arm' && e.method === 'GET' && /\/runs\?/.test(e.path));
  const pages = runsRequests.length;
  // The same pages read by Node, one after another: what the emulator and the network take, so
  // the rest of the browser's time is the portal's.
  const nodeStart = performance.now();
  await emulator.armList(runsRequests[0].path);
  const nodeMs = performance.now() - nodeStart;
  const runs = await page.locator('dd.runs-total').innerText();
  const ks = await page.locator('table.advice tbody tr').count();

  // The replay, once per target (each change replays every k).
  const replays = [Number(await page.locator('table.advice').getAttribute('data-replay-ms'))];
  for (const target of [30, 120, 300, 600, 1800, 5, 90, 240]) {
    await page.locator('#advisor-target').fill(String(target));
    await page.locator('#advisor-target').press('Enter');
    await page.locator(`table.advice[data-target="${target}"]`).waitFor();
    replays.push(Number(await page.locator('table.advice').getAttribute('data-replay-ms')));
  }
  const advice = await page.locator('table.advice tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  await page.locator('#advisor-target').fill('60');
  await page.locator('#advisor-target').press('Enter');
  await page.locator('table.advice[data-target="60"]').waitFor();
  const verdict = await page.locator('.advisor .verdict').innerText();
  const advice60 = await page.locator('table.advice tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));

  // Every chart redrawn from the week in memory: the last 24 hours, then the week again.
  const redraws = [];
  for (let i = 0; i < 5; i++) {
    for (const [label, expect] of [['Last 24 hours', null], ['Last 7 days', runs]]) {
      const before = await emulator.mark();
      const t0 = await page.evaluate(() => performance.now());
      await page.getByLabel(label).check();
      const done = expect
        ? await page.waitForFunction((n) => document.querySelector('dd.runs-total')?.textContent === n && performance.now(), expect, { polling: 'raf' })
        : await page.waitForFunction((n) => document.querySelector('dd.runs-total')?.textContent !== n && performance.now(), runs, { polling: 'raf' });
      if (expect) redraws.push((await done.jsonValue()) - t0);
      const extra = (await emulator.requests(before)).filter((e) => /\/runs\?/.test(e.path)).length;
      if (extra) throw new Error(`switching the window read ${extra} pages`);
    }
  }

  // Issue 21: "Propose a schedule" over the week, side by side with fixed counts (Europe/London
  // is not asked: the browser's zone is the bench machine's, UTC on CI).
  await page.getByRole('button', { name: 'Propose a schedule' }).click();
  const proposal = page.getByRole('table', { name: 'A schedule against fixed counts' });
  await proposal.waitFor({ timeout: 60000 });
  const proposeMs = Number(await proposal.getAttribute('data-propose-ms'));
  const proposedRules = await page.getByRole('list', { name: 'Proposed rules' }).locator('li').allInnerTexts();
  const sideBySide = await proposal.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  const proposalVerdict = await page.locator('.proposal-verdict').innerText();

  console.log('\n== pool insights: a week of runs on one pool (tests/bench/insights.mjs)');
  console.log(`seeded: ${seeded.runs} runs over 7 days (asked ${RUNS}; runs not finished by the end are left out)`);
  console.log(`runs read: ${runs} in ${pages} list pages (100 a page)`);
  console.log(`open → first chart: ${firstChart} ms; → whole week read: ${whole} ms; → advice: ${advised} ms`);
  console.log(`the same ${pages} pages read by Node alone: ${nodeMs.toFixed(0)} ms`);
  console.log(`advisor replay, k = 0 … ${ks - 1} (browser-timed): median ${median(replays).toFixed(1)} ms, max ${Math.max(...replays).toFixed(1)} ms over ${replays.length} targets (goal < 100 ms)`);
  console.log(`charts redrawn from memory (24 h → 7 days, ${runs} runs): median ${median(redraws).toFixed(0)} ms, max ${Math.max(...redraws).toFixed(0)} ms (5 times, to the next frame)`);
  console.log(`advice at a 60 s target: ${verdict}`);
  console.log('instances | wait p50 | wait p95 | never ran | vCPU-hours');
  for (const row of advice60) console.log(row.join(' | '));
  console.log(`\n== a proposed schedule for the same week (issue 21), target 60 s`);
  console.log(`proposed rules: ${proposedRules.join('; ')}`);
  console.log(`propose + replay the schedule and every fixed count (browser-timed): ${proposeMs.toFixed(1)} ms`);
  console.log('over the week | wait p50 | wait p95 | never ran | vCPU-hours');
  for (const row of sideBySide) console.log(row.join(' | '));
  console.log(proposalVerdict);
  void advice;
} finally {
  await browser.close();
  await emulator.stop();
}
