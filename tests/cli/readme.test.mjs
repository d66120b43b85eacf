// "Use the emulator from your own tools" in docs/emulator.md (the README's until issue 19) works as
// written: its shell block with the real Azure CLI, its Python block with Microsoft's SDKs. Only
// the demo's ports and CA path are swapped for this test emulator's; what they print is checked
// against ARM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, startEmulator, CONTOSO_BUILDS } from '../e2e/support/emulator.mjs';

const DOC = 'docs/emulator.md';
const doc = readFileSync(path.join(repoRoot, DOC), 'utf8');
const HEADING = '## Use the emulator from your own tools';
if (!doc.includes(`\n${HEADING}\n`)) throw new Error(`${DOC} has no "${HEADING}" section`);
const section = doc.slice(doc.indexOf(`\n${HEADING}\n`) + 1);
const blocks = (lang) => [...section.slice(0, section.indexOf('\n## ', 5)).matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

let emulator, dataDir, scratch;
before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pool-emu-'));
  scratch = mkdtempSync(path.join(os.tmpdir(), 'pool-readme-'));
  emulator = await startEmulator(['--data-dir', dataDir]);
});
after(async () => {
  await emulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** The demo's fixed origins and files → this emulator's. */
function localise(text) {
  return text
    .replaceAll('https://127.0.0.1:8444', emulator.origins.arm)
    .replaceAll('https://127.0.0.1:8445', emulator.origins.login)
    .replaceAll('$PWD/.emulator/ca.pem', path.join(dataDir, 'ca.pem'))
    .replaceAll('$PWD/.emulator/az', path.join(scratch, 'az'))
    .replaceAll('$PWD/.tools', path.join(repoRoot, '.tools'));
}

function run(file, args, env = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: { ...process.env, AZURE_CORE_COLLECT_TELEMETRY: 'false', ...env }, cwd: scratch }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed (${error.code}):\n${stderr}\n${stdout}`));
      else resolve(stdout);
    });
  });
}

async function poolNames() {
  return (await emulator.armList(`${CONTOSO_BUILDS}/agentPools?api-version=2019-06-01-preview`)).map((p) => p.name).sort();
}

test('docs/emulator.md has one shell and one Python block to run, and they name the demo origins', () => {
  assert.equal(blocks('sh').length >= 1 && blocks('python').length, 1);
  assert.match(blocks('sh')[0], /az cloud register -n PoolEmu --endpoint-resource-manager https:\/\/127\.0\.0\.1:8444\//);
});

test('the CLI set-up: register by metadata, sign in, list the pools; and again', async () => {
  const script = localise(blocks('sh')[0]);
  for (const round of ['first', 'second']) {
    const out = await run('/bin/bash', ['-euo', 'pipefail', '-c', script]);
    // The last command's table (after `az login`'s JSON): its first column, below the header and rule.
    const lines = out.trim().split('\n');
    const header = lines.findLastIndex((line) => line.startsWith('NAME '));
    assert.ok(header >= 0, `${round} run:\n${out}`);
    const listed = lines.slice(header + 2).map((line) => line.split(/\s+/)[0]).sort();
    assert.deepEqual(listed, await poolNames(), `${round} run`);
  }
});

test('the SDK snippet: registries, pools with their queues, subnets', async () => {
  const script = path.join(scratch, 'snippet.py');
  writeFileSync(script, localise(blocks('python')[0]));
  const out = await run(path.join(repoRoot, '.tools/azure-sdk/bin/python'), [script], { REQUESTS_CA_BUNDLE: path.join(dataDir, 'ca.pem') });
  const lines = out.trim().split('\n');
  assert.ok(lines.includes('contosobuilds SkuName.PREMIUM eastus') || lines.includes('contosobuilds Premium eastus'), out);
  for (const name of await poolNames()) {
    const pool = await emulator.arm(`${CONTOSO_BUILDS}/agentPools/${name}?api-version=2019-06-01-preview`);
    const { count } = (await emulator.armSend('POST', `${CONTOSO_BUILDS}/agentPools/${name}/listQueueStatus?api-version=2019-06-01-preview`)).body;
    assert.ok(lines.includes(`${name} ${pool.properties.tier} ${pool.properties.count} ${count} queued`), `${name} in:\n${out}`);
  }
  assert.ok(lines.includes('snet-pools 10.20.1.0/24'), out);
});
