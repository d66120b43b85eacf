// The `az` command beside each form (SPEC F14), run for real (issue 10): for every form that
// echoes one, submit the form and keep what ARM then holds; put the emulator back to its demo
// state; paste the page's command into the real Azure CLI; ARM must then hold the same thing.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { CONTOSO_BUILDS } from './support/emulator.mjs';
import { launch, closePages, freshPage, signIn, screenshot } from './support/browser.mjs';
import { startWithCli, shellWords, waitFor } from '../cli/support/az.mjs';

const API = 'api-version=2019-06-01-preview';
let cli, emulator, browser;
before(async () => {
  cli = await startWithCli(['--speed', '20']);
  emulator = cli.emulator;
  await cli.signIn();
  browser = await launch();
});
after(async () => { await browser?.close(); await cli?.stop(); });
afterEach(closePages);

/** The portal's commands, as shown: one block, one line, one `az …` each. */
async function echoed(scope) {
  const lines = await scope.locator('.cli pre code').allInnerTexts();
  assert.ok(lines.length > 0 && lines.every((l) => l.startsWith('az ') && !l.includes('\n')), `az commands: ${lines}`);
  return lines;
}

/** Back to the demo data, then the page's command through the real CLI, line by line. */
async function runEchoed(lines) {
  await emulator.reset();
  for (const line of lines) await cli.azOk(shellWords(line).slice(1));
}

async function ownerOn(path) {
  await emulator.reset();
  const { page, problems } = await freshPage(browser);
  await signIn(page, emulator, 'Olivia Owner');
  await page.goto(`${emulator.origins.portal}${path}`);
  return { page, problems };
}

const get = (path) => emulator.armSend('GET', `${path}${path.includes('?') ? '&' : '?'}${API}`);
const poolPath = (name) => `${CONTOSO_BUILDS}/agentPools/${name}`;
/** A pool once its operations have ended, as ARM shows it; without its systemData, which names
 * who wrote it and when (the portal's user, or the CLI's service principal a moment later). */
const settledPool = async (name) => {
  const r = await waitFor(() => get(poolPath(name)), (r) => r.status === 200 && !/ing$/.test(r.body.properties.provisioningState), { what: `${name} settled` });
  assert.ok(r.body.systemData?.lastModifiedBy, 'Azure says who changed it');
  const { systemData: _, ...rest } = r.body;
  return { ...r, body: rest };
};
/** A run once it has ended. */
const finishedRun = (id) => waitFor(() => get(`${CONTOSO_BUILDS}/runs/${id}`), (r) => r.status === 200 && ['Succeeded', 'Failed', 'Canceled'].includes(r.body.properties.status), { what: `run ${id}` });

/** What a run's request decided: where and what it builds, and what it made. */
async function runOutcome(id) {
  const run = (await finishedRun(id)).body.properties;
  const { logLink } = (await emulator.armSend('POST', `${CONTOSO_BUILDS}/runs/${id}/listLogSasUrl?${API}`)).body;
  const log = await (await emulator.api.get(logLink)).text();
  return {
    runType: run.runType,
    task: run.task ?? null,
    agentPoolName: run.agentPoolName ?? null,
    os: run.platform.os.toLowerCase(),
    status: run.status,
    images: run.outputImages.map((i) => `${i.repository}:${i.tag}`),
    // The source and Dockerfile the request named, as the build log reports them.
    source: log.match(/Downloading source code from (.*?)\.\.\./)?.[1],
    step1: log.match(/Step 1\/5 : .*/)?.[0].trim(),
  };
}

/** Runs on build-s2 wait behind the demo's two long builds (about 13 simulated minutes): time
 * runs 200× faster for the tests that wait for runs, so that is four seconds. */
async function fastClock(body) {
  await emulator.setClock({ speed: 200 });
  try { await body(); } finally { await emulator.setClock({ speed: 20 }); }
}

