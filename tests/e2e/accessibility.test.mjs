// Every page and dialog, light and dark: axe-core finds no serious or critical violation, and at
// 360 px and 1280 px nothing scrolls sideways or is clipped (issue 6). Screenshots of each land
// in tests/e2e/artifacts as a11y-<view>-<scheme>-<width>.png.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot, fitsWidth } from './support/browser.mjs';
import { blockingViolations } from './support/axe.mjs';

let emulator, browser;
before(async () => { emulator = await startEmulator(); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);

const at = (path) => async (page) => { await page.goto(`${emulator.origins.portal}${path}`); };
const POOL = `${CONTOSO_BUILDS}/agentPools/build-s2`;

/** Each view: how to reach it from a signed-in page, and what shows it has rendered. */
const VIEWS = [
  ['subscriptions', at('/'), 'table[aria-label="Subscriptions"]'],
  ['account-menu', async (page) => { await at('/')(page); await page.locator('details.account summary').click(); }, 'details.account[open] button'],
  ['registries', at(`/subscriptions/${CONTOSO}`), 'table[aria-label="Container registries"]'],
  ['pools', at(CONTOSO_BUILDS), 'table[aria-label="Agent pools"]'],
  ['fleet', at('/pools'), 'table.fleet tfoot'],
  ['fleet-filtered', at('/pools?tier=S1&q=s1'), 'table.fleet tfoot'],
  ['pool', at(POOL), '#scale-count'],
  ['insights', at(`${POOL}/insights`), 'table.advice'],
  ['pool-activity', at(`${POOL}/activity`), 'table.activity'],
  ['registry-activity', at(`${CONTOSO_BUILDS}/activity?window=30d`), 'table.activity'],
  ['pause-form', async (page) => { await at(POOL)(page); await page.getByRole('button', { name: 'Pause…' }).click(); }, '#pause-reason'],
  ['delete-confirm', async (page) => { await at(POOL)(page); await page.getByRole('button', { name: 'Delete pool…' }).click(); }, '#delete-confirm'],
  ['pool-queued', at(`${CONTOSO_BUILDS}/agentPools/nightly-s1`), 'text=2 queued'],
  ['pool-in-subnet', at(`${CONTOSO_BUILDS}/agentPools/vnet-s3`), 'text=VNet readiness'],
  ['create', at(`${CONTOSO_BUILDS}/createAgentPool`), '#pool-subnet[aria-describedby]'],
  ['create-nsg-fix', async (page) => {
    await at(`${CONTOSO_BUILDS}/createAgentPool`)(page);
    await page.locator('#pool-subnet[aria-describedby]').waitFor();
    await page.locator('#pool-name').fill('locked-s1');
    await page.locator('#pool-subnet').fill('vnet-builds/snet-locked');
  }, 'pre.fixes code'],
  ['run', at(`${CONTOSO_BUILDS}/runs/ca1`), '.log-line'],
  ['bad-link', at(`${CONTOSO_BUILDS}/agentPools/x_y`), 'text=This link does not lead to a page'],
  ['missing-pool', at(`${CONTOSO_BUILDS}/agentPools/no-such-pool`), '.missing ul.plain-list a'],
  ['missing-run', at(`${CONTOSO_BUILDS}/runs/zz99`), '.missing'],
  ['pool-runs', at(`${POOL}/runs`), 'table[aria-label="Runs"] tbody tr'],
  ['switcher', async (page) => { await at(POOL)(page); await page.locator('#scale-count').waitFor(); await page.keyboard.press('Control+k'); }, '#switcher-input'],
  ['shortcuts', async (page) => { await at(POOL)(page); await page.locator('#scale-count').waitFor(); await page.locator('body').press('?'); }, 'dialog#shortcuts[open]'],
  ['operations-tray', async (page) => { await at(POOL)(page); await page.locator('details.tray summary').click(); }, 'details.tray[open] .tray-menu'],
];

/** Elements cut off: content wider than a box that hides its overflow (an ellipsis is meant). */
function clipped(page) {
  return page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => {
    const s = getComputedStyle(e);
    // Form fields scroll their own text, and visually-hidden labels are 1 px on purpose.
    if (e.matches('input, textarea, select, .visually-hidden')) return false;
    if (!/hidden|clip/.test(s.overflowX) || s.textOverflow === 'ellipsis') return false;
    return e.scrollWidth > e.clientWidth + 1;
  }).map((e) => e.outerHTML.slice(0, 120)));
}

async function audit(page, name, scheme, failures) {
  const violations = await blockingViolations(page, `${name} (${scheme})`);
  if (violations.length) failures.push(`${name} ${scheme}: ${JSON.stringify(violations, null, 1)}`);
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 800 });
    if (!(await fitsWidth(page))) failures.push(`${name} ${scheme} ${width}px scrolls sideways`);
    const cut = await clipped(page);
    if (cut.length) failures.push(`${name} ${scheme} ${width}px clips: ${cut.join(' | ')}`);
    await screenshot(page, `a11y-${name}-${scheme}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

for (const scheme of ['light', 'dark']) {
  test(`every signed-in page and dialog passes axe and fits, ${scheme}`, async () => {
    const { page, problems } = await freshPage(browser);
    await page.emulateMedia({ colorScheme: scheme });
    await signIn(page, emulator, 'Olivia Owner');
    const failures = [];
    for (const [name, reach, ready] of VIEWS) {
      await reach(page);
      await page.locator(ready).first().waitFor();
      await audit(page, name, scheme, failures);
    }
    assert.deepEqual(failures, []);
    // The browser logs expected answers as failed loads: the missing pool (404) and a log read
    // past its end (416).
    assert.deepEqual(problems.filter((p) => !/status of (404|416)/.test(p)), []);
  });

  test(`the signed-out and setup pages pass axe and fit, ${scheme}`, async () => {
    const failures = [];
    const { page } = await freshPage(browser);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${emulator.origins.portal}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await audit(page, 'signed-out', scheme, failures);

    const setup = (await freshPage(browser)).page;
    await setup.emulateMedia({ colorScheme: scheme });
    await setup.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: '{"cloud":"Mars"}' }));
    await setup.goto(`${emulator.origins.portal}/`);
    await setup.getByRole('heading', { name: 'Pool Portal needs setting up' }).waitFor();
    await audit(setup, 'setup', scheme, failures);
    assert.deepEqual(failures, []);
  });
}
