// The real Azure CLI drives the emulator unchanged (issue 10): cloud set-up by metadata alone,
// service-principal sign-in, the whole `az acr agentpool` lifecycle with and without --no-wait,
// tasks on a pool with their runs and logs, and ARM's errors as the CLI prints them. Every
// result is checked against what ARM itself then says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CONTOSO, CONTOSO_BUILDS, SERVICE_PRINCIPAL } from '../e2e/support/emulator.mjs';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startWithCli, waitFor, shellWords } from './support/az.mjs';

let cli, emulator, login;
before(async () => {
  cli = await startWithCli(['--speed', '20']);
  emulator = cli.emulator;
  login = await cli.signIn();
});
after(async () => { await cli?.stop(); });

const POOLS_API = 'api-version=2019-06-01-preview';
const pool = (name) => `${CONTOSO_BUILDS}/agentPools/${name}`;
const armPool = async (name) => (await emulator.armSend('GET', `${pool(name)}?${POOLS_API}`)).body;
const RG = ['-r', 'contosobuilds'];
const SP_APP_ID = SERVICE_PRINCIPAL.clientId;

test('az cloud register read the metadata; az login signed the service principal in', async () => {
  const shown = (await cli.azOk(['cloud', 'show', '-n', 'PoolEmu'])).json;
  assert.equal(shown.endpoints.resourceManager, `${emulator.origins.arm}/`);
  assert.equal(shown.endpoints.activeDirectory, emulator.origins.login);
  assert.equal(shown.endpoints.activeDirectoryResourceId, 'https://management.pool-portal.test/');
  assert.equal(shown.suffixes.acrLoginServerEndpoint, '.azurecr.io');
  const subs = login.json.map((s) => s.name).sort();
  assert.deepEqual(subs, ['Contoso Platform (demo)', 'Fabrikam Research (demo)']);
  const account = (await cli.azOk(['account', 'show'])).json;
  assert.equal(account.id, CONTOSO);
  assert.equal(account.user.type, 'servicePrincipal');
});

test('agentpool create --tier S1, list, show --queue-count, update --count 2, delete --yes', async () => {
  const created = (await cli.azOk(['acr', 'agentpool', 'create', ...RG, '-n', 'cli-s1', '--tier', 'S1'])).json;
  assert.equal(created.provisioningState, 'Succeeded', 'the CLI waited for the operation');
  let arm = await armPool('cli-s1');
  assert.deepEqual([arm.properties.tier, arm.properties.count, arm.properties.provisioningState], ['S1', 1, 'Succeeded']);

  const listed = (await cli.azOk(['acr', 'agentpool', 'list', ...RG])).json.map((p) => p.name);
  const fromArm = (await emulator.armList(`${CONTOSO_BUILDS}/agentPools?${POOLS_API}`)).map((p) => p.name);
  assert.deepEqual(listed.sort(), fromArm.sort());
  assert.ok(listed.includes('cli-s1'));

  // nightly-s1 has runs waiting in the demo: the CLI's count is ARM's.
  const queue = (await cli.azOk(['acr', 'agentpool', 'show', ...RG, '-n', 'nightly-s1', '--queue-count'])).json;
  const armQueue = (await emulator.armSend('POST', `${pool('nightly-s1')}/listQueueStatus?${POOLS_API}`)).body;
  assert.equal(queue.count, armQueue.count);
  assert.ok(queue.count > 0);

  const updated = (await cli.azOk(['acr', 'agentpool', 'update', ...RG, '-n', 'cli-s1', '--count', '2'])).json;
  assert.equal(updated.count, 2);
  arm = await armPool('cli-s1');
  assert.deepEqual([arm.properties.count, arm.properties.provisioningState], [2, 'Succeeded']);

  await cli.azOk(['acr', 'agentpool', 'delete', ...RG, '-n', 'cli-s1', '--yes']);
  const gone = await emulator.armSend('GET', `${pool('cli-s1')}?${POOLS_API}`);
  assert.equal(gone.status, 404);
});