/** The newest run of the registry (the one a command just queued). */
async function newestRunId() {
  const list = (await get(`${CONTOSO_BUILDS}/runs?$top=1`)).body;
  return list.value[0].properties.runId;
}

test('create with a subnet: the echoed command makes the same pool', async () => {
  const { page, problems } = await ownerOn(`${CONTOSO_BUILDS}/createAgentPool`);
  await page.locator('#pool-subnet[aria-describedby]').waitFor();
  await page.locator('#pool-name').fill('echo-s2');
  await page.getByRole('radio', { name: /^S2/ }).check();
  await page.locator('#pool-count').fill('2');
  await page.locator('#pool-subnet').fill('vnet-builds/snet-pools');
  await page.locator('ul.preflight li', { hasText: 'Network security group' }).filter({ hasText: 'lets the pool reach' }).waitFor();
  const form = page.locator('form', { has: page.locator('#pool-name') });
  const lines = await echoed(form);
  assert.equal(lines.length, 1, 'one command: agent pools keep no tags, so none are offered');
  assert.match(lines[0], /^az acr agentpool create -r contosobuilds -n echo-s2 --tier S2 --count 2 --subnet-id \/subscriptions\/.*\/subnets\/snet-pools$/);
  await screenshot(page, 'cli-echo-create');
  await page.getByRole('button', { name: 'Create agent pool' }).click();
  await page.getByText('Create echo-s2 (S2 × 2): Succeeded.').waitFor({ timeout: 20000 });
  const fromForm = (await settledPool('echo-s2')).body;
  assert.match(fromForm.properties.virtualNetworkSubnetResourceId, /\/snet-pools$/);

  await runEchoed(lines);
  const fromCli = (await settledPool('echo-s2')).body;
  assert.deepEqual(fromCli, fromForm);
  assert.deepEqual(problems, []);
});

test('scale: the echoed update sets the same count', async () => {
  const { page } = await ownerOn(poolPath('build-s2'));
  await page.locator('#scale-count').fill('3');
  const lines = await echoed(page.locator('section.scale'));
  assert.deepEqual(lines, ['az acr agentpool update -r contosobuilds -n build-s2 --count 3']);
  await page.getByRole('button', { name: 'Scale to 3' }).click();
  await page.getByText('Scale 2 → 3: Succeeded.').waitFor({ timeout: 20000 });
  const fromForm = (await settledPool('build-s2')).body;
  assert.equal(fromForm.properties.count, 3);

  await runEchoed(lines);
  assert.deepEqual((await settledPool('build-s2')).body, fromForm);
});

test('delete: the echoed delete removes the same pool and nothing else', async () => {
  const { page } = await ownerOn(poolPath('nightly-s1'));
  await page.getByRole('button', { name: 'Delete pool…' }).click();
  const lines = await echoed(page.locator('form.delete-form'));
  assert.deepEqual(lines, ['az acr agentpool delete -r contosobuilds -n nightly-s1 --yes']);
  await page.locator('#delete-confirm').fill('nightly-s1');
  await page.getByRole('button', { name: 'Delete nightly-s1', exact: true }).click();
  await page.waitForURL(`${emulator.origins.portal}${CONTOSO_BUILDS}`, { timeout: 20000 });
  await waitFor(() => get(poolPath('nightly-s1')), (r) => r.status === 404, { what: 'deleted by the form' });
  const left = async () => (await emulator.armList(`${CONTOSO_BUILDS}/agentPools?${API}`)).map((p) => p.name).sort();
  const fromForm = await left();

  await runEchoed(lines);
  assert.equal((await get(poolPath('nightly-s1'))).status, 404);
  assert.deepEqual(await left(), fromForm);
});

