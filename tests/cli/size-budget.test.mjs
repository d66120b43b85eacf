// The size budget (issue 14): the first load's brotli bytes against the row of docs/benchmarks.md
// + 5%. The script is run as CI runs it, on a dist/ and a size table made here, so each verdict is
// known. Needs no build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../e2e/support/emulator.mjs';
import { BUDGET_FILE, recorded } from '../../scripts/size-budget.mjs';

const script = path.join(repoRoot, 'scripts/size-budget.mjs');

/** A dist/ whose first-load files have these brotli sizes (the `.br` files say so). */
function dist(sizes) {
  const dir = mkdtempSync(path.join(tmpdir(), 'budget-dist-'));
  const names = { wasm: 'pool-portal-0123456789abcd_bg.wasm', glue: 'pool-portal-0123456789abcd.js', css: 'main-0123456789abcdef.css', msal: 'msal-browser.min-0123456789abcdef.js', html: 'index.html' };
  for (const [k, name] of Object.entries(names)) {
    writeFileSync(path.join(dir, name), 'x');
    writeFileSync(path.join(dir, `${name}.br`), Buffer.alloc(sizes[k] ?? 100));
  }
  return dir;
}

function table(total) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'budget-table-')), 'benchmarks.md');
  writeFileSync(file, `| first-load asset | raw |\n|---|---|\n| **first load, brotli** | **${total.toLocaleString('en-US')}** | | |\n`);
  return file;
}

const run = (dir, tableFile) => spawnSync(process.execPath, [script, dir], { env: { ...process.env, SIZE_BUDGET_FILE: tableFile }, encoding: 'utf8' });

test("the repository's docs/benchmarks.md has the row the budget is taken from", () => {
  assert.equal(BUDGET_FILE, 'docs/benchmarks.md');
  assert.ok(recorded(readFileSync(path.join(repoRoot, BUDGET_FILE), 'utf8')) > 100_000);
});

test('a first load within 5% of the recorded size passes; past it, the build fails and says what to do', () => {
  // 400 + 4 × 100 = 800 bytes against a recorded 800: the budget is 840.
  const within = run(dist({ wasm: 440 }), table(800));
  assert.equal(within.status, 0, within.stderr);
  assert.match(within.stdout, /first load, brotli: 840 bytes; docs\/benchmarks\.md records 800, so the budget \(\+5%\) is 840/);
  const past = run(dist({ wasm: 441 }), table(800));
  assert.equal(past.status, 1);
  assert.match(past.stderr, /grew past its budget by 1 bytes.*write 841 in docs\/benchmarks\.md's "first load, brotli" row/);
  // Recording the new size in the table is what lets it pass.
  assert.equal(run(dist({ wasm: 441 }), table(841)).status, 0);
});

test('a dist/ without one of the first-load files is an error, not a pass', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'budget-empty-'));
  const r = run(dir, table(800));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /dist\/ has no wasm/);
});