test('--no-wait: create, update and delete return at once and ARM finishes them', async () => {
  const started = await cli.azOk(['acr', 'agentpool', 'create', ...RG, '-n', 'cli-nowait', '--tier', 'S1', '--count', '0', '--no-wait']);
  assert.equal(started.stdout.trim(), '', 'nothing to print before it ends');
  const creating = await armPool('cli-nowait');
  assert.ok(['Creating', 'Succeeded'].includes(creating.properties.provisioningState));
  await waitFor(() => armPool('cli-nowait'), (p) => p.properties.provisioningState === 'Succeeded', { what: 'create' });

  await cli.azOk(['acr', 'agentpool', 'update', ...RG, '-n', 'cli-nowait', '--count', '1', '--no-wait']);
  const done = await waitFor(() => armPool('cli-nowait'), (p) => p.properties.provisioningState === 'Succeeded', { what: 'update' });
  assert.equal(done.properties.count, 1);

  await cli.azOk(['acr', 'agentpool', 'delete', ...RG, '-n', 'cli-nowait', '--yes', '--no-wait']);
  await waitFor(() => emulator.armSend('GET', `${pool('cli-nowait')}?${POOLS_API}`), (r) => r.status === 404, { what: 'delete' });
});

test('a task on a pool: task create --agent-pool --context <git>, task run, list-runs, logs', async () => {
  const context = 'https://github.com/Azure-Samples/acr-build-helloworld-node.git';
  const task = (await cli.azOk(['acr', 'task', 'create', ...RG, '-n', 'clitask', '--agent-pool', 'build-s2',
    '-t', 'web:{{.Run.ID}}', '-f', 'Dockerfile', '--context', context, '--commit-trigger-enabled', 'false'])).json;
  assert.equal(task.agentPoolName, 'build-s2');
  const armTask = (await emulator.armSend('GET', `${CONTOSO_BUILDS}/tasks/clitask?${POOLS_API}`)).body;
  assert.equal(armTask.properties.agentPoolName, 'build-s2');
  assert.equal(armTask.properties.step.contextPath, context);

  // `task run` waits for the run and streams its log from the log origin.
  const run = await cli.azOk(['acr', 'task', 'run', ...RG, '-n', 'clitask']);
  const runId = run.stderr.match(/Queued a run with ID: (\w+)/)?.[1] ?? run.stdout.match(/Queued a build with ID: (\w+)/)?.[1];
  assert.ok(runId, `a run id in:\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, new RegExp(`Run ID: ${runId} was successful after \\d+s`));
  const armRun = (await emulator.armSend('GET', `${CONTOSO_BUILDS}/runs/${runId}?${POOLS_API}`)).body;
  assert.deepEqual([armRun.properties.task, armRun.properties.agentPoolName, armRun.properties.status], ['clitask', 'build-s2', 'Succeeded']);

  const runs = (await cli.azOk(['acr', 'task', 'list-runs', ...RG, '-n', 'clitask'])).json;
  assert.deepEqual(runs.map((r) => r.runId), [runId]);
  assert.equal(runs[0].agentPoolName, 'build-s2');

  const logs = await cli.azOk(['acr', 'task', 'logs', ...RG, '--run-id', runId]);
  assert.match(logs.stdout, /Waiting for an agent on build-s2/);
  assert.match(logs.stdout, new RegExp(`Run ID: ${runId} was successful`));
});

test('a bad pool name and an over-quota create end in the CLI error with ARM\'s code', async () => {
  const bad = await cli.az(['acr', 'agentpool', 'create', ...RG, '-n', 'no_underscores', '--tier', 'S1']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /\(InvalidResourceName\)/);
  assert.match(bad.stderr, /no_underscores/);

  // build-s2 holds 8 of the 16 standard vCPUs: three S3 (24) cannot fit.
  const over = await cli.az(['acr', 'agentpool', 'create', ...RG, '-n', 'too-big', '--tier', 'S3', '--count', '3']);
  assert.notEqual(over.code, 0);
  assert.match(over.stderr, /\(QuotaExceeded\)/);
  assert.match(over.stderr, /Current usage: 8, additional required: 24, limit: 16/);
  assert.equal((await emulator.armSend('GET', `${pool('too-big')}?${POOLS_API}`)).status, 404, 'nothing was made');
});

test('az monitor activity-log list reads what the CLI\'s own writes left: by resource, by correlation id, with --caller and --status', async () => {
  await cli.azOk(['acr', 'agentpool', 'create', ...RG, '-n', 'cli-log', '--tier', 'S1']);
  await cli.azOk(['acr', 'agentpool', 'update', ...RG, '-n', 'cli-log', '--count', '0']);
  // The emulator's clock runs fast in this file: each window is the service's last hour, asked
  // for just before the query (a window taken earlier would end before what came since).
  const lastHour = async () => {
    const now = (await (await fetch(`${emulator.origins.admin}/clock`)).json()).nowMs;
    return ['--start-time', new Date(now - 3600_000).toISOString(), '--end-time', new Date(now + 1000).toISOString()];
  };
  const events = (await cli.azOk(['monitor', 'activity-log', 'list', '--resource-id', pool('cli-log'), ...(await lastHour())])).json;
  const steps = events.map((e) => `${e.operationName.value.split('/').pop()} ${e.status.value}`).reverse();
  assert.deepEqual(steps, ['write Started', 'write Accepted', 'write Succeeded', 'write Started', 'write Accepted', 'write Succeeded']);
  assert.ok(events.every((e) => e.caller === SP_APP_ID && e.resourceId.toLowerCase() === pool('cli-log').toLowerCase()), 'the service principal, by app id');
  const update = events.filter((e) => e.correlationId === events[0].correlationId);
  const body = JSON.parse(update.find((e) => e.status.value === 'Started').properties.requestbody);
  assert.equal(body.properties.count, 0, 'the Started event keeps what was asked');

  const byCorrelation = (await cli.azOk(['monitor', 'activity-log', 'list', '--correlation-id', events[0].correlationId, ...(await lastHour())])).json;
  assert.deepEqual(byCorrelation.map((e) => e.eventDataId).sort(), update.map((e) => e.eventDataId).sort());
  const refused = await cli.az(['acr', 'agentpool', 'update', ...RG, '-n', 'cli-log', '--count', '99']);
  assert.match(refused.stderr, /\(QuotaExceeded\)/);
  const failed = (await cli.azOk(['monitor', 'activity-log', 'list', '-g', 'rg-builds', '--status', 'Failed', '--caller', SP_APP_ID, ...(await lastHour())])).json;
  assert.ok(failed.length >= 1 && failed.every((e) => e.status.value === 'Failed' && e.caller === SP_APP_ID));
  const quota = failed.find((e) => e.resourceId.toLowerCase() === pool('cli-log').toLowerCase());
  assert.equal(JSON.parse(quota.properties.statusMessage).error.code, 'QuotaExceeded');
});

test('a pause record is one tag on the registry: az tag update writes and removes it, az acr show reads it', async () => {
  const record = '{"count":2,"by":"olivia@contoso.test","at":"2026-12-03T14:00:00.000Z","why":"Holiday freeze"}';
  const tag = `poolportal-paused-nightly-s1=${record}`;
  const merged = (await cli.azOk(['tag', 'update', '--resource-id', CONTOSO_BUILDS, '--operation', 'merge', '--tags', tag])).json;
  assert.equal(merged.properties.tags['poolportal-paused-nightly-s1'], record);
  assert.equal(merged.properties.tags.team, 'platform', 'the other tags stay');
  const shown = (await cli.azOk(['acr', 'show', '-n', 'contosobuilds', '--query', 'tags'])).json;
  assert.equal(JSON.parse(shown['poolportal-paused-nightly-s1']).why, 'Holiday freeze');
  await cli.azOk(['tag', 'update', '--resource-id', CONTOSO_BUILDS, '--operation', 'delete', '--tags', tag]);
  const after = (await emulator.armSend('GET', `${CONTOSO_BUILDS}?api-version=2023-07-01`)).body.tags;
  assert.deepEqual(after, { team: 'platform' });
});

test('build-s2\'s schedule reads back through the CLI: task list, show, timer list, identity show, role assignment list', async () => {
  const tasks = (await cli.azOk(['acr', 'task', 'list', ...RG])).json;
  const names = tasks.map((t) => t.name).filter((n) => n.startsWith('poolportal-build-s2-')).sort();
  assert.deepEqual(names, ['poolportal-build-s2-weekdays-0700-to-2', 'poolportal-build-s2-weekdays-2000-to-0']);

  const shown = (await cli.azOk(['acr', 'task', 'show', ...RG, '-n', names[0]])).json;
  assert.equal(shown.step.type, 'EncodedTask');
  assert.equal(shown.agentPoolName ?? null, null, 'it runs on the shared pool');
  assert.equal(shown.tags['poolportal-rule'], 'mon-fri 07:00 2');
  const yaml = Buffer.from(shown.step.encodedTaskContent, 'base64').toString();
  assert.equal(yaml, `version: v1.1.0\nsteps:\n  - cmd: az login --identity\n  - cmd: az acr agentpool update --subscription ${CONTOSO} -g rg-builds -r contosobuilds -n build-s2 --count 2\n`);

  const timers = (await cli.azOk(['acr', 'task', 'timer', 'list', ...RG, '-n', names[0]])).json;
  assert.deepEqual(timers.map((t) => [t.name, t.schedule, t.status]), [['t1', '0 7 * * 1-5', 'Enabled']]);

  const identity = (await cli.azOk(['acr', 'task', 'identity', 'show', ...RG, '-n', names[0]])).json;
  assert.equal(identity.type, 'SystemAssigned');
  const armTask = (await emulator.armSend('GET', `${CONTOSO_BUILDS}/tasks/${names[0]}?${POOLS_API}`)).body;
  assert.equal(identity.principalId, armTask.identity.principalId);

  const assignments = (await cli.azOk(['role', 'assignment', 'list', '--assignee', identity.principalId, '--scope', CONTOSO_BUILDS])).json;
  assert.deepEqual(assignments.map((a) => [a.principalId, a.roleDefinitionName, a.scope]), [[identity.principalId, 'Container Registry Tasks Contributor', CONTOSO_BUILDS]]);

  // The hand-over command, run by a Contributor (the CLI's service principal): ARM refuses it.
  const handover = await cli.az(['role', 'assignment', 'create', '--assignee-object-id', identity.principalId, '--assignee-principal-type', 'ServicePrincipal',
    '--role', 'Container Registry Tasks Contributor', '--scope', CONTOSO_BUILDS]);
  assert.notEqual(handover.code, 0);
  assert.match(handover.stderr, /AuthorizationFailed/);
  assert.match(handover.stderr, /Microsoft\.Authorization\/roleAssignments\/write/);
});

test('the commands the Schedule tab echoes make a rule the portal reads: az acr task create with its task file, then az tag update', async () => {
  const name = 'poolportal-nightly-s1-weekdays-0800-to-1';
  const yaml = `version: v1.1.0\nsteps:\n  - cmd: az login --identity\n  - cmd: az acr agentpool update --subscription ${CONTOSO} -g rg-builds -r contosobuilds -n nightly-s1 --count 1\n`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pool-task-'));
  writeFileSync(path.join(dir, `${name}.yaml`), yaml);
  // Exactly as src/domain/cli.rs prints them (tests/e2e/schedule.test.mjs reads the first on the page).
  const create = `az acr task create -r contosobuilds -n ${name} -f ${name}.yaml --context /dev/null --schedule '0 8 * * 1-5' --assign-identity '[system]' --commit-trigger-enabled false --base-image-trigger-enabled false`;
  const tag = `az tag update --resource-id ${CONTOSO_BUILDS}/tasks/${name} --operation merge --tags poolportal-pool=nightly-s1 'poolportal-rule=mon-fri 08:00 1' poolportal-zone=UTC`;
  try {
    await cli.azOk(shellWords(create).slice(1), { cwd: dir });
    await cli.azOk(shellWords(tag).slice(1));
    const task = (await emulator.armSend('GET', `${CONTOSO_BUILDS}/tasks/${name}?${POOLS_API}`)).body;
    assert.equal(task.properties.step.type, 'EncodedTask');
    assert.equal(Buffer.from(task.properties.step.encodedTaskContent, 'base64').toString(), yaml, 'the file, as the portal encodes it');
    assert.deepEqual(task.properties.trigger.timerTriggers.map((t) => [t.schedule, t.status]), [['0 8 * * 1-5', 'Enabled']]);
    assert.equal(task.properties.agentPoolName ?? null, null, 'the shared pool runs it');
    assert.equal(task.identity.type, 'SystemAssigned');
    assert.match(task.identity.principalId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(task.tags, { 'poolportal-pool': 'nightly-s1', 'poolportal-rule': 'mon-fri 08:00 1', 'poolportal-zone': 'UTC' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await cli.az(['acr', 'task', 'delete', ...RG, '-n', name, '--yes']);
  }
});