test('quick build: the echoed az acr build queues the same run on the pool', () => fastClock(async () => {
  const { page } = await ownerOn(`${poolPath('build-s2')}/runs`);
  const form = page.locator('form.quick-build');
  await page.locator('#build-images').fill('web:{{.Run.ID}}, web:latest');
  await page.locator('#build-file').fill('docker/Dockerfile.prod');
  const lines = await echoed(form);
  assert.deepEqual(lines.map(shellWords), [[
    'az', 'acr', 'build', '-r', 'contosobuilds', '--agent-pool', 'build-s2', '-t', 'web:{{.Run.ID}}', '-t', 'web:latest',
    '-f', 'docker/Dockerfile.prod', 'https://github.com/Azure-Samples/acr-build-helloworld-node.git',
  ]]);
  await form.getByRole('button', { name: 'Queue build' }).click();
  const queued = page.getByText(/^Queued run ca\d+\.$/);
  await queued.waitFor();
  const formRun = (await queued.innerText()).match(/ca\d+/)[0];
  const fromForm = await runOutcome(formRun);
  assert.deepEqual([fromForm.agentPoolName, fromForm.runType, fromForm.status], ['build-s2', 'QuickBuild', 'Succeeded']);

  await runEchoed(lines);
  const cliRun = await newestRunId();
  assert.equal(cliRun, formRun, 'the same run number after the same demo state');
  assert.deepEqual(await runOutcome(cliRun), fromForm);
}));

test('new task, then its run: the echoed task create and task run make the same task and run', () => fastClock(async () => {
  const { page } = await ownerOn(`${poolPath('build-s2')}/runs`);
  await page.locator('#task-name').fill('echo-task');
  await page.locator('#task-image').fill('api:{{.Run.ID}}');
  const createLines = await echoed(page.locator('form.new-task'));
  assert.equal(createLines.length, 1);
  assert.match(createLines[0], /^az acr task create -r contosobuilds -n echo-task --agent-pool build-s2 -t 'api:\{\{\.Run\.ID\}\}' -f Dockerfile -c https:\/\/\S+ --commit-trigger-enabled false --base-image-trigger-enabled false$/);
  await page.getByRole('button', { name: 'Create task' }).click();
  const row = page.locator('li.task', { hasText: 'echo-task' });
  await row.waitFor();
  const runLine = await row.locator('code').innerText();
  assert.equal(runLine, 'az acr task run -r contosobuilds -n echo-task');
  await screenshot(page, 'cli-echo-task');
  await row.getByRole('button', { name: 'Run task echo-task' }).click();
  const queued = page.getByText(/^Queued run ca\d+\.$/);
  await queued.waitFor();
  // Each task read once its run has ended: a Docker step shows its base images from then on.
  const formRun = await runOutcome((await queued.innerText()).match(/ca\d+/)[0]);
  const formTask = taskState((await get(`${CONTOSO_BUILDS}/tasks/echo-task`)).body);
  assert.deepEqual([formRun.task, formRun.agentPoolName], ['echo-task', 'build-s2'], 'the run went to the task\'s pool');

  await runEchoed([...createLines, runLine]);
  assert.deepEqual(await runOutcome(await newestRunId()), formRun);
  assert.deepEqual(taskState((await get(`${CONTOSO_BUILDS}/tasks/echo-task`)).body), formTask);
}));

