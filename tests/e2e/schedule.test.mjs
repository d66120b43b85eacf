// Journeys of issue 21, scheduled scaling with no server of ours: a pool's schedule read as rules
// in a zone and as Azure runs them (UTC cron tasks under managed identities), made and removed
// from the Schedule tab (tasks, timers and role assignments appear and go on ARM), a Contributor's
// schedule waiting for an administrator with the command to hand over until Olivia assigns the
// roles, read-only for a Reader, and axe on the tab.
import { test, before, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, CONTOSO, CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot, fitsWidth } from './support/browser.mjs';
import { axe } from './support/axe.mjs';

const TASKS_API = 'api-version=2019-06-01-preview';
const ROLES_API = 'api-version=2022-04-01';
const TASKS_CONTRIBUTOR = 'fb382eab-e894-4461-af04-94435c366c3f';
const NADIA = '0a1b2c3d-0003-4000-8000-00000000a003';
const schedulePath = (pool) => `${CONTOSO_BUILDS}/agentPools/${pool}/schedule`;
let emulator, browser;
before(async () => { emulator = await startEmulator(['--speed', '20']); browser = await launch(); });
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);
beforeEach(async () => { await emulator.reset(); await emulator.setFaults({}); });

async function on(path, user = 'Olivia Owner', size) {
  const { page, problems } = await freshPage(browser, size);
  await signIn(page, emulator, user);
  await page.goto(`${emulator.origins.portal}${path}`);
  return { page, problems };
}

