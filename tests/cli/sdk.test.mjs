// Microsoft's Python SDKs write through the emulator (issue 10): an agent pool's create, scale and
// delete followed to their end by azure-core's poller, and an NSG rule's asynchronous write.
// What the SDK reports at each step must be what ARM then holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { repoRoot, CONTOSO_BUILDS } from '../e2e/support/emulator.mjs';
import { startWithCli } from './support/az.mjs';

let cli;
before(async () => { cli = await startWithCli(['--speed', '20']); });
after(async () => { await cli?.stop(); });

const API = 'api-version=2019-06-01-preview';
const NSG = '/subscriptions/1f0e2d3c-4b5a-4697-8877-665544332211/resourceGroups/rg-network/providers/Microsoft.Network/networkSecurityGroups/nsg-locked';

test('an agent pool created, scaled and deleted, and an NSG rule written, through the SDKs', async () => {
  const python = path.join(repoRoot, '.tools/azure-sdk/bin/python');
  const script = path.join(repoRoot, 'tests/cli/sdk/writes.py');
  const { emulator } = cli;
  const mark = await emulator.mark();
  const out = await new Promise((resolve, reject) => {
    execFile(python, [script, emulator.origins.arm, emulator.origins.login], { env: { ...process.env, REQUESTS_CA_BUNDLE: cli.caFile }, timeout: 180_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${stderr}\n${stdout}`)) : resolve(stdout)));
  });
  const log = await emulator.requests(mark); // the SDK's requests, before the checks add ours
  const steps = Object.fromEntries(out.trim().split('\n').map((l) => JSON.parse(l)).map((s) => [s.step, s]));
  assert.deepEqual(steps.created, { step: 'created', state: 'Succeeded', count: 1, tier: 'S1' });
  assert.deepEqual(steps.scaled, { step: 'scaled', state: 'Succeeded', count: 2 });
  assert.ok(steps.deleted);
  assert.deepEqual(steps.rule, { step: 'rule', state: 'Succeeded', priority: 150 });

  // ARM agrees: the pool is gone, the rule is there; and the SDK followed each operation's link.
  assert.equal((await emulator.armSend('GET', `${CONTOSO_BUILDS}/agentPools/sdk-s1?${API}`)).status, 404);
  const rule = (await emulator.armSend('GET', `${NSG}/securityRules/AllowStorageOutbound?api-version=2024-07-01`)).body;
  assert.deepEqual([rule.properties.access, rule.properties.priority, rule.properties.provisioningState], ['Allow', 150, 'Succeeded']);
  const polled = (part) => log.filter((e) => e.listener === 'arm' && e.method === 'GET' && e.path.includes(part));
  // Where real Azure keeps them (recorded): a create's and a scale's status under the pool, a
  // delete's result under the registry.
  assert.ok(polled('/agentPools/sdk-s1/operationStatuses/').length >= 2, 'the create and the scale were polled');
  assert.ok(polled('/registries/contosobuilds/agentPoolsOperationResults/').length >= 1, 'the delete was polled');
  assert.equal(polled('/providers/Microsoft.Network/locations/eastus/operations/').length, 1, 'the rule write was followed');
  assert.ok(log.filter((e) => e.listener === 'arm').every((e) => e.status < 400), 'nothing was refused');
});