test('pre-flight\'s NSG fix: the echoed az network nsg rule commands let the pool out', async () => {
  const { page } = await ownerOn(`${CONTOSO_BUILDS}/createAgentPool`);
  await page.locator('#pool-subnet[aria-describedby]').waitFor();
  await page.locator('#pool-name').fill('fixed-s1');
  await page.locator('#pool-subnet').fill('vnet-builds/snet-locked');
  const nsgCheck = page.locator('ul.preflight li', { hasText: 'Network security group' });
  await nsgCheck.filter({ hasText: 'DenyStorageOutbound' }).waitFor();
  const fixes = (await page.locator('pre.fixes code').innerText()).split('\n').filter((l) => l.trim());
  assert.ok(fixes.length > 0 && fixes.every((l) => l.startsWith('az network nsg rule ')), fixes.join('\n'));

  // No reset: the fix is run against the state the form judged.
  for (const line of fixes) await cli.azOk(shellWords(line).slice(1));
  // Asked again (the subnet chosen afresh), pre-flight finds nothing blocked…
  await page.locator('#pool-subnet').fill('');
  await page.locator('#pool-subnet').fill('vnet-builds/snet-locked');
  await nsgCheck.filter({ hasText: 'lets the pool reach every required Azure service' }).waitFor();
  assert.equal(await page.locator('ul.preflight li.check-fail, ul.preflight li.check-warn').count(), 0);
  // …and the service agrees: the pool is made and stays Succeeded.
  await page.getByRole('button', { name: 'Create agent pool' }).click();
  await page.getByText('Create fixed-s1 (S1 × 1): Succeeded.').waitFor({ timeout: 20000 });
  assert.equal((await settledPool('fixed-s1')).body.properties.provisioningState, 'Succeeded');
});

test('pre-flight\'s NSG fix that first moves a blocking rule: az network nsg rule update, then create', async () => {
  const { page } = await ownerOn(`${CONTOSO_BUILDS}/createAgentPool`);
  // A deny at 101 (100 allows Key Vault) leaves no room before it: the fix must move it first.
  await cli.azOk(['network', 'nsg', 'rule', 'create', '-g', 'rg-network', '--nsg-name', 'nsg-pools', '-n', 'DenyStorageFirst',
    '--priority', '101', '--direction', 'Outbound', '--access', 'Deny', '--protocol', 'Tcp',
    '--source-address-prefixes', 'VirtualNetwork', '--destination-address-prefixes', 'Storage', '--destination-port-ranges', '443']);
  await page.locator('#pool-subnet[aria-describedby]').waitFor();
  await page.locator('#pool-name').fill('moved-s1');
  await page.locator('#pool-subnet').fill('vnet-builds/snet-pools');
  const nsgCheck = page.locator('ul.preflight li', { hasText: 'Network security group' });
  await nsgCheck.filter({ hasText: 'DenyStorageFirst' }).waitFor();
  const fixes = (await page.locator('pre.fixes code').innerText()).split('\n').filter((l) => l.trim());
  assert.match(fixes[0], /^az network nsg rule update -g rg-network --nsg-name nsg-pools -n DenyStorageFirst --priority \d+$/);
  assert.match(fixes[1], /^az network nsg rule create .* --priority \d+ /);
  for (const line of fixes) await cli.azOk(shellWords(line).slice(1));
  await page.locator('#pool-subnet').fill('');
  await page.locator('#pool-subnet').fill('vnet-builds/snet-pools');
  await nsgCheck.filter({ hasText: 'lets the pool reach every required Azure service' }).waitFor();
  await page.getByRole('button', { name: 'Create agent pool' }).click();
  await page.getByText('Create moved-s1 (S1 × 1): Succeeded.').waitFor({ timeout: 20000 });
  assert.equal((await settledPool('moved-s1')).body.properties.provisioningState, 'Succeeded');
});

/** A task's properties as a comparison should see them: what the service sets itself
 * (creation date, provisioning state) left out, empty lists and objects the same as absent,
 * and the OS without case (the CLI writes `linux`, the spec's enum `Linux`). */
function taskState(task) {
  const tidy = (v) => {
    if (Array.isArray(v)) return v.length ? v.map(tidy) : undefined;
    if (v && typeof v === 'object') {
      const kept = Object.entries(v).map(([k, x]) => [k, tidy(x)]).filter(([, x]) => x !== undefined && x !== null);
      return kept.length ? Object.fromEntries(kept.sort(([a], [b]) => a.localeCompare(b))) : undefined;
    }
    return v;
  };
  const { creationDate, provisioningState, ...rest } = task.properties;
  const state = tidy(rest);
  state.platform.os = state.platform.os.toLowerCase();
  return state;
}