/** The schedule tasks ARM holds for a pool, with their identities' roles on the registry. */
async function scheduleOnArm(pool) {
  const tasks = (await emulator.armList(`${CONTOSO_BUILDS}/tasks?${TASKS_API}`)).filter((t) => t.tags?.['poolportal-pool'] === pool);
  const out = [];
  for (const t of tasks) {
    const principal = t.identity?.principalId;
    const filter = encodeURIComponent(`principalId eq '${principal}'`);
    const roles = principal ? await emulator.armList(`${CONTOSO_BUILDS}/providers/Microsoft.Authorization/roleAssignments?${ROLES_API}&$filter=${filter}`) : [];
    out.push({
      name: t.name,
      cron: t.properties.trigger?.timerTriggers?.[0]?.schedule,
      pool: t.properties.agentPoolName ?? null,
      principal,
      tasksContributor: roles.some((r) => r.properties.roleDefinitionId.endsWith(TASKS_CONTRIBUTOR) && r.properties.scope === CONTOSO_BUILDS),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const rows = (page) => page.locator('table[aria-label="Schedule rules"] tbody tr');

/** Adds a rule in the editor: days (a select value), a time and a count. */
async function addRule(page, days, time, count) {
  await page.getByRole('button', { name: 'Add a rule' }).click();
  const row = page.locator('table[aria-label="Rules to save"] tbody tr').last();
  await row.getByLabel('Days').selectOption(days);
  await row.getByLabel('Time').fill(time);
  await row.getByLabel('Instances').fill(String(count));
}

test('build-s2\'s schedule reads as rules in its zone and as Azure runs them, active, with the next change; a Reader sees it without an editor', async () => {
  const { page, problems } = await on(schedulePath('build-s2'));
  await rows(page).first().waitFor();
  assert.equal(await rows(page).count(), 2);
  const texts = await rows(page).allInnerTexts();
  assert.match(texts[0], /Mon–Fri\s+07:00\s+2\s+0 7 \* \* 1-5 UTC[\s\S]*poolportal-build-s2-weekdays-0700-to-2[\s\S]*Active/);
  assert.match(texts[1], /Mon–Fri\s+20:00\s+0\s+0 20 \* \* 1-5 UTC[\s\S]*Active/);
  assert.match(texts[0], /Last run cs\d+: Succeeded/, 'what its timer last did');
  // The next change is the sooner of the two crons after now.
  const now = Date.now();
  const next = [7, 20].flatMap((h) => [0, 1, 2, 3, 4, 5, 6, 7].map((d) => {
    const t = new Date(now); t.setUTCHours(h, 0, 0, 0); t.setUTCDate(t.getUTCDate() + d);
    return { at: t.getTime(), count: h === 7 ? 2 : 0 };
  })).filter((c) => c.at > now && [1, 2, 3, 4, 5].includes(new Date(c.at).getUTCDay())).sort((a, b) => a.at - b.at)[0];
  const hhmm = next.at % 86400000 === 7 * 3600000 ? '07:00' : '20:00';
  assert.match(await page.locator('.schedule-next').innerText(), new RegExp(`Next change: \\w{3} \\d+ \\w{3} ${hhmm} → ${next.count} instances? \\(UTC\\)`));
  // Olivia may change it: the editor holds the two rules, in UTC.
  await page.getByRole('heading', { name: 'Change the schedule' }).waitFor();
  assert.equal(await page.getByLabel('Time zone').inputValue(), 'UTC');
  await screenshot(page, 'schedule-build-s2');
  assert.deepEqual(problems, []);

  const reader = await on(schedulePath('build-s2'), 'Rhea Reader');
  await rows(reader.page).first().waitFor();
  assert.equal(await rows(reader.page).count(), 2);
  await reader.page.locator('p.read-only').waitFor();
  assert.equal(await reader.page.getByRole('button', { name: 'Save schedule' }).count(), 0, 'no form a Reader cannot send');
});

test('a schedule made on the tab is tasks with timers, identities and roles on ARM, rewritten only where it changes, and removing it deletes them all', async () => {
  const { page, problems } = await on(schedulePath('nightly-s1'));
  await page.getByText('No schedule: nightly-s1 keeps its count').waitFor();
  await page.getByLabel('Time zone').selectOption('UTC');
  await addRule(page, 'mon-fri', '08:00', 1);
  await addRule(page, 'mon-fri', '18:00', 0);
  // The az equivalent says what will be written.
  const cli = page.locator('.cli').last();
  await cli.getByText("az acr task create -r contosobuilds -n poolportal-nightly-s1-weekdays-0800-to-1 -f poolportal-nightly-s1-weekdays-0800-to-1.yaml --context /dev/null --schedule '0 8 * * 1-5' --assign-identity '[system]'", { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await page.locator('ol.steps li', { hasText: 'Gave poolportal-nightly-s1-weekdays-1800-to-0\'s identity Container Registry Tasks Contributor' }).waitFor();
  let arm = await scheduleOnArm('nightly-s1');
  assert.deepEqual(arm.map((t) => [t.name, t.cron, t.pool, t.tasksContributor]), [
    ['poolportal-nightly-s1-weekdays-0800-to-1', '0 8 * * 1-5', null, true],
    ['poolportal-nightly-s1-weekdays-1800-to-0', '0 18 * * 1-5', null, true],
  ]);
  await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Schedule rules"] tbody tr').length === 2);
  assert.equal(await rows(page).filter({ hasText: 'Active' }).count(), 2);

  // Change one rule: only its task is written again; the other keeps its identity.
  const kept = arm[0].principal;
  const second = page.locator('table[aria-label="Rules to save"] tbody tr').nth(1);
  await second.getByLabel('Time').fill('19:00');
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await page.locator('ol.steps li', { hasText: 'Deleted task poolportal-nightly-s1-weekdays-1800-to-0' }).waitFor();
  await page.locator('ol.steps li', { hasText: 'Gave poolportal-nightly-s1-weekdays-1900-to-0' }).waitFor();
  assert.equal(await page.locator('ol.steps li', { hasText: 'weekdays-0800-to-1' }).count(), 0, 'the unchanged rule is not written');
  arm = await scheduleOnArm('nightly-s1');
  assert.deepEqual(arm.map((t) => t.cron), ['0 8 * * 1-5', '0 19 * * 1-5']);
  assert.equal(arm[0].principal, kept);

  // Remove: a second click confirms; tasks and their roles go.
  await page.getByRole('button', { name: 'Remove schedule' }).click();
  await page.getByRole('button', { name: 'Confirm: delete its tasks and roles' }).click();
  await page.getByText('No schedule: nightly-s1 keeps its count').waitFor();
  assert.deepEqual(await scheduleOnArm('nightly-s1'), []);
  const roles = await emulator.armList(`${CONTOSO_BUILDS}/providers/Microsoft.Authorization/roleAssignments?${ROLES_API}&$filter=${encodeURIComponent(`principalId eq '${kept}'`)}`);
  assert.deepEqual(roles, [], 'no role left behind for a deleted identity');
  assert.deepEqual(problems, []);
});

test('a Contributor\'s schedule waits for an administrator with the command to hand over; once Olivia saves it, the Contributor\'s page says it is active on its own', async () => {
  await emulator.grant(NADIA, CONTOSO, 'Contributor');
  const nadia = await on(schedulePath('nightly-s1'), 'Nadia Newcomer');
  await nadia.page.getByText('No schedule: nightly-s1 keeps its count').waitFor();
  await nadia.page.getByLabel('Time zone').selectOption('UTC');
  await addRule(nadia.page, 'mon-fri', '08:00', 1);
  await nadia.page.getByRole('button', { name: 'Save schedule' }).click();
  await nadia.page.locator('ol.steps li.error', { hasText: 'waits for an administrator' }).waitFor();
  await rows(nadia.page).filter({ hasText: 'Waiting for an administrator' }).waitFor();
  const [task] = await scheduleOnArm('nightly-s1');
  assert.equal(task.tasksContributor, false, 'the task is made, its role is not');
  const handover = nadia.page.locator('.handover .cli');
  assert.match(await handover.innerText(), new RegExp(`az role assignment create --assignee-object-id ${task.principal} --assignee-principal-type ServicePrincipal --role 'Container Registry Tasks Contributor' --scope ${CONTOSO_BUILDS.replaceAll('/', '\\/')}`));
  await screenshot(nadia.page, 'schedule-waiting');

  // Olivia, an administrator, saves it as it is: the role is assigned and nothing else changes.
  const olivia = await on(schedulePath('nightly-s1'));
  await rows(olivia.page).filter({ hasText: 'Waiting for an administrator' }).waitFor();
  await olivia.page.locator('.handover', { hasText: 'saving the schedule again assigns it' }).waitFor();
  await olivia.page.getByRole('button', { name: 'Save schedule' }).click();
  await olivia.page.locator('ol.steps li', { hasText: 'Gave poolportal-nightly-s1-weekdays-0800-to-1\'s identity' }).waitFor();
  assert.equal((await scheduleOnArm('nightly-s1'))[0].tasksContributor, true);
  // Nadia's page looks again on its own (every 15 s while an identity waits).
  await rows(nadia.page).filter({ hasText: 'Active' }).waitFor({ timeout: 40_000 });
  assert.deepEqual(nadia.problems, []);
});

test('from Insights: Propose a schedule, side by side with fixed counts, then Apply, then save: the tasks and roles appear', async () => {
  // The clock stands still: the week the page reads is the week it replays.
  await emulator.setClock({ speed: 0 });
  const { page, problems } = await freshPage(browser, { timezoneId: 'Europe/London' });
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${CONTOSO_BUILDS}/agentPools/build-s2/insights?window=7d`);
  await page.locator('.history-status', { hasText: / as of / }).waitFor();
  await page.getByRole('button', { name: 'Propose a schedule' }).click();
  const proposed = page.getByRole('list', { name: 'Proposed rules' }).locator('li');
  await proposed.first().waitFor();
  const rules = await proposed.allInnerTexts();
  assert.ok(rules.length >= 1 && rules.every((r) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Every day)[^→]* \d\d:\d\d → \d+ instances?$/.test(r)), rules.join(' | '));
  const table = page.getByRole('table', { name: 'A schedule against fixed counts' });
  assert.equal(await table.locator('tbody tr').count(), 3);
  assert.match(await table.locator('tbody tr').nth(0).innerText(), /^Now: 2 all week/);
  assert.match(await table.locator('tbody tr').nth(1).innerText(), /^The proposed schedule/);
  await screenshot(page, 'schedule-proposal');

  await page.getByRole('link', { name: 'Apply this schedule' }).click();
  await page.getByText("Filled in from the sizing advisor's proposal").waitFor();
  assert.equal(await page.getByLabel('Time zone').inputValue(), 'Europe/London');
  assert.equal(await page.locator('table[aria-label="Rules to save"] tbody tr').count(), rules.length, 'every proposed rule filled in');
  assert.equal((await scheduleOnArm('build-s2')).length, 2, 'nothing written before saving');
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('table[aria-label="Schedule rules"] tbody tr').length === n, rules.length);
  const arm = await scheduleOnArm('build-s2');
  assert.equal(arm.length, rules.length);
  assert.ok(arm.every((t) => t.tasksContributor && t.pool === null && /^\d+ \d+ \* \* [\d,*-]+$/.test(t.cron)), JSON.stringify(arm));
  assert.ok(arm.every((t) => t.name.startsWith('poolportal-build-s2-')));
  // Saved: the editor holds what Azure holds, and the link no longer carries the proposal.
  await page.getByText("Filled in from the sizing advisor's proposal").waitFor({ state: 'detached' });
  assert.equal(new URL(page.url()).search, '');
  assert.deepEqual(problems, []);
});

test('a zone the browser does not know, in a tag or a link, reads as UTC instead of breaking the tab', async () => {
  const tags = `${CONTOSO_BUILDS}/tasks/poolportal-build-s2-weekdays-0700-to-2/providers/Microsoft.Resources/tags/default?api-version=2021-04-01`;
  const tagged = await emulator.armSend('PATCH', tags, { operation: 'Merge', properties: { tags: { 'poolportal-zone': 'Mars/Olympus_Mons' } } });
  assert.equal(tagged.status, 200, JSON.stringify(tagged.body));
  const { page, problems } = await on(`${schedulePath('build-s2')}?rules=${encodeURIComponent('mon-fri 07:00 2')}&zone=Not%2FA_Zone`);
  await rows(page).first().waitFor();
  await page.getByRole('columnheader', { name: 'Time (UTC)' }).first().waitFor();
  assert.equal(await page.getByLabel('Time zone').inputValue(), 'UTC');
  assert.deepEqual(problems, []);
});

test('the Schedule tab has nothing for axe at any impact, light and dark, at 1280 and 360 px', async () => {
  for (const [width, height] of [[1280, 800], [360, 740]]) {
    const { page } = await on(schedulePath('build-s2'), 'Olivia Owner', { width, height });
    await rows(page).first().waitFor();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      assert.deepEqual(await axe(page, `schedule ${width} ${scheme}`), [], `${width} ${scheme}`);
    }
    assert.ok(await fitsWidth(page), `no sideways scroll at ${width}`);
    if (width === 360) await screenshot(page, 'schedule-360');
  }
});
