// Issue 21's clock journey: a schedule runs in Azure on its own. The emulator's timers are on and
// its clock stands still until the test moves it. Nadia, a Contributor, makes a rule for a few
// minutes ahead: its identity has no role, so when the clock passes the rule its run fails, and
// the pool's page flags it with the reason. Olivia moves the rule and saves it (its role is
// assigned); when the clock passes it, the pool has the rule's count, the run is among the
// pool's scheduled changes with its log, and the Activity tab names the task's identity as the
// writer.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO, CONTOSO_BUILDS, WITH_TIMERS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot } from './support/browser.mjs';

const NADIA = '0a1b2c3d-0003-4000-8000-00000000a003';
const POOL = `${CONTOSO_BUILDS}/agentPools/nightly-s1`;
const MIN = 60_000;
let emulator, browser;
before(async () => {
  emulator = await startEmulator([WITH_TIMERS]);
  browser = await launch();
  // Still: nothing fires until the test moves the clock.
  await emulator.setClock({ speed: 0 });
});
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);

async function on(path, user) {
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, user);
  await page.goto(`${emulator.origins.portal}${path}`);
  return { page, problems };
}

async function serviceNow() {
  return (await (await fetch(`${emulator.origins.admin}/clock`)).json()).nowMs;
}

/** `HH:MM` (UTC) of the whole minute `ahead` minutes from `now`. */
function minuteAhead(now, ahead) {
  const at = Math.floor(now / MIN) * MIN + ahead * MIN;
  const d = new Date(at);
  return { at, hhmm: `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` };
}

const taskName = (hhmm) => `poolportal-nightly-s1-daily-${hhmm.replace(':', '')}-to-1`;

test('a rule fires on the clock: without its role the run fails and the pool page says why; with it the pool scales, the run and its log are on the pool page, and the Activity tab names the task', async () => {
  await emulator.grant(NADIA, CONTOSO, 'Contributor');
  const first = minuteAhead(await serviceNow(), 3);

  // Nadia's rule waits for an administrator.
  const nadia = await on(`${POOL}/schedule`, 'Nadia Newcomer');
  await nadia.page.getByText('No schedule: nightly-s1 keeps its count').waitFor();
  await nadia.page.getByLabel('Time zone').selectOption('UTC');
  await nadia.page.getByRole('button', { name: 'Add a rule' }).click();
  const row = nadia.page.locator('table[aria-label="Rules to save"] tbody tr').last();
  await row.getByLabel('Days').selectOption('daily');
  await row.getByLabel('Time').fill(first.hhmm);
  await row.getByLabel('Instances').fill('1');
  await nadia.page.getByRole('button', { name: 'Save schedule' }).click();
  await nadia.page.locator('ol.steps li.error', { hasText: 'waits for an administrator' }).waitFor();
  await nadia.page.locator('.schedule-next', { hasText: 'No rule can change the pool yet. Rules not active are left out.' }).waitFor();

  // The clock passes the rule: the run fails (no role, so `az login --identity` finds nothing).
  await emulator.setClock({ advanceMs: first.at - (await serviceNow()) + 5 * MIN });
  await nadia.page.goto(`${emulator.origins.portal}${POOL}`);
  const flag = nadia.page.locator('.schedule-failed');
  await flag.waitFor();
  assert.match(await flag.innerText(), new RegExp(`^Every day ${first.hhmm} → 1 did not change the pool: .*no subscriptions were found.* Run \\w+$`, 's'));
  await nadia.page.locator('.status-strip', { hasText: 'S1 × 0' }).waitFor();
  await screenshot(nadia.page, 'schedule-run-failed');
  assert.deepEqual(nadia.problems, []);

  // Olivia moves the rule and saves it: a new task, whose identity she gives its role.
  const second = minuteAhead(await serviceNow(), 3);
  const olivia = await on(`${POOL}/schedule`, 'Olivia Owner');
  await olivia.page.getByRole('heading', { name: 'Change the schedule' }).waitFor();
  await olivia.page.locator('table[aria-label="Rules to save"] tbody tr').first().getByLabel('Time').fill(second.hhmm);
  await olivia.page.getByRole('button', { name: 'Save schedule' }).click();
  await olivia.page.locator('ol.steps li', { hasText: `Gave ${taskName(second.hhmm)}'s identity Container Registry Tasks Contributor` }).waitFor();
  await olivia.page.locator('.schedule-next', { hasText: `→ 1 instance (UTC)` }).waitFor();

  // The clock passes it: the identity scales the pool.
  await emulator.setClock({ advanceMs: second.at - (await serviceNow()) + 5 * MIN });
  await olivia.page.goto(`${emulator.origins.portal}${POOL}`);
  await olivia.page.locator('.status-strip', { hasText: 'S1 × 1' }).waitFor();
  const changes = olivia.page.getByRole('table', { name: 'Scheduled changes' }).locator('tbody tr');
  await changes.first().waitFor();
  const texts = await changes.allInnerTexts();
  // Only the schedule's tasks' runs: the failed one belonged to the task the move deleted.
  assert.equal(texts.length, 1, texts.join(' | '));
  assert.match(texts[0], new RegExp(`→ 1 instance \\(Every day ${second.hhmm} rule\\)\\s+Succeeded`));
  assert.equal(await olivia.page.locator('.schedule-failed').count(), 0, 'no rule whose newest run failed');
  await screenshot(olivia.page, 'schedule-run-succeeded');

  // Its log: `az login --identity` as the task's identity (MSI), then the pool the update printed.
  await changes.first().getByRole('link').click();
  const log = olivia.page.getByRole('region', { name: 'Run log' });
  await log.getByText('Successfully executed container: acb_step_1', { exact: false }).waitFor();
  const printed = await log.innerText();
  assert.match(printed, /"assignedIdentityInfo": "MSI"/);
  assert.match(printed, /"count": 1,[\s\S]*"name": "nightly-s1"/);

  // Who changed it: the task, by its identity, not a person.
  await olivia.page.goto(`${emulator.origins.portal}${POOL}/activity`);
  const byTask = olivia.page.locator('table.activity tbody tr', { hasText: `Task ${taskName(second.hhmm)}` });
  await byTask.first().waitFor();
  assert.match(await byTask.first().innerText(), /its managed identity, app [0-9a-f-]{36}[\s\S]*Scale (0 → |to )1[\s\S]*Succeeded/);
  // The log view's tail asks for bytes past the end of a finished log: 416 is the answer it expects.
  assert.deepEqual(olivia.problems.filter((p) => !/status of 416/.test(p)), []);
});
